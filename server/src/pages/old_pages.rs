//! The staff pages: server-rendered HTML, so residents never download them and they
//! work on any office browser. Signed in with a session cookie (HttpOnly,
//! SameSite=Strict, path /staff); every page checks the role it needs.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linli_core::date::{format_timestamp, CHINA_OFFSET_MINUTES};
use linli_core::{Lang, StaffText};

use crate::api::{login, staff_of, AppState, MANAGE_UNITS, READ_SUBMISSIONS};
use crate::error::ApiError;
use crate::staff::StaffMember;
use crate::store::Actor;

const COOKIE: &str = "linli_staff";

/// The staff pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff", get(home))
        .route("/staff/login", post(sign_in))
        .route("/staff/logout", post(sign_out))
        .route("/staff/submissions", get(submissions))
        .route("/staff/units", get(units))
        .route("/staff/units/{id}/code", post(one_code))
        .route("/staff/codes", post(all_codes))
}

/// The session token in the staff cookie, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            pair.trim()
                .strip_prefix(&format!("{COOKIE}="))
                .map(str::to_owned)
        })
}

pub(crate) use crate::api::lang;

pub(crate) use linli_core::escape_html as esc;

const STYLE: &str = "body{font:16px/1.5 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:0;color:#1a1a1a;background:#f4f5f7}\
header{display:flex;gap:1rem;align-items:center;padding:.5rem 1rem;background:#2f4858;color:#fff}\
header h1{font-size:1.2rem;margin:0;flex:1}header a{color:#fff}main{padding:1rem;max-width:960px;margin:auto}\
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d4da;padding:.4rem .6rem;text-align:left;vertical-align:top}\
button,input{font:inherit;min-height:44px;padding:0 1rem}form.inline{display:inline}.error{color:#b3261e;font-weight:700}\
.sheet{display:grid;grid-template-columns:repeat(2,1fr);gap:1rem}.slip{background:#fff;border:2px dashed #555;padding:1rem;break-inside:avoid}\
.code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.1em}code{word-break:break-all}\
@media print{header,.no-print{display:none}body{background:#fff}}";

pub(crate) fn page(lang: Lang, who: Option<&StaffMember>, title: &str, body: &str) -> Html<String> {
    let nav = match who {
        Some(m) => format!(
            "<a href=\"/staff/submissions\">{}</a> <a href=\"/staff/units\">{}</a> <span>{}</span>\
             <form class=\"inline\" method=\"post\" action=\"/staff/logout\"><button>{}</button></form>",
            esc(lang.t(StaffText::StaffSubmissions)),
            esc(lang.t(StaffText::StaffUnits)),
            esc(&lang.fill(StaffText::StaffSignedInAs, &[("name", &m.username), ("role", m.role.as_str())])),
            esc(lang.t(StaffText::StaffSignOut)),
        ),
        None => String::new(),
    };
    Html(format!(
        "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · {}</title><style>{STYLE}</style><header><h1>{}</h1>{nav}</header><main><h2>{}</h2>{body}</main></html>",
        lang.code(),
        esc(title),
        esc(lang.t(StaffText::StaffTitle)),
        esc(lang.t(StaffText::StaffTitle)),
        esc(title),
    ))
}

fn login_page(lang: Lang, problem: Option<StaffText>) -> Response {
    let error = problem
        .map(|t| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(lang.t(t))))
        .unwrap_or_default();
    let body = format!(
        "{error}<form method=\"post\" action=\"/staff/login\">\
         <p><label>{} <input name=\"username\" autocomplete=\"username\" required></label></p>\
         <p><label>{} <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>\
         <p><button>{}</button></p></form>",
        esc(lang.t(StaffText::StaffUsername)),
        esc(lang.t(StaffText::StaffPassword)),
        esc(lang.t(StaffText::StaffSignInButton)),
    );
    let status = if problem.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    (
        status,
        page(lang, None, lang.t(StaffText::StaffSignIn), &body),
    )
        .into_response()
}

/// Signed-in staff with one of `roles`, or the response to send instead.
pub(crate) async fn gate(
    state: &AppState,
    headers: &HeaderMap,
    roles: &[crate::staff::Role],
) -> Result<StaffMember, Response> {
    let lang = lang(headers);
    let member = match staff_of(state, headers).await {
        Ok(m) => m,
        Err(ApiError::Unauthorized) => return Err(Redirect::to("/staff").into_response()),
        Err(e) => return Err(e.into_response()),
    };
    if member.require(roles).is_err() {
        let body = format!(
            "<p class=\"error\">{}</p>",
            esc(lang.t(StaffText::StaffForbidden))
        );
        return Err((
            StatusCode::FORBIDDEN,
            page(
                lang,
                Some(&member),
                lang.t(StaffText::StaffForbidden),
                &body,
            ),
        )
            .into_response());
    }
    Ok(member)
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match staff_of(&state, &headers).await {
        Ok(_) => Redirect::to("/staff/submissions").into_response(),
        Err(_) => login_page(lang(&headers), None),
    }
}

