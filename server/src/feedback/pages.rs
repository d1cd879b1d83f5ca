//! The console's feedback pages (分级开放): the inbox by state with overdue cases
//! (督办) first; a case with its photos, timeline, corrections and the steps the viewer
//! may take; the knowledge base's similar cases and suggestion when dispatching and
//! answering; the situation view (态势感知) of where problems cluster; the CSV export;
//! which handler accounts work for which department or grid; Open311 keys.
//!
//! Who sees what: staff and admins see every case with phones masked; a handler
//! account sees only the cases dispatched to its department or grid, with the
//! resident's phone unmasked; the auditor sees the cases and their trail without
//! what the resident wrote, their phone or photos.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use linli_core::config::FeedbackConfig;
use linli_core::feedback::{
    mask_phone, Action, Corrected, FeedbackStaffText as T, FeedbackText, Rating,
    State as CaseState, Who, MAX_NOTE, MAX_REPLY,
};
use linli_core::{Lang, Role, StaffText};
use maud::html;
use serde::Deserialize;

use super::knowledge::{Knowledge, Past, Suggestion, MAX_PAST};
use super::store::{take_step, CaseFilter, CaseRow, FeedbackError, StepExtra, StepRow, LIST_LIMIT};
use crate::app::{AppState, NavEntry};
use crate::http::export::csv_response;
use crate::http::extract::{Admins, Csrf, Query, Roles, Staff, StaffCx};
use crate::http::layout::{csrf_field, form_field as field, message, page_with_status};
use crate::http::ApiError;

/// Who dispatches, closes, calls back and corrects: sub-district staff.
pub struct Dispatchers;
impl Roles for Dispatchers {
    const ALLOWED: &'static [Role] = DISPATCHERS;
}
/// Who dispatches.
pub const DISPATCHERS: &[Role] = &[Role::Admin, Role::Staff];

/// Who reads cases: staff, handlers (their own), the auditor (without personal data).
pub struct Readers;
impl Roles for Readers {
    const ALLOWED: &'static [Role] = READERS;
}
const READERS: &[Role] = &[Role::Admin, Role::Staff, Role::Handler, Role::Auditor];

/// Who takes steps: staff, and handlers on their own cases.
pub struct Workers;
impl Roles for Workers {
    const ALLOWED: &'static [Role] = &[Role::Admin, Role::Staff, Role::Handler];
}

/// Who reads the situation view and the export: staff and the auditor.
pub struct Overseers;
impl Roles for Overseers {
    const ALLOWED: &'static [Role] = OVERSEERS;
}
const OVERSEERS: &[Role] = &[Role::Admin, Role::Staff, Role::Auditor];

/// The feedback pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/feedback", get(inbox))
        .route("/staff/feedback/situation", get(situation))
        .route("/staff/feedback/cases.csv", get(cases_csv))
        .route("/staff/feedback/handlers", get(members).post(set_member))
        .route("/staff/feedback/open311", get(keys).post(key_action))
        .route("/staff/feedback/{id}", get(show))
        .route("/staff/feedback/{id}/step", post(step))
        .route("/staff/feedback/{id}/correct", post(correct))
        .route("/staff/feedback/{id}/photos/{n}", get(photo))
}

/// The feedback pages in the console's navigation.
pub fn nav() -> Vec<NavEntry> {
    vec![
        NavEntry {
            path: "/staff/feedback",
            label: StaffText::FeedbackNav,
            roles: READERS,
        },
        NavEntry {
            path: "/staff/feedback/situation",
            label: StaffText::FeedbackSituationNav,
            roles: OVERSEERS,
        },
    ]
}

/// Whether a case is past the time limit running in its state (督办).
pub(super) fn overdue(c: &CaseRow, config: &FeedbackConfig, now: i64, offset: i64) -> bool {
    config
        .limits(&c.category)
        .overdue(c.state, c.recorded_at, now, &config.calendar, offset)
}

fn due(c: &CaseRow, config: &FeedbackConfig, offset: i64) -> Option<i64> {
    config
        .limits(&c.category)
        .due(c.state, c.recorded_at, &config.calendar, offset)
}

/// A deadline as staff read it: the last working day it falls at the end of
/// ("2026-12-03 当天内"), not the midnight after.
fn due_text(state: &AppState, lang: Lang, due: i64) -> String {
    let day = state
        .format_time(due - 1)
        .chars()
        .take(10)
        .collect::<String>();
    lang.fill(T::FbDueBy, &[("date", &day)])
}

/// How the viewer sees cases.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Viewer {
    /// Admin or staff: everything, phones masked.
    Staff,
    /// A handler account, with the department or grid it works for (none yet).
    Handler(Option<String>),
    /// The auditor: the trail without personal data.
    Auditor,
}

impl Viewer {
    async fn of(state: &AppState, cx: &StaffCx) -> Result<Viewer, ApiError> {
        Ok(match cx.account.role {
            Role::Handler => Viewer::Handler(state.store.feedback_member(cx.account.id).await?),
            Role::Auditor => Viewer::Auditor,
            _ => Viewer::Staff,
        })
    }

    /// Whether this viewer may see case `c` at all.
    fn sees(&self, c: &CaseRow) -> bool {
        match self {
            Viewer::Handler(h) => h.is_some() && c.handler == *h,
            _ => true,
        }
    }

    /// What the loop calls this viewer.
    fn who(&self) -> Option<Who> {
        match self {
            Viewer::Staff => Some(Who::Staff),
            Viewer::Handler(Some(h)) => Some(Who::Handler(h.clone())),
            _ => None,
        }
    }
}

fn config_of(
    state: &AppState,
) -> Result<std::sync::Arc<linli_core::config::ShellConfig>, ApiError> {
    state
        .deployment()
        .filter(|c| super::offered(Some(c)).is_some())
        .ok_or(ApiError::NotFound(StaffText::NfFeedback))
}

