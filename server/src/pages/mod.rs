//! The staff console's generic pages, server-rendered (residents never download them):
//! signing in with the second factor, one's own account, accounts (admin),
//! households and codes, submissions, exports and the audit trail. Every page names
//! the roles it serves through its extractor; every form that changes something is a
//! `Csrf` form. Scenarios add their pages through `Scenario::pages`.

mod accounts;
mod households;
mod login;
mod notices;
mod records;
pub mod settings;

use axum::routing::{get, post};
use axum::Router;
use linli_core::{Role, StaffText};

use crate::app::{AppState, NavEntry};
use crate::http::extract::{Admins, Households, Notices, Records, Roles, Trail};
use crate::http::layout::asset;

pub use accounts::check_username;

/// The generic navigation, before (`first`) and after (`last`) the scenarios' own.
pub fn nav() -> (Vec<NavEntry>, Vec<NavEntry>) {
    let first = vec![
        NavEntry {
            path: "/staff/submissions",
            label: StaffText::StaffSubmissions,
            roles: Records::ALLOWED,
        },
        NavEntry {
            path: "/staff/units",
            label: StaffText::StaffUnits,
            roles: Households::ALLOWED,
        },
        NavEntry {
            path: "/staff/notices",
            label: StaffText::NtcNav,
            roles: Notices::ALLOWED,
        },
        NavEntry {
            path: "/staff/settings",
            label: StaffText::SetNav,
            roles: Admins::ALLOWED,
        },
    ];
    let last = vec![
        NavEntry {
            path: "/staff/exports",
            label: StaffText::ExpTitle,
            roles: EXPORT_ROLES,
        },
        NavEntry {
            path: "/staff/accounts",
            label: StaffText::AccTitle,
            roles: Admins::ALLOWED,
        },
        NavEntry {
            path: "/staff/audit",
            label: StaffText::AudTitle,
            roles: Trail::ALLOWED,
        },
    ];
    (first, last)
}

/// Roles shown the exports page in the navigation (it lists only what each may take).
const EXPORT_ROLES: &[Role] = &[Role::Admin, Role::Staff, Role::Kitchen];

/// The generic console routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff", get(login::home))
        .route("/staff/login", post(login::sign_in))
        .route(
            "/staff/second-factor",
            get(login::second_factor).post(login::check_second_factor),
        )
        .route("/staff/logout", post(login::sign_out))
        .route("/staff/assets/{file}", get(asset))
        .route("/staff/account", get(accounts::own))
        .route(
            "/staff/account/password",
            post(accounts::change_own_password),
        )
        .route("/staff/notices", get(notices::list).post(notices::add))
        .route("/staff/notices/{id}", post(notices::update))
        .route("/staff/notices/{id}/edit", get(notices::edit_page))
        .route("/staff/notices/{id}/withdraw", post(notices::withdraw))
        .route("/notice-images/{file}", get(notices::image))
        .route("/staff/settings", get(settings::show).post(settings::save))
        .route("/staff/settings/{version}/publish", post(settings::publish))
        .route(
            "/staff/settings/{version}/preview",
            get(settings::preview_page),
        )
        .route(
            "/staff/preview/{version}/",
            get(settings::preview_index).fallback(settings::preview_elsewhere),
        )
        .route(
            "/staff/preview/{version}/{*path}",
            get(settings::preview_file).fallback(settings::preview_elsewhere),
        )
        .route("/staff/accounts", get(accounts::list).post(accounts::add))
        .route("/staff/accounts/{id}/disable", post(accounts::disable))
        .route("/staff/accounts/{id}/enable", post(accounts::enable))
        .route(
            "/staff/accounts/{id}/totp-reset",
            post(accounts::reset_factor),
        )
        .route(
            "/staff/accounts/{id}/password",
            post(accounts::set_password),
        )
        .route("/staff/units", get(households::list).post(households::add))
        .route("/staff/units/{id}", get(households::detail))
        .route("/staff/units/{id}/code", post(households::one_code))
        .route(
            "/staff/units/{id}/devices/{device}/revoke",
            post(households::revoke_device),
        )
        .route("/staff/units/{id}/erase", post(households::erase))
        .route(
            "/staff/codes",
            get(households::all_codes_confirm).post(households::all_codes),
        )
        .route("/staff/submissions", get(records::submissions))
        .route("/staff/exports", get(records::exports))
        .route("/staff/audit", get(records::audit))
}
