//! Extractors: a handler names what it needs — `Device`, `StaffApi<Records>`,
//! `Staff<Households>`, `Csrf<Admins, Form>`, `ReqLang`, `ClientIp`, `JsonBody`,
//! `Query<T>` — and gets it checked before its body runs, instead of calling gate
//! functions itself.
//!
//! - Residents' devices and API clients authenticate with a bearer token only: no
//!   ambient credential, so the API cannot be driven across sites.
//! - Staff pages use a session cookie (`HttpOnly`, `SameSite=Strict`; `Secure` with the
//!   `__Host-` prefix over HTTPS). Every state-changing staff request is a
//!   [`Csrf`] form: same origin (`Origin`, `Sec-Fetch-Site`) and the session's
//!   synchronizer token in `_csrf`.

use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::json::{self, Value};
use linli_core::sync::wire::WireError;
use linli_core::{Lang, Role, StaffText};
use serde::de::DeserializeOwned;

use super::layout::{forbidden_page, Frame};
use super::{ApiError, AppState, NavEntry};
use crate::store::{Account, SessionRow, SessionStage};

/// The largest JSON body accepted: a submission is a few kilobytes at most.
pub const BODY_LIMIT: usize = 64 * 1024;
/// The largest staff form accepted (a menu of 24 dishes is about 10 KB).
pub const FORM_LIMIT: usize = 64 * 1024;
/// The session cookie over plain HTTP (the demo on 127.0.0.1), sent to `/staff` only.
pub const COOKIE_HTTP: &str = "linli_staff";
/// The session cookie over HTTPS: `__Host-` makes the browser insist on `Secure`,
/// `Path=/` and no `Domain`.
pub const COOKIE_HTTPS: &str = "__Host-linli_staff";
/// The device cookie over plain HTTP: this browser signed in to an account before
/// (see [`crate::sign_in`]), sent to `/staff` only.
pub const DEVICE_COOKIE_HTTP: &str = "linli_device";
/// The device cookie over HTTPS.
pub const DEVICE_COOKIE_HTTPS: &str = "__Host-linli_device";

/// The language a client prefers of the two offered (RFC 9110 §12.5.4: tags are
/// case-insensitive, `q` weighs them, `q=0` refuses one): English only when it
/// weighs more than Chinese, Chinese otherwise.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let weight = |prefix: &str| {
        header
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim().to_ascii_lowercase();
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q=")?.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (tag == prefix || tag.starts_with(&format!("{prefix}-"))).then_some(q)
            })
            .fold(None, |best: Option<f32>, q| {
                Some(best.map_or(q, |b| b.max(q)))
            })
    };
    match (weight("en"), weight("zh")) {
        (Some(en), zh) if en > 0.0 && en > zh.unwrap_or(0.0) => Lang::En,
        _ => Lang::ZhCn,
    }
}

/// The request's language (`Accept-Language`).
#[derive(Clone, Copy, Debug)]
pub struct ReqLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ReqLang, Self::Rejection> {
        Ok(ReqLang(lang_of(&parts.headers)))
    }
}

fn peer(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// The client's address, through trusted proxies only (see `crate::limits`).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp
where
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ClientIp, Self::Rejection> {
        let state = AppState::from_ref(state);
        Ok(ClientIp(
            state.net.trusted.client(peer(parts), &parts.headers),
        ))
    }
}

/// Whether the request reached us over HTTPS (see [`is_https`]).
#[derive(Clone, Copy, Debug)]
pub struct Https(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for Https
where
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Https, Self::Rejection> {
        let state = AppState::from_ref(state);
        Ok(Https(is_https(&state, peer(parts), &parts.headers)))
    }
}

/// Whether the request reached us over HTTPS: the public URL says so, or a trusted
/// proxy says it terminated TLS (`X-Forwarded-Proto: https`).
pub fn is_https(state: &AppState, parts_peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    if let Some(origin) = &state.net.public_origin {
        return origin.starts_with("https://");
    }
    parts_peer.is_some_and(|p| state.net.trusted.trusts(p.ip()))
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The bearer token of a request, when it has a plausible one.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
}

/// The session token of the staff cookie: over HTTPS only the `__Host-` one (a cookie
/// planted over plain HTTP or by a sibling host cannot stand in for it), over HTTP only
/// the plain one; two session cookies of that name are refused (someone planted one).
pub fn session_cookie(headers: &HeaderMap, https: bool) -> Option<String> {
    one_cookie(headers, if https { COOKIE_HTTPS } else { COOKIE_HTTP }, 128)
}