fn feedback(c: &linli_core::config::ShellConfig) -> Result<&FeedbackConfig, ApiError> {
    c.feedback
        .as_ref()
        .ok_or(ApiError::NotFound(StaffText::NfFeedback))
}

/// A place as it may leave the console (the export, Open311): one of the deployment's
/// places as it is, anything in a resident's own words as its building only.
pub(super) fn public_place(place: &str, config: &FeedbackConfig) -> String {
    if config.places.iter().any(|p| p == place) {
        place.to_owned()
    } else {
        crate::voting::store::building_of(place)
    }
}

fn category_name(config: &FeedbackConfig, id: &str, lang: Lang) -> String {
    config
        .category(id)
        .map_or_else(|| id.to_owned(), |c| c.name.get(lang).to_owned())
}

fn handler_name(config: &FeedbackConfig, id: Option<&str>, lang: Lang) -> String {
    match id {
        None => "—".to_owned(),
        Some(h) => config
            .handler(h)
            .map_or_else(|| h.to_owned(), |x| x.name.get(lang).to_owned()),
    }
}

#[derive(Deserialize, Default)]
struct InboxQuery {
    #[serde(default)]
    state: Option<String>,
}

/// `GET /staff/feedback?state=…`: the inbox. Tabs by state with their counts and the
/// overdue ones (督办); in each, overdue cases first, then the oldest. A handler sees
/// only its department's or grid's.
async fn inbox(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Readers>,
    Query(q): Query<InboxQuery>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let deployment = config_of(&state)?;
    let config = feedback(&deployment)?;
    let viewer = Viewer::of(&state, &cx).await?;
    let offset = state.utc_offset_minutes();
    let now = state.now();
    let own = match &viewer {
        Viewer::Handler(None) => {
            let body = html! { p.error role="alert" { (lang.t(T::FbNotMember)) } };
            return Ok(page_with_status(
                StatusCode::OK,
                cx.frame(),
                lang.t(StaffText::FeedbackNav),
                body,
            ));
        }
        Viewer::Handler(Some(h)) => Some(h.clone()),
        _ => None,
    };
    let counts = state.store.feedback_counts(own.as_deref()).await?;
    let chosen = q.state.as_deref().and_then(CaseState::from_id);
    let supervised_tab = q.state.as_deref() == Some("overdue");
    let open_states = [
        CaseState::Submitted,
        CaseState::Dispatched,
        CaseState::InProgress,
        CaseState::Replied,
    ];
    let rows = state
        .store
        .feedback_cases(
            &CaseFilter {
                states: chosen.map_or_else(|| open_states.to_vec(), |s| vec![s]),
                handler: own.clone(),
                ..CaseFilter::default()
            },
            LIST_LIMIT,
        )
        .await?;
    let mut listed: Vec<(bool, CaseRow)> = rows
        .into_iter()
        .map(|c| (overdue(&c, config, now, offset), c))
        .filter(|(o, _)| !supervised_tab || *o)
        .collect();
    listed.sort_by_key(|(o, c)| (!*o, c.recorded_at, c.id));
    let overdue_count = listed.iter().filter(|(o, _)| *o).count();
    let count_of = |s: CaseState| counts.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n);
    let body = html! {
        @if let Viewer::Handler(Some(h)) = &viewer {
            p.muted { (lang.fill(T::FbYouHandle, &[("handler", &handler_name(config, Some(h), lang))])) }
        }
        nav aria-label=(lang.t(T::FbStates)) {
            ul.tabs {
                li { a href="/staff/feedback" aria-current=[(chosen.is_none() && !supervised_tab).then_some("page")] { (lang.t(T::FbOpen)) } }
                li { a href="/staff/feedback?state=overdue" aria-current=[supervised_tab.then_some("page")] { (lang.t(FeedbackText::Supervised)) @if overdue_count > 0 && supervised_tab { " (" (overdue_count) ")" } } }
                @for s in CaseState::ALL {
                    li { a href={ "/staff/feedback?state=" (s.id()) } aria-current=[(chosen == Some(s)).then_some("page")] { (lang.t(s.text())) " (" (count_of(s)) ")" } }
                }
            }
        }
        @if listed.is_empty() { p { (lang.t(T::FbNone)) } }
        @else {
            table.cards {
                thead { tr {
                    th { (lang.t(T::FbNumber)) } th { (lang.t(T::FbCategory)) } th { (lang.t(T::FbPlace)) }
                    th { (lang.t(T::FbState)) } th { (lang.t(T::FbDue)) } th { (lang.t(T::FbHandler)) }
                } }
                tbody { @for (late, c) in &listed { tr data-case=(c.id) data-overdue[*late] {
                    td data-label=(lang.t(T::FbNumber)) { a href={ "/staff/feedback/" (c.id) } { (c.id) } }
                    td data-label=(lang.t(T::FbCategory)) { (category_name(config, &c.category, lang)) }
                    td data-label=(lang.t(T::FbPlace)) { (c.place) }
                    td data-label=(lang.t(T::FbState)) { (lang.t(c.state.text())) }
                    td data-label=(lang.t(T::FbDue)) {
                        @if let Some(d) = due(c, config, offset) { (due_text(&state, lang, d)) } @else { "—" }
                        @if *late { " " strong.badge { (lang.t(FeedbackText::Supervised)) } }
                    }
                    td data-label=(lang.t(T::FbHandler)) { (handler_name(config, c.handler.as_deref(), lang)) }
                } } }
            }
        }
        @if viewer == Viewer::Staff || viewer == Viewer::Auditor {
            p { a href="/staff/feedback/situation" { (lang.t(StaffText::FeedbackSituationNav)) } " · " a href="/staff/feedback/cases.csv" download { "cases.csv" } }
        }
        @if cx.account.role == Role::Admin {
            p { a href="/staff/feedback/handlers" { (lang.t(T::FbMembers)) } " · " a href="/staff/feedback/open311" { (lang.t(T::FbKeys)) } }
        }
    };
    Ok(page_with_status(
        StatusCode::OK,
        cx.frame(),
        lang.t(StaffText::FeedbackNav),
        body,
    ))
}

