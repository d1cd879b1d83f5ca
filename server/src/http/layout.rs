//! The staff console's one layout: header, the navigation of the member's role (from
//! the generic pages and every scenario), and the page; server-rendered with maud.
//!
//! Why maud rather than askama: the markup sits beside the handler that fills it and
//! uses the same Rust — the text tables, the core formatters, the role checks —
//! with no second template language, and every interpolated value is escaped unless
//! wrapped in `PreEscaped` by name (never done with data). askama's separate files
//! would have needed a struct per page, with the layout's fields repeated through
//! template inheritance.
//!
//! No inline script or style: the CSS and the small script (print buttons) are files
//! under `/staff/assets/`, so the console runs under a CSP without `unsafe-inline`.
//! At phone width the navigation wraps and tables marked `cards` become one card per
//! row (`data-label` names each cell).

use std::sync::LazyLock;

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use linli_core::{Lang, StaffText};
use maud::{html, Markup, DOCTYPE};

use super::extract::StaffCx;

/// The console's stylesheet.
pub const STAFF_CSS: &str = include_str!("assets/staff.css");
/// The console's script: print buttons.
pub const STAFF_JS: &str = include_str!("assets/staff.js");

/// A short content hash of the assets, appended to their URLs so a new build is
/// fetched at once while a browser may cache a build's assets for long.
pub static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    let both = format!("{STAFF_CSS}{STAFF_JS}");
    crate::store::digest(&both)[..12].to_owned()
});

/// What frames a page: its language, and who is signed in (if anyone).
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    /// The page's language.
    pub lang: Lang,
    /// The member, with their navigation and session token for the sign-out form.
    pub staff: Option<&'a StaffCx>,
}

/// The outcome of a form, above the page: `(true, text)` said as a status, `(false,
/// text)` as an alert; nothing without one.
pub fn message(m: &Option<(bool, String)>) -> Markup {
    html! {
        @if let Some((ok, text)) = m {
            @if *ok { p.ok role="status" { (text) } } @else { p.error role="alert" { (text) } }
        }
    }
}

/// A posted form field, trimmed ("" when absent).
pub fn form_field<'a>(form: &'a std::collections::HashMap<String, String>, key: &str) -> &'a str {
    form.get(key).map(|v| v.trim()).unwrap_or_default()
}

/// The hidden synchronizer-token field every state-changing form carries.
pub fn csrf_field(cx: &StaffCx) -> Markup {
    html! { input type="hidden" name="_csrf" value=(cx.csrf); }
}

/// A one-button form that posts to `action` with the session's token.
pub fn post_button(cx: &StaffCx, action: &str, label: &str, class: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (csrf_field(cx))
            button.(class) { (label) }
        }
    }
}

/// A print button (the console's script calls `print()`; no inline handler).
pub fn print_button(lang: Lang) -> Markup {
    html! { button.no-print type="button" data-print { (lang.t(StaffText::StaffPrint)) } }
}

/// An SVG document shown as an `<img>` from a `data:` URL (the console's CSP allows
/// `data:` images, not inline markup from elsewhere).
pub fn svg_img(svg: &str, alt: &str) -> Markup {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let src = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        utf8_percent_encode(svg, NON_ALPHANUMERIC)
    );
    html! { img alt=(alt) src=(src); }
}

/// A QR code of `text` (qrcode crate, SVG), as an image; nothing if it cannot be made.
pub fn qr(text: &str, alt: &str) -> Markup {
    use qrcode::render::svg;
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<svg::Color<'_>>()
                .min_dimensions(160, 160)
                .dark_color(svg::Color("#000000"))
                .light_color(svg::Color("#ffffff"))
                .build();
            svg_img(&svg, alt)
        }
        Err(_) => html! {},
    }
}

/// The whole page, 200.
pub fn page(frame: Frame<'_>, title: &str, body: Markup) -> Response {
    page_with_status(StatusCode::OK, frame, title, body)
}

/// The whole page with a status.
pub fn page_with_status(
    status: StatusCode,
    frame: Frame<'_>,
    title: &str,
    body: Markup,
) -> Response {
    let lang = frame.lang;
    let console = lang.t(StaffText::StaffTitle);
    let v = ASSET_VERSION.as_str();
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (title) " · " (console) }
                link rel="stylesheet" href={ "/staff/assets/staff.css?v=" (v) };
                // The app's own icon (the console has no favicon.ico of its own).
                link rel="icon" href="/icons/icon-192.png" type="image/png";
                script src={ "/staff/assets/staff.js?v=" (v) } defer {}
            }
            body {
                header.top {
                    a.brand href="/staff" { (console) }
                    @if let Some(cx) = frame.staff {
                        nav aria-label=(lang.t(StaffText::StaffNav)) {
                            ul {
                                @for entry in &cx.nav {
                                    li { a href=(entry.path) { (lang.t(entry.label)) } }
                                }
                            }
                        }
                        div.who {
                            a href="/staff/account" {
                                (lang.fill(StaffText::StaffSignedInAs, &[
                                    ("name", &cx.account.username),
                                    ("role", lang.t(cx.account.role.name())),
                                ]))
                            }
                            " "
                            (post_button(cx, "/staff/logout", lang.t(StaffText::StaffSignOut), "link"))
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    };
    (status, Html(markup.into_string())).into_response()
}

/// A 403 page saying why.
pub fn forbidden_page(frame: Frame<'_>, message: &str) -> Response {
    let body = html! {
        p.error role="alert" { (message) }
        p { a href="/staff" { (frame.lang.t(StaffText::StaffBackHome)) } }
    };
    page_with_status(
        StatusCode::FORBIDDEN,
        frame,
        frame.lang.t(StaffText::StaffForbiddenTitle),
        body,
    )
}

/// `GET /staff/assets/{file}`: the stylesheet and the script.
pub async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "staff.css" => (STAFF_CSS, "text/css; charset=utf-8"),
        "staff.js" => (STAFF_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}