/// The device cookie, chosen like [`session_cookie`]; its value is checked by
/// [`crate::sign_in`].
pub fn device_cookie(headers: &HeaderMap, https: bool) -> Option<String> {
    let name = if https {
        DEVICE_COOKIE_HTTPS
    } else {
        DEVICE_COOKIE_HTTP
    };
    one_cookie(headers, name, 256)
}

/// The one non-empty cookie called `wanted`, at most `max_len` bytes; none when it is
/// missing, empty, too long or sent twice.
fn one_cookie(headers: &HeaderMap, wanted: &str, max_len: usize) -> Option<String> {
    let mut found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == wanted).then_some(value)
        });
    let first = found.next()?;
    if found.next().is_some() || first.is_empty() || first.len() > max_len {
        return None;
    }
    Some(first.to_owned())
}

/// The `Set-Cookie` value for a device cookie, kept by the browser for
/// `max_age_s` seconds.
pub fn device_cookie_header(value: &str, https: bool, max_age_s: i64) -> String {
    let (name, path, secure) = if https {
        (DEVICE_COOKIE_HTTPS, "/", "; Secure")
    } else {
        (DEVICE_COOKIE_HTTP, "/staff", "")
    };
    format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}; Max-Age={max_age_s}{secure}")
}

/// The `Set-Cookie` value for a new session token (or, with `None`, one that removes
/// it). Over HTTPS: `__Host-`, `Secure`, `Path=/`.
pub fn session_cookie_header(token: Option<&str>, https: bool) -> String {
    let (name, path, secure) = if https {
        (COOKIE_HTTPS, "/", "; Secure")
    } else {
        (COOKIE_HTTP, "/staff", "")
    };
    match token {
        // No Max-Age: the browser forgets it when closed; the server ends it after
        // 30 minutes idle or 12 hours.
        Some(t) => format!("{name}={t}; HttpOnly; SameSite=Strict; Path={path}{secure}"),
        None => format!("{name}=; HttpOnly; SameSite=Strict; Path={path}; Max-Age=0{secure}"),
    }
}

/// A household's device, by its bearer token.
#[derive(Clone, Copy, Debug)]
pub struct Device {
    /// The household (unit) it is linked to.
    pub unit_id: i64,
    /// When this token was linked (ms since the epoch): the earliest a submission
    /// sent with it is believed made, for a cut-off's grace.
    pub linked_at: i64,
    /// When its household was registered (ms): nothing it sends can have been made
    /// before. A phone linked again keeps what it queued under its old token.
    pub household_since: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for Device
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Device, ApiError> {
        let state = AppState::from_ref(state);
        let token = bearer(&parts.headers).ok_or(ApiError::Unauthorized)?;
        match state.store.device_unit(token).await? {
            Some((unit_id, linked_at, household_since)) => Ok(Device {
                unit_id,
                linked_at,
                household_since,
            }),
            None => {
                crate::log::event(
                    "auth_failure",
                    &[("kind", "device_token"), ("path", parts.uri.path())],
                );
                Err(ApiError::Unauthorized)
            }
        }
    }
}

/// A set of roles a handler requires.
pub trait Roles: Send + Sync + 'static {
    /// Who may.
    const ALLOWED: &'static [Role];
}