/// The knowledge base as last built, with what it was built from: (the store, closed
/// cases, their latest change). Rebuilt when a case is closed or a closed one changes.
struct Built {
    key: (usize, i64, i64),
    kb: Arc<Knowledge>,
    hit_rate: Arc<OnceLock<Option<(usize, usize)>>>,
}

static BUILT: Mutex<Option<Built>> = Mutex::new(None);

/// The knowledge base over the deployment's closed cases and its (lazily measured)
/// hit rate, built off the async workers and kept until a closed case changes. A
/// failure to build it is logged and the page shows no suggestion rather than failing.
pub(super) async fn knowledge(
    state: &AppState,
) -> Result<Option<(Arc<Knowledge>, Arc<OnceLock<Option<(usize, usize)>>>)>, ApiError> {
    let mark = state.store.feedback_closed_mark().await?;
    let key = (Arc::as_ptr(&state.store) as usize, mark.0, mark.1);
    if let Some(b) = BUILT.lock().ok().as_ref().and_then(|g| g.as_ref()) {
        if b.key == key {
            return Ok(Some((b.kb.clone(), b.hit_rate.clone())));
        }
    }
    let closed = state.store.feedback_closed(MAX_PAST).await?;
    let past: Vec<Past> = closed
        .into_iter()
        .filter_map(|c| {
            Some(Past {
                handler: c.handler?,
                id: c.id,
                category: c.category,
                place: c.place,
                description: c.description,
            })
        })
        .collect();
    let built = tokio::task::spawn_blocking(move || Knowledge::build(past)).await;
    match built {
        Ok(Ok(k)) => {
            let (kb, hit_rate) = (Arc::new(k), Arc::new(OnceLock::new()));
            if let Ok(mut g) = BUILT.lock() {
                *g = Some(Built {
                    key,
                    kb: kb.clone(),
                    hit_rate: hit_rate.clone(),
                });
            }
            Ok(Some((kb, hit_rate)))
        }
        Ok(Err(e)) => {
            crate::log::event("knowledge_base", &[("error", &e.to_string())]);
            Ok(None)
        }
        Err(e) => {
            crate::log::event("knowledge_base", &[("error", &e.to_string())]);
            Ok(None)
        }
    }
}

async fn suggestion_for(
    state: &AppState,
    c: &CaseRow,
) -> Result<(Suggestion, Vec<CaseRow>), ApiError> {
    let Some((k, _)) = knowledge(state).await? else {
        return Ok((Suggestion::default(), Vec::new()));
    };
    let s = k
        .suggest(&c.description, &c.category, &c.place, Some(c.id))
        .unwrap_or_default();
    let ids: Vec<i64> = s.similar.iter().map(|(id, _)| *id).collect();
    let mut similar = state
        .store
        .feedback_cases(
            &CaseFilter {
                ids: ids.clone(),
                ..CaseFilter::default()
            },
            LIST_LIMIT,
        )
        .await?;
    similar.sort_by_key(|x| ids.iter().position(|id| *id == x.id));
    Ok((s, similar))
}

/// A personal text as this viewer may see it.
fn phone_for(viewer: &Viewer, c: &CaseRow, phone: &str) -> String {
    match viewer {
        Viewer::Handler(h) if h.is_some() && *h == c.handler => phone.to_owned(),
        _ => mask_phone(phone),
    }
}

fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

fn step_name(lang: Lang, action: &str) -> &'static str {
    match action {
        "report" => lang.t(T::FbReported),
        "correct" => lang.t(T::FbCorrected),
        other => lang.t(linli_core::feedback::action_text(other)),
    }
}

