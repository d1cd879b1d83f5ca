//! Signing in to the console: name and password, then — for the roles that see
//! personal data — the second factor, enrolled on first sign-in with a QR code.
//! Signing out ends the session in the database.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use linli_core::{Lang, StaffText};
use maud::{html, Markup};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::SecondFactor;
use crate::http::error::try_again_in;
use crate::http::extract::{
    device_cookie, lang_of, session_cookie, session_cookie_header, tokens_match, ClientIp, Https,
    SameOriginForm,
};
use crate::http::layout::{page_with_status, svg_img, Frame};
use crate::http::ApiError;
use crate::sign_in::{self, Checked, FactorChecked, MAX_USERNAME_CHARS};
use crate::store::{Account, SessionRow, SessionStage};

/// The sign-in form, with a problem to show.
fn login_form(lang: Lang, problem: Option<String>, status: StatusCode) -> Response {
    let body = html! {
        @if let Some(p) = &problem { p.error role="alert" { (p) } }
        form method="post" action="/staff/login" {
            p { label { (lang.t(StaffText::StaffUsername)) " "
                input name="username" autocomplete="username" required maxlength=(MAX_USERNAME_CHARS); } }
            p { label { (lang.t(StaffText::StaffPassword)) " "
                input name="password" type="password" autocomplete="current-password" required
                    maxlength=(crate::auth::MAX_PASSWORD_CHARS); } }
            p { button { (lang.t(StaffText::StaffSignInButton)) } }
        }
    };
    page_with_status(
        status,
        Frame { lang, staff: None },
        lang.t(StaffText::StaffSignIn),
        body,
    )
}

/// The session of the request's cookie, at any stage.
async fn any_session(
    state: &AppState,
    headers: &HeaderMap,
    https: bool,
) -> Result<Option<(String, SessionRow)>, ApiError> {
    let Some(token) = session_cookie(headers, https) else {
        return Ok(None);
    };
    Ok(state
        .store
        .session(&token, state.now())
        .await?
        .map(|s| (token, s)))
}