macro_rules! role_sets {
    ($($(#[$doc:meta])* $name:ident = [$($role:ident),*];)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug)]
            pub struct $name;
            impl Roles for $name {
                const ALLOWED: &'static [Role] = &[$(Role::$role),*];
            }
        )*
    };
}

role_sets! {
    /// Every staff role (their own account page).
    AnyStaff = [Admin, Staff, Kitchen, Organisation, Handler, Auditor];
    /// Accounts, the audit head: admins only.
    Admins = [Admin];
    /// Households, their codes, devices and erasure.
    Households = [Admin, Staff];
    /// Notices (公告): writing, scheduling, withdrawing.
    Notices = [Admin, Staff];
    /// Submissions as received.
    Records = [Admin, Staff, Auditor];
    /// The audit trail.
    Trail = [Admin, Auditor];
}

async fn full_session(
    state: &AppState,
    token: &str,
    path: &str,
) -> Result<Option<SessionRow>, ApiError> {
    let session = state.store.session(token, state.now()).await?;
    match session {
        Some(s) if s.stage == SessionStage::Full => Ok(Some(s)),
        _ => {
            crate::log::event("auth_failure", &[("kind", "staff_session"), ("path", path)]);
            Ok(None)
        }
    }
}

fn allowed<R: Roles>(account: &Account, path: &str) -> bool {
    let ok = R::ALLOWED.contains(&account.role);
    if !ok {
        crate::log::event(
            "access_denied",
            &[("role", account.role.id()), ("path", path)],
        );
    }
    ok
}

/// A signed-in staff member of one of `R`'s roles, by bearer token (the API).
#[derive(Debug)]
pub struct StaffApi<R: Roles> {
    /// The account.
    pub account: Account,
    /// The session token (to end it).
    pub token: String,
    _roles: PhantomData<R>,
}

impl<R: Roles, S: Send + Sync> FromRequestParts<S> for StaffApi<R>
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let state = AppState::from_ref(state);
        let token = bearer(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let session = full_session(&state, token, parts.uri.path())
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if !allowed::<R>(&session.account, parts.uri.path()) {
            return Err(ApiError::Forbidden);
        }
        Ok(StaffApi {
            account: session.account,
            token: token.to_owned(),
            _roles: PhantomData,
        })
    }
}

/// A signed-in staff member on a console page: what the layout and the handler need.
#[derive(Clone, Debug)]
pub struct StaffCx {
    /// The account.
    pub account: Account,
    /// The session's synchronizer token, for the page's forms.
    pub csrf: String,
    /// The session token.
    pub token: String,
    /// The page's language.
    pub lang: Lang,
    /// The navigation this role sees.
    pub nav: Vec<NavEntry>,
    /// Reached over HTTPS.
    pub https: bool,
}

impl StaffCx {
    /// The frame (header, navigation) of a page for this member.
    pub fn frame(&self) -> Frame<'_> {
        Frame {
            lang: self.lang,
            staff: Some(self),
        }
    }

    /// Text in the page's language.
    pub fn t(&self, text: StaffText) -> &'static str {
        self.lang.t(text)
    }

    /// Who did it, for the audit log.
    pub fn actor(&self) -> crate::store::Actor {
        crate::store::Actor::staff(&self.account.username, self.account.role)
    }
}

/// Why a console page is not shown.
pub enum PageRejection {
    /// Not signed in (or the session ended): to the sign-in page.
    SignIn,
    /// Signed in, but the role may not use this page (403, in the layout).
    Forbidden(Box<StaffCx>),
    /// The request is not same-origin or lacks the session's token (403).
    CrossSite(Lang),
    /// Something else failed.
    Error(ApiError),
}

impl IntoResponse for PageRejection {
    fn into_response(self) -> Response {
        match self {
            PageRejection::SignIn => Redirect::to("/staff").into_response(),
            PageRejection::Forbidden(cx) => {
                forbidden_page(cx.frame(), cx.t(StaffText::StaffForbidden))
            }
            PageRejection::CrossSite(lang) => forbidden_page(
                Frame { lang, staff: None },
                lang.t(StaffText::StaffCrossSite),
            ),
            PageRejection::Error(e) => e.into_response(),
        }
    }
}

impl From<ApiError> for PageRejection {
    fn from(e: ApiError) -> PageRejection {
        PageRejection::Error(e)
    }
}

async fn staff_cx<R: Roles>(parts: &Parts, state: &AppState) -> Result<StaffCx, PageRejection> {
    let https = is_https(state, peer(parts), &parts.headers);
    let token = session_cookie(&parts.headers, https).ok_or(PageRejection::SignIn)?;
    let session = full_session(state, &token, parts.uri.path())
        .await?
        .ok_or(PageRejection::SignIn)?;
    let cx = StaffCx {
        nav: state.nav_for(session.account.role),
        lang: lang_of(&parts.headers),
        https,
        account: session.account,
        csrf: session.csrf,
        token,
    };
    if !allowed::<R>(&cx.account, parts.uri.path()) {
        return Err(PageRejection::Forbidden(Box::new(cx)));
    }
    Ok(cx)
}

