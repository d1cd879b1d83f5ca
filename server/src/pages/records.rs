//! Records: the submissions as received (their stored, redacted payloads; the
//! auditor sees kinds and counts, not contents), the CSV exports the scenarios offer,
//! and the audit trail with its head for publishing.

use axum::extract::State;
use axum::response::Response;
use linli_core::{Role, StaffText};
use maud::html;
use serde::Deserialize;

use crate::app::AppState;
use crate::audit;
use crate::http::extract::{AnyStaff, Query, Records, Staff, Trail};
use crate::http::layout::{page, print_button};
use crate::http::ApiError;

/// `GET /staff/submissions`: the newest 200.
pub async fn submissions(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Records>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let rows = state.store.recent_submissions(200).await?;
    // The auditor reads the trail and counts, not what residents wrote.
    let contents = cx.account.role != Role::Auditor;
    let body = html! {
        @if rows.is_empty() {
            p { (lang.t(StaffText::StaffNoSubmissions)) }
        } @else {
            table.cards {
                thead { tr {
                    th { "#" }
                    th { (lang.t(StaffText::StaffColReceived)) }
                    th { (lang.t(StaffText::StaffColUnit)) }
                    th { (lang.t(StaffText::StaffColKind)) }
                    @if contents { th { (lang.t(StaffText::StaffColContent)) } }
                } }
                tbody {
                    @for r in &rows {
                        tr {
                            td data-label="#" { (r.seq) }
                            td data-label=(lang.t(StaffText::StaffColReceived)) { (state.format_time(r.received_at)) }
                            td data-label=(lang.t(StaffText::StaffColUnit)) { (r.unit) }
                            td data-label=(lang.t(StaffText::StaffColKind)) { (r.kind) }
                            @if contents {
                                td data-label=(lang.t(StaffText::StaffColContent)) { code { (r.payload) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(cx.frame(), lang.t(StaffText::StaffSubmissions), body))
}

/// `GET /staff/exports`: the CSV downloads this role may take, each for a date.
pub async fn exports(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<AnyStaff>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let mine: Vec<_> = state
        .scenarios
        .iter()
        .flat_map(|s| s.exports())
        .filter(|e| e.roles.contains(&cx.account.role))
        .collect();
    let body = html! {
        @if mine.is_empty() {
            p { (lang.t(StaffText::ExpNone)) }
        }
        @for e in &mine {
            form.box method="get" action=(e.path) {
                h2 { (lang.t(e.label)) }
                label { (lang.t(StaffText::KitDate)) " " input type="date" name="date"; }
                " "
                button { (lang.t(StaffText::KitCsv)) }
            }
        }
    };
    Ok(page(cx.frame(), lang.t(StaffText::ExpTitle), body))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    verify: Option<u8>,
}

/// `GET /staff/audit`: the head to publish (printable), the newest entries, and on
/// request a check of the whole chain.
pub async fn audit(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Trail>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let head = state.store.audit_head().await?;
    let checked = if q.verify.is_some() {
        let entries = state.store.audit_entries().await?;
        Some(audit::verify(&entries, state.store.key(), None).map(|_| entries.len()))
    } else {
        None
    };
    let recent = state.store.audit_recent(100).await?;
    let now = state.format_time(state.now());
    let body = html! {
        div.box {
            h2 { (lang.t(StaffText::AudHead)) }
            @match &head {
                Some(h) => {
                    p.head { (h.to_string()) }
                    p.muted { (lang.fill(StaffText::AudHeadAt, &[("time", &now)])) }
                }
                None => p { (lang.t(StaffText::AudEmpty)) },
            }
            p.muted { (lang.t(StaffText::AudHeadHint)) }
            p { (print_button(lang)) }
        }
        p.no-print {
            @match &checked {
                Some(Ok(n)) => span.ok role="status" { (lang.fill(StaffText::AudIntact, &[("count", &n.to_string())])) },
                Some(Err(b)) => span.error role="alert" { (lang.fill(StaffText::AudBroken, &[("seq", &b.seq.to_string()), ("reason", b.reason)])) },
                None => a href="/staff/audit?verify=1" { (lang.t(StaffText::AudVerify)) },
            }
        }
        h2.no-print { (lang.t(StaffText::AudRecent)) }
        table.cards.no-print {
            thead { tr {
                th { "#" }
                th { (lang.t(StaffText::AudWhen)) }
                th { (lang.t(StaffText::AudWho)) }
                th { (lang.t(StaffText::AudWhat)) }
                th { (lang.t(StaffText::AudSubject)) }
            } }
            tbody {
                @for e in &recent {
                    tr {
                        td data-label="#" { (e.seq) }
                        td data-label=(lang.t(StaffText::AudWhen)) { (state.format_time(e.at)) }
                        td data-label=(lang.t(StaffText::AudWho)) { (e.actor) " (" (e.role) ")" }
                        td data-label=(lang.t(StaffText::AudWhat)) { (e.action) }
                        td data-label=(lang.t(StaffText::AudSubject)) { (e.subject) }
                    }
                }
            }
        }
    };
    Ok(page(cx.frame(), lang.t(StaffText::AudTitle), body))
}