/// `GET /staff`: the member's first page, the second-factor step, or the sign-in form.
pub async fn home(
    State(state): State<AppState>,
    Https(https): Https,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Ok(match any_session(&state, &headers, https).await? {
        Some((_, s)) if s.stage == SessionStage::Full => {
            Redirect::to(state.landing(s.account.role)).into_response()
        }
        Some(_) => Redirect::to("/staff/second-factor").into_response(),
        None => login_form(lang_of(&headers), None, StatusCode::OK),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// A signed-in session's cookie and, for the account, a fresh device cookie.
fn signed_in(
    state: &AppState,
    token: &str,
    account: &Account,
    https: bool,
    to: &str,
) -> Result<Response, ApiError> {
    let device = sign_in::device_set_cookie(state, account, state.now(), https)?;
    Ok((
        AppendHeaders([
            (
                header::SET_COOKIE,
                session_cookie_header(Some(token), https),
            ),
            (header::SET_COOKIE, device),
        ]),
        Redirect::to(to),
    )
        .into_response())
}

fn with_cookie(token: Option<&str>, https: bool, to: &str) -> Response {
    (
        [(header::SET_COOKIE, session_cookie_header(token, https))],
        Redirect::to(to),
    )
        .into_response()
}

/// `POST /staff/login`: the password, within the limits. Fields longer than allowed
/// are refused before anything else is done with them.
pub async fn sign_in(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Https(https): Https,
    SameOriginForm(form): SameOriginForm<LoginForm>,
) -> Result<Response, ApiError> {
    let lang = lang_of(&headers);
    let fits = |s: &str, max| !s.is_empty() && s.chars().count() <= max;
    if !fits(&form.username, MAX_USERNAME_CHARS)
        || !fits(&form.password, crate::auth::MAX_PASSWORD_CHARS)
    {
        return Ok(login_form(
            lang,
            Some(lang.t(StaffText::StaffSignInFailed).into()),
            StatusCode::UNAUTHORIZED,
        ));
    }
    let now = state.now();
    let device = device_cookie(&headers, https);
    match sign_in::check_password(
        &state,
        ip.0,
        device.as_deref(),
        &form.username,
        &form.password,
    )
    .await?
    {
        Checked::Ok(account, stage) => {
            let token = state.store.open_session(&account, stage, now).await?;
            if stage == SessionStage::Full {
                let to = state.landing(account.role);
                signed_in(&state, &token, &account, https, to)
            } else {
                Ok(with_cookie(Some(&token), https, "/staff/second-factor"))
            }
        }
        Checked::Wrong => Ok(login_form(
            lang,
            Some(lang.t(StaffText::StaffSignInFailed).into()),
            StatusCode::UNAUTHORIZED,
        )),
        Checked::Limited(at) => Ok(login_form(
            lang,
            Some(try_again_in(lang, at, now)),
            StatusCode::TOO_MANY_REQUESTS,
        )),
    }
}

/// The second-factor page of a half-signed-in session (`token`). Enrolling, it shows
/// the secret this session enrols — made for it, kept with it, shown to no other.
async fn factor_page(
    state: &AppState,
    lang: Lang,
    (token, session): (&str, &SessionRow),
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let account = &session.account;
    let enrol = session.stage == SessionStage::Enrol;
    let enrolment = if enrol {
        let key = state.store.key();
        let stored = match session.totp_pending.clone() {
            Some(s) => Some(s),
            None => {
                let (_, new) =
                    SecondFactor::generate(key, account.id, &state.issuer(), &account.username)
                        .map_err(|e| ApiError::Internal(e.to_string()))?;
                state.store.begin_totp(token, &new).await?
            }
        };
        let factor = stored
            .as_deref()
            .map(|s| {
                SecondFactor::from_stored(key, account.id, s, &state.issuer(), &account.username)
            })
            .ok_or(ApiError::Internal(
                "enrolling session without a secret".into(),
            ))?
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Some(
            factor
                .enrolment()
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        )
    } else {
        None
    };
    let body: Markup = html! {
        @if let Some(p) = &problem { p.error role="alert" { (p) } }
        @if let Some(e) = &enrolment {
            p { (lang.t(StaffText::TotpEnrolHint)) }
            p.qr { (svg_img(&e.qr_svg, lang.t(StaffText::TotpQrAlt))) }
            p { (lang.t(StaffText::TotpSecretText)) " " code.head { (e.secret_text) } }
        } @else {
            p { (lang.t(StaffText::TotpCodeHint)) }
        }
        form method="post" action="/staff/second-factor" {
            input type="hidden" name="_csrf" value=(session.csrf);
            p { label { (lang.t(StaffText::TotpCode)) " "
                input name="code" inputmode="numeric" autocomplete="one-time-code" required
                    maxlength="8" pattern="[0-9 ]{6,8}"; } }
            p { button { (lang.t(if enrol { StaffText::TotpEnrolButton } else { StaffText::StaffSignInButton })) } }
        }
        form method="post" action="/staff/logout" {
            input type="hidden" name="_csrf" value=(session.csrf);
            button.link { (lang.t(StaffText::StaffSignOut)) }
        }
    };
    let title = lang.t(if enrol {
        StaffText::TotpEnrolTitle
    } else {
        StaffText::TotpTitle
    });
    Ok(page_with_status(
        status,
        Frame { lang, staff: None },
        title,
        body,
    ))
}

/// `GET /staff/second-factor`.
pub async fn second_factor(
    State(state): State<AppState>,
    Https(https): Https,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = lang_of(&headers);
    match any_session(&state, &headers, https).await? {
        Some((token, s)) if enrolled_elsewhere(&s) => {
            end_stale_enrolment(&state, lang, &token, &s, https).await
        }
        Some((token, s)) if s.stage != SessionStage::Full => {
            factor_page(&state, lang, (&token, &s), None, StatusCode::OK).await
        }
        Some((_, s)) => Ok(Redirect::to(state.landing(s.account.role)).into_response()),
        None => Ok(Redirect::to("/staff").into_response()),
    }
}

/// A session still enrolling an account that has enrolled a second factor in another
/// session meanwhile: its own secret can never be used.
fn enrolled_elsewhere(session: &SessionRow) -> bool {
    session.stage == SessionStage::Enrol && session.account.totp_enabled
}

/// Ends such a session and asks the member to sign in again, with the authenticator
/// that was enrolled.
async fn end_stale_enrolment(
    state: &AppState,
    lang: Lang,
    token: &str,
    session: &SessionRow,
    https: bool,
) -> Result<Response, ApiError> {
    let by = crate::store::Actor::staff(&session.account.username, session.account.role);
    state.store.close_session(token, &by, state.now()).await?;
    let problem = lang.t(StaffText::TotpEnrolledElsewhere).to_owned();
    Ok((
        [(header::SET_COOKIE, session_cookie_header(None, https))],
        login_form(lang, Some(problem), StatusCode::CONFLICT),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// `POST /staff/second-factor`: the code (enrolment finishes with the first right
/// one); the session gets a fresh token and is signed in.
pub async fn check_second_factor(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Https(https): Https,
    SameOriginForm(form): SameOriginForm<CodeForm>,
) -> Result<Response, ApiError> {
    let lang = lang_of(&headers);
    let Some((token, session)) = any_session(&state, &headers, https).await? else {
        return Ok(Redirect::to("/staff").into_response());
    };
    if session.stage == SessionStage::Full
        || !tokens_match(&form.csrf, &session.csrf)
        || form.code.len() > 12
    {
        return Ok(Redirect::to("/staff").into_response());
    }
    if enrolled_elsewhere(&session) {
        return end_stale_enrolment(&state, lang, &token, &session, https).await;
    }
    let enrolling = match session.stage {
        // Enrolling without having been shown a secret: show one first.
        SessionStage::Enrol if session.totp_pending.is_none() => {
            return Ok(Redirect::to("/staff/second-factor").into_response())
        }
        SessionStage::Enrol => session.totp_pending.as_deref(),
        _ => None,
    };
    let now = state.now();
    let device = device_cookie(&headers, https);
    let account = &session.account;
    let code = form.code.as_str();
    match sign_in::check_code(&state, ip.0, device.as_deref(), account, code, enrolling).await? {
        FactorChecked::Ok => {
            let Some(new_token) = state.store.promote_session(&token, now).await? else {
                return Ok(Redirect::to("/staff").into_response());
            };
            let to = state.landing(account.role);
            signed_in(&state, &new_token, account, https, to)
        }
        FactorChecked::Wrong => {
            let problem = lang.t(StaffText::TotpWrong).to_owned();
            factor_page(
                &state,
                lang,
                (&token, &session),
                Some(problem),
                StatusCode::UNAUTHORIZED,
            )
            .await
        }
        FactorChecked::Limited(at) => {
            let problem = try_again_in(lang, at, now);
            factor_page(
                &state,
                lang,
                (&token, &session),
                Some(problem),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
    }
}

/// `POST /staff/logout`: the session (signed in, or half-way at the second factor) is
/// deleted, so its token is worth nothing from now on.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Https(https): Https,
    SameOriginForm(form): SameOriginForm<CodeForm>,
) -> Result<Response, ApiError> {
    if let Some((token, session)) = any_session(&state, &headers, https).await? {
        if tokens_match(&form.csrf, &session.csrf) {
            let by = crate::store::Actor::staff(&session.account.username, session.account.role);
            state.store.close_session(&token, &by, state.now()).await?;
        }
    }
    Ok(with_cookie(None, https, "/staff"))
}