/// A signed-in staff member of one of `R`'s roles, on a console page (cookie).
pub struct Staff<R: Roles> {
    /// The member and the page's context.
    pub cx: StaffCx,
    _roles: PhantomData<R>,
}

impl<R: Roles, S: Send + Sync> FromRequestParts<S> for Staff<R>
where
    AppState: FromRef<S>,
{
    type Rejection = PageRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageRejection> {
        let state = AppState::from_ref(state);
        Ok(Staff {
            cx: staff_cx::<R>(parts, &state).await?,
            _roles: PhantomData,
        })
    }
}

/// Whether a state-changing request comes from our own pages. `Sec-Fetch-Site`, which
/// every current browser sends, must be `same-origin` (or `none`: typed by the user);
/// then the request is ours. Without it (an old browser), `Origin` must be ours — the
/// public URL's, or this request's own scheme and host — when sent. Under
/// `Referrer-Policy: no-referrer` browsers send `Origin: null` even on same-origin form
/// posts, so `null` is judged by `Sec-Fetch-Site` alone. The session's CSRF token is
/// required as well, whatever these say.
pub fn same_origin(state: &AppState, parts: &Parts) -> bool {
    let headers = &parts.headers;
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let expected = match &state.net.public_origin {
        Some(o) => o.clone(),
        None => {
            let scheme = if is_https(state, peer(parts), headers) {
                "https"
            } else {
                "http"
            };
            let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
                return false;
            };
            format!("{scheme}://{host}")
        }
    };
    let ours = origin.eq_ignore_ascii_case(&expected);
    if !ours {
        // Origins are not personal data; they tell an operator a mistyped --public-url.
        crate::log::event(
            "origin_mismatch",
            &[("expected", &expected), ("got", origin)],
        );
    }
    ours
}

async fn form_bytes(body: axum::body::Body) -> Result<Bytes, PageRejection> {
    axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| PageRejection::Error(ApiError::TooLarge))
}

fn form_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PageRejection> {
    serde_urlencoded::from_bytes(bytes).map_err(|e| {
        PageRejection::Error(ApiError::Invalid(WireError {
            field: "form".into(),
            message: e.to_string(),
        }))
    })
}

/// The member behind a state-changing console request and the page's language, once
/// the request is known to be same-origin (else refused and logged); the token is the
/// caller's to check in the body it reads.
async fn state_changing<R: Roles>(
    state: &AppState,
    parts: &Parts,
) -> Result<(StaffCx, Lang), PageRejection> {
    let lang = lang_of(&parts.headers);
    if !same_origin(state, parts) {
        crate::log::event(
            "csrf_refused",
            &[("reason", "origin"), ("path", parts.uri.path())],
        );
        return Err(PageRejection::CrossSite(lang));
    }
    Ok((staff_cx::<R>(parts, state).await?, lang))
}

/// Whether the token sent with a state-changing request is the session's (compared in
/// constant time); a missing or wrong one is refused and logged.
fn session_token(
    sent: Option<&[u8]>,
    cx: &StaffCx,
    lang: Lang,
    path: &str,
) -> Result<(), PageRejection> {
    if sent.is_some_and(|t| constant_time_eq(t, cx.csrf.as_bytes())) {
        return Ok(());
    }
    crate::log::event("csrf_refused", &[("reason", "token"), ("path", path)]);
    Err(PageRejection::CrossSite(lang))
}

/// A state-changing console form: a signed-in member of `R`'s roles, a same-origin
/// request, the session's synchronizer token in `_csrf`, and the form `T` (at most
/// [`FORM_LIMIT`] bytes). Anything else is refused with 403 before the handler runs,
/// and nothing is written.
pub struct Csrf<R: Roles, T> {
    /// The member.
    pub cx: StaffCx,
    /// The form.
    pub form: T,
    _roles: PhantomData<R>,
}

impl<R: Roles, T: DeserializeOwned + Send, S: Send + Sync> FromRequest<S> for Csrf<R, T>
where
    AppState: FromRef<S>,
{
    type Rejection = PageRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, PageRejection> {
        let state = &AppState::from_ref(state);
        let (parts, body) = request.into_parts();
        let (cx, lang) = state_changing::<R>(state, &parts).await?;
        let bytes = form_bytes(body).await?;
        let fields: Vec<(String, String)> = form_value(&bytes)?;
        let token = fields
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str());
        session_token(token.map(str::as_bytes), &cx, lang, parts.uri.path())?;
        Ok(Csrf {
            cx,
            form: form_value(&bytes)?,
            _roles: PhantomData,
        })
    }
}

