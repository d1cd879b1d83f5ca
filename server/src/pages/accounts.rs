//! Accounts: every member's own page (role, second factor, change of password) and
//! the admin's page of accounts (create, disable, set a password, reset a lost second
//! factor). Passwords follow the policy of `crate::auth`; every change is audited.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::{Lang, Role, StaffText};
use maud::{html, Markup};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::{check_password, MAX_PASSWORD_CHARS};
use crate::http::error::try_again_in;
use crate::http::extract::{
    device_cookie, Admins, AnyStaff, ClientIp, Csrf, Https, Staff, StaffCx,
};
use crate::http::layout::{csrf_field, message, page_with_status, post_button};
use crate::http::ApiError;
use crate::sign_in::{self, Checked, MAX_USERNAME_CHARS};
use crate::store::{Account, NewAccount, StoreError};

fn password_inputs(lang: Lang) -> Markup {
    html! {
        p { label { (lang.t(StaffText::AccNewPassword)) " "
            input name="password" type="password" autocomplete="new-password" required
                maxlength=(MAX_PASSWORD_CHARS); } }
        p { label { (lang.t(StaffText::AccRepeatPassword)) " "
            input name="repeat" type="password" autocomplete="new-password" required
                maxlength=(MAX_PASSWORD_CHARS); } }
        p.muted { (lang.t(StaffText::AccPasswordRule)) }
    }
}

/// The own-account page.
fn own_page(
    state: &AppState,
    cx: &StaffCx,
    m: Option<(bool, String)>,
    status: StatusCode,
) -> Response {
    let lang = cx.lang;
    let a = &cx.account;
    let factor = if !state.needs_second_factor(a.role) {
        lang.t(StaffText::AccFactorNotNeeded)
    } else if a.totp_enabled {
        lang.t(StaffText::AccFactorOn)
    } else {
        lang.t(StaffText::AccFactorOff)
    };
    let body = html! {
        (message(&m))
        table {
            tr { th { (lang.t(StaffText::StaffUsername)) } td { (a.username) } }
            tr { th { (lang.t(StaffText::AccRole)) } td { (lang.t(a.role.name())) } }
            tr { th { (lang.t(StaffText::AccFactor)) } td { (factor) } }
            tr { th { (lang.t(StaffText::AccPasswordChanged)) } td { (state.format_time(a.password_changed_at)) } }
        }
        h2 { (lang.t(StaffText::AccChangePassword)) }
        form method="post" action="/staff/account/password" {
            (csrf_field(cx))
            p { label { (lang.t(StaffText::AccCurrentPassword)) " "
                input name="current" type="password" autocomplete="current-password" required
                    maxlength=(MAX_PASSWORD_CHARS); } }
            (password_inputs(lang))
            p { button { (lang.t(StaffText::AccChangePassword)) } }
        }
    };
    page_with_status(status, cx.frame(), lang.t(StaffText::AccOwnTitle), body)
}