async fn case_page(
    state: &AppState,
    cx: &StaffCx,
    id: i64,
    m: Option<(bool, String)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let deployment = config_of(state)?;
    let config = feedback(&deployment)?;
    let viewer = Viewer::of(state, cx).await?;
    let c = state
        .store
        .feedback_case(id)
        .await?
        .filter(|c| viewer.sees(c))
        .ok_or(ApiError::NotFound(StaffText::NfCase))?;
    let steps = state.store.feedback_steps(id).await?;
    let fixes = state.store.feedback_corrections(id).await?;
    let offset = state.utc_offset_minutes();
    let now = state.now();
    let late = overdue(&c, config, now, offset);
    let auditor = viewer == Viewer::Auditor;
    let who = viewer.who();
    let may = |a: &Action| {
        who.as_ref()
            .is_some_and(|w| linli_core::feedback::step(&c.loop_case(), a, w).is_ok())
    };
    let knowledge_shown = !auditor
        && (c.state == CaseState::Submitted && viewer == Viewer::Staff
            || c.state == CaseState::InProgress);
    let (suggestion, mut similar) = if knowledge_shown {
        suggestion_for(state, &c).await?
    } else {
        (Suggestion::default(), Vec::new())
    };
    // A handler sees only its own past cases, as it sees only its own open ones.
    if let Viewer::Handler(h) = &viewer {
        similar.retain(|s| s.handler == *h);
    }
    // The knowledge base's suggestion (what the "suggestion taken" rate counts), or
    // else the category's usual handler, preselected.
    let from_knowledge = suggestion.handler.clone();
    let suggested_handler = from_knowledge
        .clone()
        .or_else(|| config.category(&c.category).and_then(|x| x.handler.clone()));
    let base = format!("/staff/feedback/{id}");
    let placeholder = Action::Dispatch { to: "x".into() };
    let body = html! {
        (message(&m))
        p.muted { a href="/staff/feedback" { (lang.t(StaffText::FeedbackNav)) } }
        dl {
            dt { (lang.t(T::FbState)) } dd data-state=(c.state.id()) { (lang.t(c.state.text()))
                @if late { " " strong.badge { (lang.t(FeedbackText::Supervised)) } } }
            @if let Some(d) = due(&c, config, offset) { dt { (lang.t(T::FbDue)) } dd { (due_text(state, lang, d)) } }
            dt { (lang.t(T::FbCategory)) } dd { (category_name(config, &c.category, lang)) }
            dt { (lang.t(T::FbPlace)) } dd { (c.place) }
            dt { (lang.t(T::FbReportedAt)) } dd { (state.format_time(c.created_at)) }
            dt { (lang.t(T::FbHandler)) } dd { (handler_name(config, c.handler.as_deref(), lang)) }
            @if c.reopened > 0 { dt { (lang.t(T::FbReopened)) } dd { (c.reopened) } }
            @if c.returned > 0 { dt { (lang.t(T::FbReturned)) } dd { (c.returned) } }
            @if let Some(r) = c.rating { dt { (lang.t(T::FbRating)) } dd { (lang.t(r.text())) } }
            @if !auditor {
                @if let Some(p) = &c.phone { dt { (lang.t(T::FbPhone)) } dd data-phone { (phone_for(&viewer, &c, p)) } }
                @if let Some(n) = &c.contact_name { dt { (lang.t(T::FbContact)) } dd { (mask_name(n)) } }
            }
        }
        @if auditor {
            p.muted { (lang.t(T::FbAuditorView)) }
        } @else {
            h2 { (lang.t(T::FbDescription)) }
            p.prewrap { (c.description) }
            @if c.photos > 0 {
                p { @for n in 0..c.photos {
                    a href={ (base) "/photos/" (n) } { img src={ (base) "/photos/" (n) } alt=(lang.fill(T::FbPhotoAlt, &[("n", &(n + 1).to_string())])) width="160"; } " "
                } }
            }
            @if !c.reply.is_empty() { h2 { (lang.t(T::FbReply)) } p.prewrap data-reply { (c.reply) } }
        }

        @if !auditor && who.is_some() {
            h2 { (lang.t(T::FbActions)) }
            @if may(&placeholder) {
                @if knowledge_shown {
                    @if let Some(h) = &suggested_handler {
                        p data-suggested=(h) { (lang.fill(T::FbSuggest, &[
                            ("handler", &handler_name(config, Some(h), lang)),
                            ("category", &suggestion.category.as_deref().map_or_else(|| category_name(config, &c.category, lang), |x| category_name(config, x, lang))),
                        ])) }
                    }
                }
                form method="post" action={ (base) "/step" } {
                    (csrf_field(cx)) input type="hidden" name="action" value="dispatch";
                    @if let Some(k) = &from_knowledge { input type="hidden" name="suggested" value=(k); }
                    p { label { (lang.t(T::FbDispatchTo)) " "
                        select name="to" required {
                            @for h in &config.handlers {
                                option value=(h.id) selected[suggested_handler.as_deref() == Some(h.id.as_str())] { (h.name.get(lang)) }
                            }
                        } } }
                    p { label { (lang.t(T::FbInternalNote)) " " input name="note" maxlength=(MAX_NOTE); } }
                    p { button { (lang.t(FeedbackText::ActDispatch)) } }
                }
            }
            @if may(&Action::Accept) {
                form.inline method="post" action={ (base) "/step" } {
                    (csrf_field(cx)) input type="hidden" name="action" value="accept";
                    button { (lang.t(FeedbackText::ActAccept)) }
                }
            }
            @if may(&Action::Reply) {
                form method="post" action={ (base) "/step" } {
                    (csrf_field(cx)) input type="hidden" name="action" value="reply";
                    p { label { (lang.t(T::FbReplyText)) br; textarea name="note" rows="5" cols="60" required maxlength=(MAX_REPLY) {} } }
                    p { button { (lang.t(FeedbackText::ActReply)) } }
                }
            }
            @if may(&Action::Return { reason: "x".into() }) {
                details { summary { (lang.t(FeedbackText::ActReturn)) }
                    form method="post" action={ (base) "/step" } {
                        (csrf_field(cx)) input type="hidden" name="action" value="return";
                        p { label { (lang.t(T::FbReturnWhy)) " " input name="note" required maxlength=(MAX_NOTE); } }
                        p { button { (lang.t(FeedbackText::ActReturn)) } }
                    }
                }
            }
            @if may(&Action::Close) {
                form method="post" action={ (base) "/step" } {
                    (csrf_field(cx)) input type="hidden" name="action" value="close";
                    p { label { (lang.t(T::FbInternalNote)) " " input name="note" maxlength=(MAX_NOTE); } }
                    p { button { (lang.t(FeedbackText::ActClose)) } }
                }
            }
            @if may(&Action::Visit) {
                form method="post" action={ (base) "/step" } {
                    (csrf_field(cx)) input type="hidden" name="action" value="visit";
                    p { label { (lang.t(T::FbVisitOutcome)) " " input name="note" required maxlength=(MAX_NOTE); } }
                    p { label { (lang.t(T::FbVisitRating)) " "
                        select name="rating" {
                            option value="" { "—" }
                            @for r in [Rating::Satisfied, Rating::BasicallySatisfied, Rating::Dissatisfied] {
                                option value=(r.id()) { (lang.t(r.text())) }
                            }
                        } } }
                    p { button { (lang.t(FeedbackText::ActVisit)) } }
                }
            }
            @if c.state == CaseState::Visited && may(&Action::Rate(Rating::Satisfied)) {
                form method="post" action={ (base) "/step" } {
                    (csrf_field(cx)) input type="hidden" name="action" value="rate";
                    p { label { (lang.t(T::FbVisitRating)) " "
                        select name="rating" required {
                            @for r in [Rating::Satisfied, Rating::BasicallySatisfied, Rating::Dissatisfied] {
                                option value=(r.id()) { (lang.t(r.text())) }
                            }
                        } } }
                    p { button { (lang.t(FeedbackText::ActRate)) } }
                }
            }
        }

        @if knowledge_shown {
            h2 { (lang.t(T::FbSimilar)) }
            @if similar.is_empty() { p.muted { (lang.t(T::FbNoSimilar)) } }
            @else {
                table.cards data-similar {
                    thead { tr {
                        th { (lang.t(T::FbNumber)) } th { (lang.t(T::FbDescription)) } th { (lang.t(T::FbHandler)) }
                        th { (lang.t(T::FbReply)) } th { (lang.t(T::FbRating)) }
                    } }
                    tbody { @for s in &similar { tr {
                        td data-label=(lang.t(T::FbNumber)) { (s.id) " · " (category_name(config, &s.category, lang)) " · " (s.place) }
                        td data-label=(lang.t(T::FbDescription)) { (excerpt(&s.description, 80)) }
                        td data-label=(lang.t(T::FbHandler)) { (handler_name(config, s.handler.as_deref(), lang)) }
                        td data-label=(lang.t(T::FbReply)) { (excerpt(&s.reply, 120)) }
                        td data-label=(lang.t(T::FbRating)) { (s.rating.map_or("—", |r| lang.t(r.text()))) }
                    } } }
                }
            }
        }

        @if viewer == Viewer::Staff {
            details {
                summary { (lang.t(T::FbCorrect)) }
                form method="post" action={ (base) "/correct" } {
                    (csrf_field(cx)) input type="hidden" name="field" value="category";
                    p { label { (lang.t(T::FbCategory)) " "
                        select name="value" { @for k in &config.categories { option value=(k.id) selected[k.id == c.category] { (k.name.get(lang)) } } } } }
                    p { label { (lang.t(T::FbCorrectWhy)) " " input name="reason" required maxlength=(MAX_NOTE); } }
                    p { button { (lang.t(T::FbCorrect)) } }
                }
                form method="post" action={ (base) "/correct" } {
                    (csrf_field(cx)) input type="hidden" name="field" value="place";
                    p { label { (lang.t(T::FbPlace)) " " input name="value" required maxlength=(linli_core::config::MAX_PLACE) value=(c.place) list="fb-places"; } }
                    datalist id="fb-places" { @for p in &config.places { option value=(p) {} } }
                    p { label { (lang.t(T::FbCorrectWhy)) " " input name="reason" required maxlength=(MAX_NOTE); } }
                    p { button { (lang.t(T::FbCorrect)) } }
                }
            }
        }

        h2 { (lang.t(T::FbTimeline)) }
        ol.timeline { @for s in &steps { li data-action=(s.action) {
            (state.format_time(s.at)) " · " strong { (step_name(lang, &s.action)) } " · " (actor_line(s, lang))
            " → " (lang.t(s.state.text()))
            @if s.action == "dispatch" { " · " (handler_name(config, s.handler.as_deref(), lang)) }
            @if let Some(r) = s.rating.as_deref().and_then(Rating::from_id) { " · " (lang.t(r.text())) }
            @if !auditor && !s.note.is_empty() { br; span.prewrap { (s.note) } }
        } } }
        @if !fixes.is_empty() {
            h2 { (lang.t(T::FbCorrections)) }
            ul { @for f in &fixes { li {
                (state.format_time(f.at)) " · " (f.by) " · "
                @if f.field == Corrected::Category {
                    (category_name(config, &f.before, lang)) " → " (category_name(config, &f.after, lang))
                } @else { (f.before) " → " (f.after) }
                " · " (f.why)
            } } }
        }
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        &format!("{} {}", lang.t(T::FbCase), c.id),
        body,
    ))
}