/// The largest console upload (a notice's photo from a phone camera), the whole
/// request, in bytes; each upload field has its own limit below this.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024 + 64 * 1024;

/// The most parts of an upload kept (the settings form has about a hundred fields);
/// the body's size is capped anyway.
const MAX_PARTS: usize = 256;

/// The text of the upload's part `name` ("" when absent; bytes that are not UTF-8
/// replaced).
pub fn part_text(parts: &[UploadPart], name: &str) -> String {
    parts
        .iter()
        .find(|p| p.name == name)
        .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
        .unwrap_or_default()
}

/// One part of an upload: its field name and content.
#[derive(Debug)]
pub struct UploadPart {
    /// The form field (`logo`, `note`).
    pub name: String,
    /// The content.
    pub bytes: Bytes,
}

/// A console upload (`multipart/form-data`), checked as [`Csrf`] checks a form: a
/// signed-in member of `R`'s roles, same-origin, the session's token in the `_csrf`
/// part; the whole body at most [`UPLOAD_LIMIT`] bytes, [`MAX_PARTS`] parts kept. The same form
/// sent urlencoded (no file) is taken too. Anything else is refused before the handler
/// runs.
pub struct CsrfUpload<R: Roles> {
    /// The member.
    pub cx: StaffCx,
    /// The parts, `_csrf` left out.
    pub parts: Vec<UploadPart>,
    _roles: PhantomData<R>,
}

impl<R: Roles, S: Send + Sync> FromRequest<S> for CsrfUpload<R>
where
    AppState: FromRef<S>,
{
    type Rejection = PageRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, PageRejection> {
        let state = &AppState::from_ref(state);
        let (parts, body) = request.into_parts();
        let (cx, lang) = state_changing::<R>(state, &parts).await?;
        let path = parts.uri.path().to_owned();
        let bytes = axum::body::to_bytes(body, UPLOAD_LIMIT)
            .await
            .map_err(|_| PageRejection::Error(ApiError::TooLarge))?;
        let urlencoded = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if urlencoded {
            // The same form without its file (a script, a browser that sends no file).
            let mut token = None;
            let mut fields = Vec::new();
            for (name, value) in form_urlencoded::parse(&bytes) {
                if name == "_csrf" {
                    token = Some(value.into_owned());
                } else if fields.len() < MAX_PARTS {
                    fields.push(UploadPart {
                        name: name.into_owned(),
                        bytes: Bytes::from(value.into_owned()),
                    });
                }
            }
            session_token(token.as_deref().map(str::as_bytes), &cx, lang, &path)?;
            return Ok(CsrfUpload {
                cx,
                parts: fields,
                _roles: PhantomData,
            });
        }
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        let unreadable = |e: String| {
            PageRejection::Error(ApiError::Invalid(WireError {
                field: "upload".into(),
                message: e,
            }))
        };
        let bad = |e: axum::extract::multipart::MultipartError| unreadable(e.body_text());
        let mut multipart = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|e| unreadable(e.body_text()))?;
        let mut token = None;
        let mut fields = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(bad)?;
            if name == "_csrf" {
                token = Some(bytes);
            } else if fields.len() < MAX_PARTS {
                fields.push(UploadPart { name, bytes });
            }
        }
        session_token(token.as_deref(), &cx, lang, &path)?;
        Ok(CsrfUpload {
            cx,
            parts: fields,
            _roles: PhantomData,
        })
    }
}

/// A form posted before signing in (the sign-in and second-factor forms): refused
/// unless same-origin, at most [`FORM_LIMIT`] bytes.
pub struct SameOriginForm<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequest<S> for SameOriginForm<T>
where
    AppState: FromRef<S>,
{
    type Rejection = PageRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, PageRejection> {
        let state = &AppState::from_ref(state);
        let (parts, body) = request.into_parts();
        if !same_origin(state, &parts) {
            crate::log::event(
                "csrf_refused",
                &[("reason", "origin"), ("path", parts.uri.path())],
            );
            return Err(PageRejection::CrossSite(lang_of(&parts.headers)));
        }
        let bytes = form_bytes(body).await?;
        Ok(SameOriginForm(form_value(&bytes)?))
    }
}