/// `GET /staff/account`.
pub async fn own(State(state): State<AppState>, Staff { cx, .. }: Staff<AnyStaff>) -> Response {
    own_page(&state, &cx, None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct PasswordChange {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

/// A new password's problem, in `lang`, if any.
fn new_password_problem(
    lang: Lang,
    role: Role,
    username: &str,
    password: &str,
    repeat: &str,
) -> Option<String> {
    if password != repeat {
        return Some(lang.t(StaffText::AccRepeatDiffers).to_owned());
    }
    check_password(role, username, password)
        .err()
        .map(|p| p.text(lang))
}

/// `POST /staff/account/password`: the current password, then the new one twice.
/// The member's other sessions end.
pub async fn change_own_password(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Https(https): Https,
    Csrf { cx, form, .. }: Csrf<AnyStaff, PasswordChange>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let a = &cx.account;
    let checked = if form.current.is_empty() || form.current.chars().count() > MAX_PASSWORD_CHARS {
        Checked::Wrong
    } else {
        let device = device_cookie(&headers, https);
        sign_in::check_password(&state, ip.0, device.as_deref(), &a.username, &form.current).await?
    };
    match checked {
        Checked::Ok(..) => {}
        Checked::Wrong => {
            let m = Some((false, lang.t(StaffText::AccCurrentWrong).to_owned()));
            return Ok(own_page(&state, &cx, m, StatusCode::UNPROCESSABLE_ENTITY));
        }
        Checked::Limited(at) => {
            let m = Some((false, try_again_in(lang, at, state.now())));
            return Ok(own_page(&state, &cx, m, StatusCode::TOO_MANY_REQUESTS));
        }
    }
    if let Some(problem) =
        new_password_problem(lang, a.role, &a.username, &form.password, &form.repeat)
    {
        return Ok(own_page(
            &state,
            &cx,
            Some((false, problem)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let hash = state.hasher.hash(&form.password).await?;
    let now = state.now();
    state
        .store
        .set_password(a.id, &hash, Some(&cx.token), &cx.actor(), now)
        .await?;
    let m = Some((true, lang.t(StaffText::AccPasswordSaved).to_owned()));
    let page = own_page(&state, &cx, m, StatusCode::OK);
    with_renewed_device_cookie(&state, a, now, https, page)
}

/// `page` with a device cookie for `account`'s new password (set at `now`): the
/// cookies of the old password no longer count, and the browser that changed it
/// should not lose its protection against lockout.
fn with_renewed_device_cookie(
    state: &AppState,
    account: &Account,
    now: i64,
    https: bool,
    page: Response,
) -> Result<Response, ApiError> {
    let changed = Account {
        password_changed_at: now,
        ..account.clone()
    };
    let cookie = sign_in::device_set_cookie(state, &changed, now, https)?;
    Ok(([(axum::http::header::SET_COOKIE, cookie)], page).into_response())
}

/// The admin's page of accounts.
async fn accounts_page(
    state: &AppState,
    cx: &StaffCx,
    m: Option<(bool, String)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let accounts = state.store.accounts().await?;
    let yes_no = |b: bool| {
        lang.t(if b {
            StaffText::StaffYes
        } else {
            StaffText::StaffNo
        })
    };
    let row = |a: &Account| {
        let own = a.id == cx.account.id;
        let base = format!("/staff/accounts/{}", a.id);
        html! {
            tr {
                td data-label=(lang.t(StaffText::StaffUsername)) { (a.username) }
                td data-label=(lang.t(StaffText::AccRole)) { (lang.t(a.role.name())) }
                td data-label=(lang.t(StaffText::AccFactor)) { (yes_no(a.totp_enabled)) }
                td data-label=(lang.t(StaffText::AccDisabled)) { (yes_no(a.disabled)) }
                td data-label=(lang.t(StaffText::AccPasswordChanged)) { (state.format_time(a.password_changed_at)) }
                td {
                    @if !own {
                        @if a.disabled {
                            (post_button(cx, &format!("{base}/enable"), lang.t(StaffText::AccEnable), ""))
                        } @else {
                            (post_button(cx, &format!("{base}/disable"), lang.t(StaffText::AccDisable), "danger"))
                        }
                    }
                    " "
                    @if a.totp_enabled {
                        (post_button(cx, &format!("{base}/totp-reset"), lang.t(StaffText::AccResetFactor), ""))
                    }
                    details {
                        summary { (lang.t(StaffText::AccSetPassword)) }
                        form method="post" action={ (base) "/password" } {
                            (csrf_field(cx))
                            (password_inputs(lang))
                            p { button { (lang.t(StaffText::AccSetPassword)) } }
                        }
                    }
                }
            }
        }
    };
    let body = html! {
        (message(&m))
        table.cards {
            thead { tr {
                th { (lang.t(StaffText::StaffUsername)) }
                th { (lang.t(StaffText::AccRole)) }
                th { (lang.t(StaffText::AccFactor)) }
                th { (lang.t(StaffText::AccDisabled)) }
                th { (lang.t(StaffText::AccPasswordChanged)) }
                th {}
            } }
            tbody { @for a in &accounts { (row(a)) } }
        }
        h2 { (lang.t(StaffText::AccAdd)) }
        form method="post" action="/staff/accounts" {
            (csrf_field(cx))
            p { label { (lang.t(StaffText::StaffUsername)) " "
                input name="username" required maxlength=(MAX_USERNAME_CHARS) autocomplete="off"; } }
            p { label { (lang.t(StaffText::AccRole)) " "
                select name="role" {
                    @for r in Role::ALL { option value=(r.id()) { (lang.t(r.name())) } }
                } } }
            (password_inputs(lang))
            p { button { (lang.t(StaffText::AccAdd)) } }
        }
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        lang.t(StaffText::AccTitle),
        body,
    ))
}

/// `GET /staff/accounts` (admin).
pub async fn list(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Admins>,
) -> Result<Response, ApiError> {
    accounts_page(&state, &cx, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

/// A form with nothing but its `_csrf` token.
#[derive(Deserialize)]
pub struct NoFields {}

/// A sign-in name staff may have: 1–64 characters, letters, digits, `.`, `_`, `-`.
pub fn check_username(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= MAX_USERNAME_CHARS
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `POST /staff/accounts` (admin): a new account.
pub async fn add(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Admins, NewAccountForm>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let username = form.username.trim();
    let fail = |text: String| Some((false, text));
    let Some(role) = Role::from_id(&form.role) else {
        let m = fail(lang.t(StaffText::AccBadRole).to_owned());
        return accounts_page(&state, &cx, m, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if !check_username(username) {
        let m = fail(lang.t(StaffText::AccBadUsername).to_owned());
        return accounts_page(&state, &cx, m, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Some(problem) = new_password_problem(lang, role, username, &form.password, &form.repeat)
    {
        return accounts_page(&state, &cx, fail(problem), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let hash = state.hasher.hash(&form.password).await?;
    let new = NewAccount {
        username,
        password_hash: &hash,
        role,
    };
    match state
        .store
        .add_account(&new, &cx.actor(), state.now())
        .await
    {
        Ok(_) => {
            let m = Some((true, lang.fill(StaffText::AccAdded, &[("name", username)])));
            accounts_page(&state, &cx, m, StatusCode::OK).await
        }
        Err(StoreError::Exists(_)) => {
            let m = fail(lang.t(StaffText::AccNameTaken).to_owned());
            accounts_page(&state, &cx, m, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What an admin does to another account with one button.
enum Switch {
    Disable,
    Enable,
    ResetFactor,
}

async fn switch(state: AppState, id: i64, cx: StaffCx, what: Switch) -> Result<Response, ApiError> {
    let now = state.now();
    match what {
        Switch::ResetFactor => state.store.reset_totp(id, &cx.actor(), now).await?,
        Switch::Disable | Switch::Enable if id == cx.account.id => {
            let m = Some((false, cx.t(StaffText::AccNotYourself).to_owned()));
            return accounts_page(&state, &cx, m, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Switch::Disable => state.store.set_disabled(id, true, &cx.actor(), now).await?,
        Switch::Enable => {
            state
                .store
                .set_disabled(id, false, &cx.actor(), now)
                .await?
        }
    }
    Ok(Redirect::to("/staff/accounts").into_response())
}

/// `POST /staff/accounts/{id}/disable` (admin; never one's own): it cannot sign in,
/// and its sessions end.
pub async fn disable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, .. }: Csrf<Admins, NoFields>,
) -> Result<Response, ApiError> {
    switch(state, id, cx, Switch::Disable).await
}

/// `POST /staff/accounts/{id}/enable` (admin).
pub async fn enable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, .. }: Csrf<Admins, NoFields>,
) -> Result<Response, ApiError> {
    switch(state, id, cx, Switch::Enable).await
}

/// `POST /staff/accounts/{id}/totp-reset` (admin): a lost phone; the account enrols
/// again at its next sign-in.
pub async fn reset_factor(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, .. }: Csrf<Admins, NoFields>,
) -> Result<Response, ApiError> {
    switch(state, id, cx, Switch::ResetFactor).await
}

#[derive(Deserialize)]
pub struct NewPassword {
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

/// `POST /staff/accounts/{id}/password` (admin): a new password for an account (told
/// to its owner in person); its sessions end.
pub async fn set_password(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Https(https): Https,
    Csrf { cx, form, .. }: Csrf<Admins, NewPassword>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let account = state
        .store
        .account(id)
        .await?
        .ok_or(ApiError::NotFound(StaffText::NfRecord))?;
    if let Some(problem) = new_password_problem(
        lang,
        account.role,
        &account.username,
        &form.password,
        &form.repeat,
    ) {
        return accounts_page(
            &state,
            &cx,
            Some((false, problem)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let hash = state.hasher.hash(&form.password).await?;
    let own = id == cx.account.id;
    let keep = own.then_some(cx.token.as_str());
    let now = state.now();
    state
        .store
        .set_password(id, &hash, keep, &cx.actor(), now)
        .await?;
    let m = Some((
        true,
        lang.fill(StaffText::AccPasswordSet, &[("name", &account.username)]),
    ));
    let page = accounts_page(&state, &cx, m, StatusCode::OK).await?;
    if own {
        with_renewed_device_cookie(&state, &account, now, https, page)
    } else {
        Ok(page)
    }
}