/// Who took a step, for staff: the account and its role, the household, or the
/// Open311 client.
fn actor_line(s: &StepRow, lang: Lang) -> String {
    match s.actor_kind.as_str() {
        "resident" => lang.t(T::FbResident).to_owned(),
        "open311" => format!("Open311 {}", s.actor),
        _ => {
            let role = Role::from_id(&s.role).map_or("", |r| lang.t(r.name()));
            format!("{} ({role})", s.actor)
        }
    }
}

fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max).collect();
        s.push('…');
        s
    }
}

/// `GET /staff/feedback/{id}`: a case as this viewer may see it.
async fn show(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Readers>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    case_page(&state, &cx, id, None, StatusCode::OK).await
}

/// `GET /staff/feedback/{id}/photos/{n}`: a case's photo, for those who see the case
/// (not the auditor).
async fn photo(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Workers>,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let viewer = Viewer::of(&state, &cx).await?;
    state
        .store
        .feedback_case(id)
        .await?
        .filter(|c| viewer.sees(c))
        .ok_or(ApiError::NotFound(StaffText::NfCase))?;
    let bytes = state
        .store
        .feedback_photo(id, n)
        .await?
        .ok_or(ApiError::NotFound(StaffText::NfCase))?;
    Ok(super::api::jpeg(bytes))
}

/// The step a form asks for, or the field that is wrong.
fn read_step(form: &HashMap<String, String>, config: &FeedbackConfig) -> Result<Action, T> {
    let note = field(form, "note");
    if note.chars().count() > MAX_REPLY {
        return Err(T::FbNote);
    }
    Ok(match field(form, "action") {
        "dispatch" => {
            let to = field(form, "to");
            if config.handler(to).is_none() {
                return Err(T::FbDispatchTo);
            }
            Action::Dispatch { to: to.to_owned() }
        }
        "accept" => Action::Accept,
        "return" => {
            if note.is_empty() || note.chars().count() > MAX_NOTE {
                return Err(T::FbReturnWhy);
            }
            Action::Return {
                reason: note.to_owned(),
            }
        }
        "reply" => {
            if note.is_empty() {
                return Err(T::FbReplyText);
            }
            Action::Reply
        }
        "close" => Action::Close,
        "visit" => {
            if note.is_empty() || note.chars().count() > MAX_NOTE {
                return Err(T::FbVisitOutcome);
            }
            Action::Visit
        }
        "rate" => Action::Rate(Rating::from_id(field(form, "rating")).ok_or(T::FbVisitRating)?),
        _ => return Err(T::FbActions),
    })
}