/// Whether a token sent equals the session's, compared in constant time.
pub fn tokens_match(sent: &str, expected: &str) -> bool {
    constant_time_eq(sent.as_bytes(), expected.as_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A JSON body within `LIMIT` bytes ([`BODY_LIMIT`] unless said), read into the core
/// value tree.
pub struct JsonBody<const LIMIT: usize = BODY_LIMIT>(pub Value);

/// The largest submission envelope, in bytes: a report with its three photos (each at
/// most `linli_core::feedback::MAX_PHOTO_BASE64` characters) and the rest within
/// [`BODY_LIMIT`]. Each kind's own check caps its fields.
pub const SUBMISSION_LIMIT: usize =
    BODY_LIMIT + linli_core::feedback::MAX_PHOTOS * linli_core::feedback::MAX_PHOTO_BASE64;

impl<S: Send + Sync, const LIMIT: usize> FromRequest<S> for JsonBody<LIMIT> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<JsonBody<LIMIT>, ApiError> {
        let bytes = axum::body::to_bytes(request.into_body(), LIMIT)
            .await
            .map_err(|_| ApiError::TooLarge)?;
        let text =
            std::str::from_utf8(&bytes).map_err(|_| ApiError::Malformed("not UTF-8".into()))?;
        json::from_str(text)
            .map(JsonBody)
            .map_err(|e| ApiError::Malformed(e.to_string()))
    }
}

impl<const LIMIT: usize> JsonBody<LIMIT> {
    /// A string member of 1 to `max` characters; the error names it.
    pub fn text(&self, key: &str, max: usize) -> Result<&str, ApiError> {
        let invalid = |message: String| {
            ApiError::Invalid(WireError {
                field: key.into(),
                message,
            })
        };
        let Value::Object(members) = &self.0 else {
            return Err(ApiError::Invalid(WireError {
                field: String::new(),
                message: format!("expected an object, found {}", self.0.kind()),
            }));
        };
        match members.iter().find(|(k, _)| k == key).map(|(_, v)| v) {
            Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= max => Ok(s),
            Some(Value::String(_)) => Err(invalid(format!("must be 1 to {max} characters"))),
            Some(other) => Err(invalid(format!("expected string, found {}", other.kind()))),
            None => Err(invalid("is missing".into())),
        }
    }

    /// An optional string member (absent or `null` is `None`).
    pub fn optional_text(&self, key: &str, max: usize) -> Result<Option<&str>, ApiError> {
        match &self.0 {
            Value::Object(m) if m.iter().any(|(k, v)| k == key && *v != Value::Null) => {
                self.text(key, max).map(Some)
            }
            _ => Ok(None),
        }
    }
}

/// Query parameters into `T` (percent-decoded by serde); a bad one is a 422 naming it.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Query<T>, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(pairs)
            .map(Query)
            .map_err(|e| {
                let field = e.path().to_string();
                ApiError::Invalid(WireError {
                    field: if field == "." { "query".into() } else { field },
                    message: e.into_inner().to_string(),
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_cookie_of_the_scheme_counts_and_a_planted_second_one_voids_it() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; linli_staff=tok123; b=2".parse().unwrap(),
        );
        assert_eq!(session_cookie(&h, false).as_deref(), Some("tok123"));
        assert_eq!(session_cookie(&h, true), None, "plain cookie over HTTPS");
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "linli_staff=planted; __Host-linli_staff=tok9"
                .parse()
                .unwrap(),
        );
        assert_eq!(session_cookie(&h, true).as_deref(), Some("tok9"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "linli_staff=planted; linli_staff=mine".parse().unwrap(),
        );
        assert_eq!(session_cookie(&h, false), None);
        assert_eq!(session_cookie(&HeaderMap::new(), false), None);
    }

    #[test]
    fn https_cookies_are_host_prefixed_and_secure() {
        let c = session_cookie_header(Some("t"), true);
        assert!(c.starts_with("__Host-linli_staff=t;"), "{c}");
        assert!(c.contains("; Secure") && c.contains("Path=/;") && c.contains("HttpOnly"));
        let plain = session_cookie_header(Some("t"), false);
        assert!(!plain.contains("Secure") && plain.contains("Path=/staff"));
        assert!(session_cookie_header(None, true).contains("Max-Age=0"));
    }
}