async fn sign_in(State(state): State<AppState>, request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let headers = request.headers().clone();
    let Ok(Form(form)) = Form::<HashMap<String, String>>::from_request(request, &state).await
    else {
        return login_page(lang(&headers), Some(StaffText::StaffSignInFailed));
    };
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    match login(&state, peer, field("username"), field("password")).await {
        Ok((token, _)) => {
            let cookie =
                format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/staff; Max-Age=43200");
            (
                [(header::SET_COOKIE, cookie)],
                Redirect::to("/staff/submissions"),
            )
                .into_response()
        }
        Err(ApiError::RateLimited) => login_page(lang(&headers), Some(StaffText::StaffRateLimited)),
        Err(ApiError::Unauthorized) => {
            login_page(lang(&headers), Some(StaffText::StaffSignInFailed))
        }
        Err(e) => e.into_response(),
    }
}

async fn sign_out() -> Response {
    let cookie = format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/staff; Max-Age=0");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/staff")).into_response()
}

async fn submissions(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match gate(&state, &headers, READ_SUBMISSIONS).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let rows = match state.store.recent_submissions(200).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let body = if rows.is_empty() {
        format!("<p>{}</p>", esc(lang.t(StaffText::StaffNoSubmissions)))
    } else {
        let mut t = format!(
            "<table><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(lang.t(StaffText::StaffColReceived)),
            esc(lang.t(StaffText::StaffColUnit)),
            esc(lang.t(StaffText::StaffColKind)),
            esc(lang.t(StaffText::StaffColContent)),
        );
        for r in rows {
            t.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                r.seq,
                esc(&format_timestamp(r.received_at, CHINA_OFFSET_MINUTES)),
                esc(&r.unit),
                esc(&r.kind),
                esc(&r.payload),
            ));
        }
        t.push_str("</table>");
        t
    };
    page(
        lang,
        Some(&member),
        lang.t(StaffText::StaffSubmissions),
        &body,
    )
    .into_response()
}

async fn units(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match gate(&state, &headers, MANAGE_UNITS).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let rows = match state.store.units().await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let yes_no = |b: bool| {
        esc(lang.t(if b {
            StaffText::StaffYes
        } else {
            StaffText::StaffNo
        }))
    };
    let mut body = format!(
        "<form method=\"post\" action=\"/staff/codes\" class=\"no-print\"><p><button>{}</button></p></form>\
         <table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
        esc(lang.t(StaffText::StaffPrintCodes)),
        esc(lang.t(StaffText::StaffColBuilding)),
        esc(lang.t(StaffText::StaffColUnit)),
        esc(lang.t(StaffText::StaffColDevices)),
        esc(lang.t(StaffText::StaffColCodeOut)),
    );
    for u in rows {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><form class=\"inline\" method=\"post\" action=\"/staff/units/{}/code\"><button>{}</button></form></td></tr>",
            esc(&u.building),
            esc(&u.label),
            u.devices,
            yes_no(u.code_pending),
            u.id,
            esc(lang.t(StaffText::StaffIssueCode)),
        ));
    }
    body.push_str("</table>");
    page(lang, Some(&member), lang.t(StaffText::StaffUnits), &body).into_response()
}

/// A printable sheet of (unit label, code) slips.
fn code_sheet(lang: Lang, member: &StaffMember, slips: &[(String, String)]) -> Response {
    let mut body = format!(
        "<p class=\"no-print\"><button onclick=\"print()\">{}</button></p><div class=\"sheet\">",
        esc(lang.t(StaffText::StaffPrint))
    );
    for (label, code) in slips {
        body.push_str(&format!(
            "<div class=\"slip\"><p><strong>{}</strong></p><p class=\"code\">{}</p><p>{}</p></div>",
            esc(label),
            esc(code),
            esc(lang.t(StaffText::StaffCodeSheetHint)),
        ));
    }
    body.push_str("</div>");
    page(
        lang,
        Some(member),
        lang.t(StaffText::StaffCodeSheetTitle),
        &body,
    )
    .into_response()
}

async fn one_code(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let member = match gate(&state, &headers, MANAGE_UNITS).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let label = match state.store.units().await {
        Ok(units) => units.into_iter().find(|u| u.id == id).map(|u| u.label),
        Err(e) => return e.into_response(),
    };
    let Some(label) = label else {
        return ApiError::NotFound("unit").into_response();
    };
    match state
        .store
        .issue_code(id, &Actor::staff(&member), (state.clock)())
        .await
    {
        Ok(code) => code_sheet(lang(&headers), &member, &[(label, code)]),
        Err(e) => e.into_response(),
    }
}

async fn all_codes(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match gate(&state, &headers, MANAGE_UNITS).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let units = match state.store.units().await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let mut slips = Vec::with_capacity(units.len());
    for u in units {
        match state
            .store
            .issue_code(u.id, &Actor::staff(&member), (state.clock)())
            .await
        {
            Ok(code) => slips.push((u.label, code)),
            Err(e) => return e.into_response(),
        }
    }
    code_sheet(lang(&headers), &member, &slips)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; linli_staff=tok123; b=2".parse().unwrap(),
        );
        assert_eq!(session_cookie(&h).as_deref(), Some("tok123"));
        assert_eq!(session_cookie(&HeaderMap::new()), None);
    }
}