/// `POST /staff/feedback/{id}/step`: a step by staff or the assigned handler, by the
/// loop's rule inside one transaction; a 回访 may carry the rating the resident gave on
/// the call (a 不满意 reopens the case). A refusal says why, in the page.
async fn step(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, form, .. }: Csrf<Workers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let deployment = config_of(&state)?;
    let config = feedback(&deployment)?;
    let viewer = Viewer::of(&state, &cx).await?;
    let visible = state
        .store
        .feedback_case(id)
        .await?
        .is_some_and(|c| viewer.sees(&c));
    let who = viewer.who().filter(|_| visible);
    let Some(who) = who else {
        return Err(ApiError::NotFound(StaffText::NfCase));
    };
    let action = match read_step(&form, config) {
        Ok(a) => a,
        Err(what) => {
            let m = Some((
                false,
                lang.fill(T::FbFieldProblem, &[("field", lang.t(what))]),
            ));
            return case_page(&state, &cx, id, m, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let note = field(&form, "note").to_owned();
    // Only a dispatch records a suggestion, and only one naming a handler of config.
    let suggested = match (&action, field(&form, "suggested")) {
        (Action::Dispatch { .. }, s) if config.handler(s).is_some() => s.to_owned(),
        _ => String::new(),
    };
    let visit_rating = match action {
        Action::Visit => Rating::from_id(field(&form, "rating")),
        _ => None,
    };
    let actor = cx.actor();
    let now = state.now();
    let result = state
        .store
        .write_tx(async |tx| {
            let extra = StepExtra {
                note: &note,
                suggested: (!suggested.is_empty()).then_some(suggested.as_str()),
                handler: match &viewer {
                    Viewer::Handler(Some(h)) => Some(h.as_str()),
                    _ => None,
                },
                ..StepExtra::default()
            };
            take_step(tx, id, &action, &who, &actor, extra, now).await?;
            if let Some(r) = visit_rating {
                take_step(
                    tx,
                    id,
                    &Action::Rate(r),
                    &who,
                    &actor,
                    StepExtra::default(),
                    now,
                )
                .await?;
            }
            Ok::<_, FeedbackError>(())
        })
        .await;
    let m = match result {
        Ok(()) => (true, lang.t(T::FbDone).to_owned()),
        Err(FeedbackError::Step(e)) => (false, e.text(lang)),
        Err(FeedbackError::NotFound) => return Err(ApiError::NotFound(StaffText::NfCase)),
        Err(FeedbackError::Store(e)) => return Err(e.into()),
        Err(_) => (false, lang.t(T::FbActions).to_owned()),
    };
    let status = if m.0 {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    if m.0 {
        let after = state
            .store
            .feedback_case(id)
            .await?
            .ok_or(ApiError::NotFound(StaffText::NfCase))?;
        // A handler's return (退单) takes the case out of its sight: back to its inbox.
        if !viewer.sees(&after) {
            return Ok(Redirect::to("/staff/feedback").into_response());
        }
    }
    case_page(&state, &cx, id, Some(m), status).await
}

/// `POST /staff/feedback/{id}/correct`: front-line staff correct the category or the
/// place, with the reason; the correction is kept in the case's history.
async fn correct(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, form, .. }: Csrf<Dispatchers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let deployment = config_of(&state)?;
    let config = feedback(&deployment)?;
    let value = field(&form, "value").to_owned();
    let reason = field(&form, "reason").to_owned();
    let which = match field(&form, "field") {
        "category" if config.category(&value).is_some() => Some(Corrected::Category),
        "place" if value.chars().count() <= linli_core::config::MAX_PLACE => Some(Corrected::Place),
        _ => None,
    };
    let Some(which) = which.filter(|_| !value.is_empty() && reason.chars().count() <= MAX_NOTE)
    else {
        let m = Some((
            false,
            lang.fill(T::FbFieldProblem, &[("field", lang.t(T::FbCorrect))]),
        ));
        return case_page(&state, &cx, id, m, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let by = cx.actor();
    let now = state.now();
    let result = state
        .store
        .write_tx(async |tx| super::store::correct(tx, id, which, &value, &reason, &by, now).await)
        .await;
    let m = match result {
        Ok(()) => (true, lang.t(T::FbDone).to_owned()),
        Err(FeedbackError::NotFound) => return Err(ApiError::NotFound(StaffText::NfCase)),
        Err(FeedbackError::Store(e)) => return Err(e.into()),
        Err(_) => (false, lang.t(T::FbCorrectWhy).to_owned()),
    };
    let status = if m.0 {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    case_page(&state, &cx, id, Some(m), status).await
}

#[derive(Deserialize, Default)]
struct SituationQuery {
    #[serde(default)]
    days: Option<i64>,
}

/// `GET /staff/feedback/situation?days=N` (态势感知): the reports of the last N days
/// (90 by default) by building and category, by week, the overdue now, reopen and
/// satisfaction rates, and how often the knowledge base's suggestion was the handler
/// chosen.
async fn situation(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Overseers>,
    Query(q): Query<SituationQuery>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let deployment = config_of(&state)?;
    let config = feedback(&deployment)?;
    let days = q.days.unwrap_or(90).clamp(1, 3_660);
    let now = state.now();
    let offset = state.utc_offset_minutes();
    let since = now - days * 86_400_000;
    let cases = state
        .store
        .feedback_cases(
            &CaseFilter {
                from: Some(since),
                newest_first: true,
                ..CaseFilter::default()
            },
            LIST_LIMIT,
        )
        .await?;
    let mut grid: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut weeks: BTreeMap<i64, i64> = BTreeMap::new();
    for c in &cases {
        *grid
            .entry(crate::voting::store::building_of(&c.place))
            .or_default()
            .entry(c.category.clone())
            .or_default() += 1;
        *weeks
            .entry((now - c.created_at) / (7 * 86_400_000))
            .or_default() += 1;
    }
    let late = cases
        .iter()
        .filter(|c| overdue(c, config, now, offset))
        .count();
    let reopened = cases.iter().filter(|c| c.reopened > 0).count();
    let rated = state.store.feedback_ratings(since).await?;
    let pleased = rated.iter().filter(|r| **r != Rating::Dissatisfied).count();
    let dispatches = state.store.feedback_dispatches().await?;
    let taken = dispatches.iter().filter(|(h, s)| h == s).count();
    // Measured once per build of the knowledge base, off the async workers.
    let leave_one_out = match knowledge(&state).await? {
        Some((kb, cell)) => match cell.get() {
            Some(rate) => *rate,
            None => {
                let rate = tokio::task::spawn_blocking(move || kb.hit_rate().ok())
                    .await
                    .ok()
                    .flatten();
                let _ = cell.set(rate);
                rate
            }
        },
        None => None,
    };
    let pct = |a: usize, b: usize| {
        if b == 0 {
            "—".to_owned()
        } else {
            format!("{:.0}% ({a}/{b})", a as f64 * 100.0 / b as f64)
        }
    };
    let busiest = weeks.values().copied().max().unwrap_or(0);
    // Where problems cluster: the building and category pairs with the most reports.
    let mut clusters: Vec<(&String, &String, i64)> = grid
        .iter()
        .flat_map(|(b, row)| row.iter().map(move |(k, n)| (b, k, *n)))
        .collect();
    clusters.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    clusters.truncate(5);
    let body = html! {
        form method="get" action="/staff/feedback/situation" {
            label { (lang.t(T::FbDays)) " " input type="number" name="days" min="1" max="3660" value=(days); }
            " " button { (lang.t(T::FbShow)) }
        }
        dl {
            dt { (lang.t(T::FbTotal)) } dd data-total { (cases.len()) }
            dt { (lang.t(FeedbackText::Supervised)) } dd data-overdue { (late) }
            dt { (lang.t(T::FbReopenRate)) } dd { (pct(reopened, cases.len())) }
            dt { (lang.t(T::FbSatisfaction)) } dd { (pct(pleased, rated.len())) }
            dt { (lang.t(T::FbSuggestTaken)) } dd data-suggest-taken { (pct(taken, dispatches.len())) }
            @if let Some((hits, asked)) = leave_one_out {
                dt { (lang.t(T::FbSuggestHindsight)) } dd data-hit-rate { (pct(hits, asked)) }
            }
        }
        @if !clusters.is_empty() {
            h2 { (lang.t(T::FbClusters)) }
            ol data-clusters { @for (b, k, n) in &clusters {
                li { (b) " · " (category_name(config, k, lang)) "：" strong { (n) } }
            } }
        }
        h2 { (lang.t(T::FbByBuilding)) }
        @if grid.is_empty() { p { (lang.t(T::FbNone)) } }
        @else {
            table.cards data-grid {
                thead { tr { th { (lang.t(T::FbBuilding)) } @for k in &config.categories { th { (k.name.get(lang)) } } th { (lang.t(T::FbTotal)) } } }
                tbody { @for (b, row) in &grid { tr {
                    td data-label=(lang.t(T::FbBuilding)) { (b) }
                    @for k in &config.categories { td data-label=(k.name.get(lang)) { (row.get(&k.id).copied().unwrap_or(0)) } }
                    td data-label=(lang.t(T::FbTotal)) { strong { (row.values().sum::<i64>()) } }
                } } }
            }
        }
        h2 { (lang.t(T::FbByWeek)) }
        table.cards {
            thead { tr { th { (lang.t(T::FbWeek)) } th { (lang.t(T::FbTotal)) } } }
            tbody { @for (ago, n) in weeks.iter().rev() { tr {
                td data-label=(lang.t(T::FbWeek)) { (state.format_time(now - (ago + 1) * 7 * 86_400_000).get(..10).unwrap_or_default()) }
                td data-label=(lang.t(T::FbTotal)) { meter min="0" max=(busiest) value=(n) aria-hidden="true" {} " " (n) }
            } } }
        }
    };
    Ok(page_with_status(
        StatusCode::OK,
        cx.frame(),
        lang.t(StaffText::FeedbackSituationNav),
        body,
    ))
}

/// `GET /staff/feedback/cases.csv`: the newest 1,000 cases reported in the last year
/// without personal data: number, times, category and place (corrected and as
/// reported; a place in the resident's own words as its building), state, handler,
/// counts, rating, overdue.
async fn cases_csv(
    State(state): State<AppState>,
    Staff { .. }: Staff<Overseers>,
) -> Result<Response, ApiError> {
    let deployment = config_of(&state)?;
    let config = feedback(&deployment)?;
    let now = state.now();
    let offset = state.utc_offset_minutes();
    let cases = state
        .store
        .feedback_cases(
            &CaseFilter {
                from: Some(now - 366 * 86_400_000),
                newest_first: true,
                ..CaseFilter::default()
            },
            LIST_LIMIT,
        )
        .await?;
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                state.format_time(c.created_at),
                c.source.clone(),
                c.category.clone(),
                c.reported_category.clone(),
                public_place(&c.place, config),
                public_place(&c.reported_place, config),
                c.state.id().to_owned(),
                c.handler.clone().unwrap_or_default(),
                c.reopened.to_string(),
                c.returned.to_string(),
                c.rating.map(Rating::id).unwrap_or_default().to_owned(),
                c.closed_at
                    .map(|t| state.format_time(t))
                    .unwrap_or_default(),
                overdue(c, config, now, offset).to_string(),
            ]
        })
        .collect();
    Ok(csv_response(
        "cases.csv",
        &[
            "number",
            "reported_at",
            "source",
            "category",
            "reported_category",
            "place",
            "reported_place",
            "state",
            "handler",
            "reopened",
            "returned",
            "rating",
            "closed_at",
            "overdue",
        ],
        &rows,
    ))
}

async fn members_page(
    state: &AppState,
    cx: &StaffCx,
    m: Option<(bool, String)>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let deployment = config_of(state)?;
    let config = feedback(&deployment)?;
    let accounts = state.store.accounts().await?;
    let members = state.store.feedback_members().await?;
    let body = html! {
        (message(&m))
        p.muted { (lang.t(T::FbMembersHelp)) }
        table.cards {
            thead { tr { th { (lang.t(T::FbAccount)) } th { (lang.t(T::FbHandler)) } } }
            tbody { @for a in accounts.iter().filter(|a| a.role == Role::Handler) {
                @let now_of = members.iter().find(|(id, _, _)| *id == a.id).map(|(_, _, h)| h.as_str());
                tr {
                    td data-label=(lang.t(T::FbAccount)) { (a.username) }
                    td data-label=(lang.t(T::FbHandler)) {
                        form.inline method="post" action="/staff/feedback/handlers" {
                            (csrf_field(cx)) input type="hidden" name="staff" value=(a.id);
                            label { span.visually-hidden { (a.username) }
                                select name="handler" {
                                    option value="" { "—" }
                                    @for h in &config.handlers { option value=(h.id) selected[now_of == Some(h.id.as_str())] { (h.name.get(lang)) } }
                                } }
                            " " button { (lang.t(T::FbSave)) }
                        }
                    }
                }
            } }
        }
    };
    Ok(page_with_status(
        StatusCode::OK,
        cx.frame(),
        lang.t(T::FbMembers),
        body,
    ))
}

/// `GET /staff/feedback/handlers` (admins): which department or grid each handler
/// account works for.
async fn members(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Admins>,
) -> Result<Response, ApiError> {
    members_page(&state, &cx, None).await
}

/// `POST /staff/feedback/handlers` (admins): sets a handler account's department or
/// grid (or none), audited.
async fn set_member(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Admins, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let deployment = config_of(&state)?;
    let config = feedback(&deployment)?;
    let staff_id = field(&form, "staff").parse::<i64>().ok();
    let handler = field(&form, "handler");
    let account = match staff_id {
        Some(id) => state.store.account(id).await?,
        None => None,
    };
    let ok = account.as_ref().is_some_and(|a| a.role == Role::Handler)
        && (handler.is_empty() || config.handler(handler).is_some());
    let m = match (ok, account) {
        (true, Some(a)) => {
            state
                .store
                .set_feedback_member(
                    a.id,
                    (!handler.is_empty()).then_some(handler),
                    &cx.actor(),
                    state.now(),
                )
                .await?;
            (true, lang.t(T::FbDone).to_owned())
        }
        _ => (
            false,
            lang.fill(T::FbFieldProblem, &[("field", lang.t(T::FbHandler))]),
        ),
    };
    members_page(&state, &cx, Some(m)).await
}

async fn keys_page(
    state: &AppState,
    cx: &StaffCx,
    m: Option<(bool, String)>,
    new_key: Option<String>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let keys = state.store.open311_keys().await?;
    let body = html! {
        (message(&m))
        @if let Some(k) = &new_key {
            p.ok role="status" { (lang.t(T::FbKeyOnce)) }
            p { code data-new-key { (k) } }
        }
        p.muted { (lang.t(T::FbKeysHelp)) " " a href="/open311/discovery.json" { "discovery.json" } }
        @if !keys.is_empty() {
            table.cards {
                thead { tr { th { (lang.t(T::FbKeyName)) } th { (lang.t(T::FbKeyIssued)) } th { (lang.t(T::FbState)) } } }
                tbody { @for (id, name, by, at, revoked) in &keys { tr {
                    td data-label=(lang.t(T::FbKeyName)) { (name) }
                    td data-label=(lang.t(T::FbKeyIssued)) { (state.format_time(*at)) " · " (by) }
                    td data-label=(lang.t(T::FbState)) {
                        @if let Some(r) = revoked { (lang.t(T::FbKeyRevoked)) " " (state.format_time(*r)) }
                        @else {
                            form.inline method="post" action="/staff/feedback/open311" {
                                (csrf_field(cx)) input type="hidden" name="revoke" value=(id);
                                button { (lang.t(T::FbKeyRevoke)) }
                            }
                        }
                    }
                } } }
            }
        }
        h2 { (lang.t(T::FbKeyCreate)) }
        form method="post" action="/staff/feedback/open311" {
            (csrf_field(cx))
            p { label { (lang.t(T::FbKeyName)) " " input name="name" required maxlength="60"; } }
            p { button { (lang.t(T::FbKeyCreate)) } }
        }
    };
    Ok(page_with_status(
        StatusCode::OK,
        cx.frame(),
        lang.t(T::FbKeys),
        body,
    ))
}

/// `GET /staff/feedback/open311` (admins): the Open311 API keys issued to machine
/// clients.
async fn keys(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Admins>,
) -> Result<Response, ApiError> {
    keys_page(&state, &cx, None, None).await
}

/// `POST /staff/feedback/open311` (admins): issues a key (shown once) or revokes one.
async fn key_action(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Admins, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let now = state.now();
    if let Some(id) = form.get("revoke").and_then(|v| v.parse::<i64>().ok()) {
        state.store.revoke_open311_key(id, &cx.actor(), now).await?;
        return keys_page(
            &state,
            &cx,
            Some((true, lang.t(T::FbDone).to_owned())),
            None,
        )
        .await;
    }
    let name = field(&form, "name");
    if name.is_empty() || name.chars().count() > 60 {
        let m = Some((
            false,
            lang.fill(T::FbFieldProblem, &[("field", lang.t(T::FbKeyName))]),
        ));
        return keys_page(&state, &cx, m, None).await;
    }
    let key = state
        .store
        .create_open311_key(name, &cx.actor(), now)
        .await?;
    keys_page(&state, &cx, None, Some(key)).await
}
