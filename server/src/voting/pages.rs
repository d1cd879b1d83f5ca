//! The organisers' voting pages: votes and their lifecycle, the roster (CSV import,
//! corrections kept with who, when and why), turnout by building with the units still
//! missing (printable as a canvassing list), paper ballots, the deliberation's replies,
//! and the exports a result is recomputed from. Server-rendered and role-gated like
//! the rest of `/staff`.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use linli_core::voting::{
    Choice, Matter, Stage, Turnout, Unit, VoteServerText as T, MAX_BODY, MAX_COMMENT, MAX_TITLE,
};
use linli_core::{Lang, Role, StaffText};
use maud::{html, Markup};

use super::files;
use super::store::{
    building_of, m2, owner_key, owner_label, BallotRow, NewVote, Paper, RosterFix, VoteError,
    VoteRow,
};
use crate::app::{AppState, NavEntry};
use crate::http::export::csv_response;
use crate::http::extract::{Csrf, CsrfUpload, Roles, Staff, StaffCx};
use crate::http::layout::{
    csrf_field, form_field as field, message, page_with_status, print_button,
};
use crate::http::ApiError;

/// Roles that run votes: create, roster, paper ballots, close and publish.
pub struct Organisers;
impl Roles for Organisers {
    const ALLOWED: &'static [Role] = ORGANISERS;
}
/// Who runs votes.
pub const ORGANISERS: &[Role] = &[Role::Admin, Role::Staff];

/// The voting pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/voting", get(list).post(create))
        .route("/staff/voting/{id}", get(show))
        .route("/staff/voting/{id}/stage", post(stage))
        .route("/staff/voting/{id}/edit", post(edit))
        .route("/staff/voting/{id}/roster", post(roster_upload))
        .route("/staff/voting/{id}/roster/correct", post(correct))
        .route("/staff/voting/{id}/paper", post(paper))
        .route("/staff/voting/{id}/comments", post(reply))
        .route("/staff/voting/{id}/canvass", get(canvass))
        .route("/staff/voting/{id}/roster.csv", get(roster_csv))
        .route("/staff/voting/{id}/ballots.csv", get(ballots_csv))
        .route("/staff/voting/{id}/result.csv", get(result_csv))
}

/// The voting pages in the console's navigation.
pub fn nav() -> Vec<NavEntry> {
    vec![NavEntry {
        path: "/staff/voting",
        label: StaffText::VoteNav,
        roles: ORGANISERS,
    }]
}

/// An instant in the deployment's zone, "—" before it is set (0).
fn when(state: &AppState, ms: i64) -> String {
    if ms == 0 {
        "—".into()
    } else {
        state.format_time(ms)
    }
}

/// A `datetime-local` value in the deployment's zone → ms.
fn instant(state: &AppState, text: &str) -> Option<i64> {
    linli_core::notices::parse_local(text, state.utc_offset_minutes())
}

async fn vote_or_404(state: &AppState, id: i64) -> Result<VoteRow, ApiError> {
    state
        .store
        .vote(id)
        .await?
        .ok_or(ApiError::NotFound(StaffText::NfVote))
}

fn stage_name(lang: Lang, v: &VoteRow, now: i64) -> &'static str {
    lang.t(v.stage.shown(v.window.closes_at, now).text())
}

async fn list_page(
    state: &AppState,
    cx: &StaffCx,
    m: Option<(bool, String)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let votes = state.store.votes().await?;
    let now = state.now();
    let grace = state.deployment().map_or(15, |c| c.voting.grace_minutes);
    let silent = state
        .deployment()
        .is_some_and(|c| c.voting.silent_follow_majority);
    let body = html! {
        (message(&m))
        @if votes.is_empty() { p { (lang.t(T::VoteNone)) } }
        @else {
            table.cards {
                thead { tr {
                    th { (lang.t(T::VoteTitle)) } th { (lang.t(T::VoteMatter)) }
                    th { (lang.t(T::VoteStage)) } th { (lang.t(T::VoteCloses)) }
                } }
                tbody { @for v in &votes { tr {
                    td data-label=(lang.t(T::VoteTitle)) { a href={ "/staff/voting/" (v.id) } { (v.title) } }
                    td data-label=(lang.t(T::VoteMatter)) { (v.matter.item()) "：" (lang.t(v.matter.text())) }
                    td data-label=(lang.t(T::VoteStage)) { (stage_name(lang, v, now)) }
                    td data-label=(lang.t(T::VoteCloses)) { (when(state, v.window.closes_at)) }
                } } }
            }
        }
        h2 { (lang.t(T::VoteCreate)) }
        (vote_form(cx, "/staff/voting", &NewVote {
            title: String::new(),
            body: String::new(),
            matter: Matter::PropertyManager,
            secret: false,
            changes_allowed: false,
            silent_follow: silent,
            grace_ms: grace * 60_000,
        }, T::VoteCreate))
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        lang.t(StaffText::VoteNav),
        body,
    ))
}

/// The form a vote is created or (before voting opens) edited with, filled from `v`.
fn vote_form(cx: &StaffCx, action: &str, v: &NewVote, button: T) -> Markup {
    let lang = cx.lang;
    html! {
        form method="post" action=(action) {
            (csrf_field(cx))
            p { label { (lang.t(T::VoteTitle)) " " input name="title" required maxlength=(MAX_TITLE) value=(v.title); } }
            p { label { (lang.t(T::VoteMatter)) " "
                select name="matter" required {
                    @for m in Matter::ALL { option value=(m.item()) selected[m == v.matter] { (m.item()) "：" (lang.t(m.text())) } }
                } } }
            p { label { (lang.t(T::VoteBody)) br;
                textarea name="body" rows="8" cols="60" maxlength=(MAX_BODY) { (v.body) } } }
            p { label { input type="checkbox" name="secret" checked[v.secret]; " " (lang.t(T::VoteSecret)) } }
            p { label { input type="checkbox" name="changes" checked[v.changes_allowed]; " " (lang.t(T::VoteChanges)) } }
            p { label { input type="checkbox" name="silent" checked[v.silent_follow]; " " (lang.t(T::VoteSilent)) } }
            p { label { (lang.t(T::VoteGrace)) " " input type="number" name="grace" min="0" max="1440" value=(v.grace_ms / 60_000); } }
            p { button { (lang.t(button)) } }
        }
    }
}

/// A vote as the form gives it, or the first field that is wrong.
fn read_vote_form(form: &HashMap<String, String>) -> Result<NewVote, T> {
    let title = field(form, "title");
    let body = field(form, "body");
    let matter = field(form, "matter")
        .parse::<u8>()
        .ok()
        .and_then(Matter::from_item);
    let grace = field(form, "grace")
        .parse::<i64>()
        .ok()
        .filter(|g| (0..=1_440).contains(g));
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(T::VoteTitle);
    }
    if body.chars().count() > MAX_BODY {
        return Err(T::VoteBody);
    }
    Ok(NewVote {
        title: title.to_owned(),
        body: body.to_owned(),
        matter: matter.ok_or(T::VoteMatter)?,
        secret: form.contains_key("secret"),
        changes_allowed: form.contains_key("changes"),
        silent_follow: form.contains_key("silent"),
        grace_ms: grace.ok_or(T::VoteGrace)? * 60_000,
    })
}

/// `GET /staff/voting`: the votes and a form to create one.
async fn list(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Organisers>,
) -> Result<Response, ApiError> {
    list_page(&state, &cx, None, StatusCode::OK).await
}

/// `POST /staff/voting`: creates a vote in draft.
async fn create(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Organisers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let v = match read_vote_form(&form) {
        Ok(v) => v,
        Err(what) => {
            let m = Some((
                false,
                lang.fill(T::VoteFieldProblem, &[("field", lang.t(what))]),
            ));
            return list_page(&state, &cx, m, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let id = state
        .store
        .create_vote(&v, &cx.actor(), state.now())
        .await?;
    Ok(Redirect::to(&format!("/staff/voting/{id}")).into_response())
}

/// Turnout per building: (building, owners' units that took part, units, units still
/// missing).
fn by_building(
    roster: &[Unit],
    ballots: &[BallotRow],
) -> BTreeMap<String, (u32, u32, Vec<String>)> {
    let voted: std::collections::HashSet<&str> =
        ballots.iter().map(|b| b.owner_key.as_str()).collect();
    let mut out: BTreeMap<String, (u32, u32, Vec<String>)> = BTreeMap::new();
    for u in roster {
        let e = out.entry(building_of(&u.unit)).or_default();
        e.1 += 1;
        if voted.contains(owner_key(u).as_str()) {
            e.0 += 1;
        } else {
            e.2.push(u.unit.clone());
        }
    }
    out
}

fn turnout_line(lang: Lang, t: &Turnout) -> String {
    let (owners, area) = t.percentages();
    lang.fill(
        T::VoteTurnoutLine,
        &[
            ("owners", &t.owners.to_string()),
            ("of_owners", &t.of_owners.to_string()),
            ("owners_pct", &owners),
            ("area", &m2(t.area.max(0) as u64)),
            ("of_area", &m2(t.of_area.max(0) as u64)),
            ("area_pct", &area),
        ],
    )
}

fn choice_options(lang: Lang) -> Markup {
    html! {
        @for c in [Choice::Agree, Choice::Oppose, Choice::Abstain] {
            label { input type="radio" name="choice" value=(c.id()) required; " " (lang.t(c.text())) } " "
        }
    }
}

async fn vote_page(
    state: &AppState,
    cx: &StaffCx,
    id: i64,
    m: Option<(bool, String)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let v = vote_or_404(state, id).await?;
    let now = state.now();
    let roster = state.store.vote_roster(id).await?;
    let ballots = state.store.vote_ballots(id).await?;
    let turnout = state.store.vote_turnout(id).await?;
    let corrections = state.store.corrections(id).await?;
    let comments = state.store.vote_comments(id).await?;
    let shown = v.stage.shown(v.window.closes_at, now);
    let after_close = v.stage >= Stage::Closed;
    let yes_no = |b: bool| {
        lang.t(if b {
            StaffText::StaffYes
        } else {
            StaffText::StaffNo
        })
    };
    let base = format!("/staff/voting/{id}");
    let buildings = by_building(&roster, &ballots);
    let body = html! {
        (message(&m))
        p.muted { a href="/staff/voting" { (lang.t(StaffText::VoteNav)) } }
        dl {
            dt { (lang.t(T::VoteMatter)) } dd { (v.matter.item()) "：" (lang.t(v.matter.text())) }
            dt { (lang.t(T::VoteStage)) } dd data-stage=(shown.id()) { (lang.t(shown.text())) }
            dt { (lang.t(T::VoteOpens)) } dd { (when(state, v.window.opens_at)) }
            dt { (lang.t(T::VoteCloses)) } dd { (when(state, v.window.closes_at)) }
            dt { (lang.t(T::VoteGrace)) } dd { (v.window.grace_ms / 60_000) }
            dt { (lang.t(T::VoteSecret)) } dd { (yes_no(v.secret)) }
            dt { (lang.t(T::VoteChanges)) } dd { (yes_no(v.changes_allowed)) }
            dt { (lang.t(T::VoteSilent)) } dd { (yes_no(v.silent_follow)) }
        }
        details { summary { (lang.t(T::VoteBody)) } p.prewrap { (v.body) } }
        @if v.editable() {
            details {
                summary { (lang.t(T::VoteEdit)) }
                (vote_form(cx, &format!("{base}/edit"), &NewVote {
                    title: v.title.clone(),
                    body: v.body.clone(),
                    matter: v.matter,
                    secret: v.secret,
                    changes_allowed: v.changes_allowed,
                    silent_follow: v.silent_follow,
                    grace_ms: v.window.grace_ms,
                }, T::VoteSave))
            }
        }

        @if v.stage != Stage::Published { h2 { (lang.t(T::VoteStage)) } }
        @match v.stage {
            Stage::Draft => {
                form.inline method="post" action={ (base) "/stage" } {
                    (csrf_field(cx)) input type="hidden" name="to" value="deliberation";
                    button { (lang.t(T::VoteToDeliberation)) }
                }
                (open_form(cx, &base, lang))
            }
            Stage::Deliberation => { (open_form(cx, &base, lang)) }
            Stage::Voting => {
                p { (lang.t(T::VoteFrozen)) }
                form.inline method="post" action={ (base) "/stage" } {
                    (csrf_field(cx)) input type="hidden" name="to" value="closed";
                    button disabled[!v.window.may_close(now)] { (lang.t(T::VoteClose)) }
                }
                @if !v.window.may_close(now) {
                    p.muted { (lang.fill(T::VoteCloseAfter, &[("at", &when(state, v.window.closes_at + v.window.grace_ms))])) }
                }
            }
            Stage::Closed => {
                form.inline method="post" action={ (base) "/stage" } {
                    (csrf_field(cx)) input type="hidden" name="to" value="published";
                    button { (lang.t(T::VotePublish)) }
                }
            }
            Stage::Published => {}
        }

        h2 { (lang.t(T::VoteTurnout)) }
        p role="status" data-turnout { (turnout_line(lang, &turnout)) }
        @if !buildings.is_empty() {
            table.cards {
                thead { tr { th { (lang.t(T::VoteBuilding)) } th { (lang.t(T::VoteVoted)) } th { (lang.t(T::VoteMissing)) } } }
                tbody { @for (b, (voted, all, missing)) in &buildings { tr {
                    td data-label=(lang.t(T::VoteBuilding)) { (b) }
                    td data-label=(lang.t(T::VoteVoted)) { (voted) " / " (all) }
                    td data-label=(lang.t(T::VoteMissing)) { (missing.join("、")) }
                } } }
            }
            p { a href={ (base) "/canvass" } { (lang.t(T::VoteCanvass)) } }
        }

        @if v.stage == Stage::Voting && now >= v.window.opens_at && now <= v.window.closes_at + v.window.grace_ms {
            h2 { (lang.t(T::VotePaper)) }
            form method="post" action={ (base) "/paper" } {
                (csrf_field(cx))
                p { label { (lang.t(T::VoteUnit)) " "
                    select name="unit" required { @for u in &roster { option value=(u.unit) { (u.unit) } } } } }
                p { (choice_options(lang)) }
                p { label { (lang.t(T::VotePaperCollected)) " " input type="datetime-local" name="collected"; } }
                p { label { (lang.t(T::VoteReplaceReason)) " " input name="replace" maxlength="100"; } }
                p { button { (lang.t(T::VotePaperEnter)) } }
            }
        }

        @if let Some(result) = &v.result {
            h2 { (lang.t(T::VoteResult)) }
            (result_block(lang, result))
        }
        @if after_close {
            h2 { (lang.t(T::VoteExports)) }
            p {
                a href={ (base) "/roster.csv" } download { "roster.csv" } " · "
                a href={ (base) "/ballots.csv" } download { "ballots.csv" } " · "
                a href={ (base) "/result.csv" } download { "result.csv" }
            }
            p.muted { (lang.fill(T::VoteCheckCommand, &[("matter", &v.matter.item().to_string())])) }
        }

        h2 { (lang.t(T::VoteRoster)) " (" (roster.len()) ")" }
        @if v.stage == Stage::Draft {
            form method="post" action={ (base) "/roster" } enctype="multipart/form-data" {
                (csrf_field(cx))
                p { label { (lang.t(T::VoteRosterFile)) " " input type="file" name="roster" accept=".csv,text/csv" required; } }
                p.muted { (lang.t(T::VoteRosterHelp)) }
                p { button { (lang.t(T::VoteRosterImport)) } }
            }
        }
        @if !roster.is_empty() {
            details open[v.editable() && roster.len() <= 30] {
            summary { (lang.t(T::VoteRoster)) " (" (roster.len()) ")" }
            table.cards {
                thead { tr { th { (lang.t(T::VoteUnit)) } th { (lang.t(T::VoteOwner)) } th { (lang.t(T::VoteArea)) } @if v.editable() { th { (lang.t(T::VoteCorrect)) } } } }
                tbody { @for u in &roster { tr data-unit=(u.unit) {
                    td data-label=(lang.t(T::VoteUnit)) { (u.unit) }
                    td data-label=(lang.t(T::VoteOwner)) { (owner_label(u, lang)) }
                    td data-label=(lang.t(T::VoteArea)) { (m2(u.area)) }
                    @if v.editable() { td data-label=(lang.t(T::VoteCorrect)) { details {
                        summary { (lang.t(T::VoteCorrect)) }
                        form method="post" action={ (base) "/roster/correct" } {
                            (csrf_field(cx))
                            input type="hidden" name="unit" value=(u.unit);
                            p { label { (lang.t(T::VoteOwner)) " " input name="owner" value=(u.owner) maxlength="60"; } }
                            p { label { (lang.t(T::VoteArea)) " " input name="area" value=(m2(u.area)) inputmode="decimal" maxlength="14"; } }
                            p { label { (lang.t(T::VoteReason)) " " input name="reason" required maxlength="100"; } }
                            p { button { (lang.t(T::VoteCorrect)) } }
                        }
                    } } }
                } } }
            }
            }
        }
        @if !corrections.is_empty() {
            h3 { (lang.t(T::VoteCorrections)) }
            ul { @for c in &corrections {
                li { (when(state, c.at)) " " (c.by) "：" (c.unit) " " (c.field) " " (c.before) " → " (c.after) "（" (c.reason) "）" }
            } }
        }

        h2 { (lang.t(T::VoteComments)) }
        @for c in &comments {
            div.comment data-comment=(c.comment.id) {
                p.muted { (when(state, c.comment.at)) " · "
                    @if c.comment.staff { (lang.t(linli_core::voting::VoteText::CommentStaff)) } @else { (lang.fill(linli_core::voting::VoteText::CommentOwner, &[("building", &c.comment.author)])) }
                    @if let Some(r) = c.comment.reply_to { " · " (lang.fill(T::VoteReplyTo, &[("id", &r.to_string())])) } }
                p.prewrap { "#" (c.comment.id) " " (c.comment.text) }
            }
        }
        @if v.stage != Stage::Draft && v.stage < Stage::Closed {
            form method="post" action={ (base) "/comments" } {
                (csrf_field(cx))
                p { label { (lang.t(T::VoteReply)) br; textarea name="text" rows="3" cols="60" required maxlength=(MAX_COMMENT) {} } }
                p { label { (lang.t(T::VoteReplyToField)) " " input type="number" name="reply_to" min="1"; } }
                p { button { (lang.t(T::VoteReply)) } }
            }
        }
    };
    Ok(page_with_status(status, cx.frame(), &v.title, body))
}

fn open_form(cx: &StaffCx, base: &str, lang: Lang) -> Markup {
    html! {
        form method="post" action={ (base) "/stage" } {
            (csrf_field(cx)) input type="hidden" name="to" value="voting";
            p { label { (lang.t(T::VoteOpens)) " " input type="datetime-local" name="opens" required; } " "
                label { (lang.t(T::VoteCloses)) " " input type="datetime-local" name="closes" required; } }
            p.muted { (lang.t(T::VoteOpenWarning)) }
            p { button { (lang.t(T::VoteOpen)) } }
        }
    }
}

fn result_block(lang: Lang, result: &str) -> Markup {
    let explanation = super::Outcome::read(result)
        .map(|o| o.explanation(lang).to_owned())
        .unwrap_or_default();
    html! { p.prewrap data-result { (explanation) } }
}

/// `GET /staff/voting/{id}`.
async fn show(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Organisers>,
) -> Result<Response, ApiError> {
    vote_page(&state, &cx, id, None, StatusCode::OK).await
}

fn vote_error(lang: Lang, state: &AppState, e: VoteError) -> Result<String, ApiError> {
    Ok(match e {
        VoteError::Frozen => lang.t(T::VoteErrFrozen).to_owned(),
        VoteError::NoRoster => lang.t(T::VoteErrNoRoster).to_owned(),
        VoteError::BadWindow => lang.t(T::VoteErrWindow).to_owned(),
        VoteError::StillOpen => lang.t(T::VoteErrStillOpen).to_owned(),
        VoteError::WrongStage => lang.t(T::VoteErrStage).to_owned(),
        VoteError::UnknownUnit => lang.t(T::VoteErrUnit).to_owned(),
        VoteError::UnknownComment => lang.t(T::VoteErrComment).to_owned(),
        VoteError::HasBallot(b) => {
            let source = lang.t(if b.source == "paper" {
                T::VoteSourcePaper
            } else {
                T::VoteSourceOnline
            });
            lang.fill(
                T::VoteErrHasBallot,
                &[
                    ("unit", &b.unit),
                    ("source", source),
                    ("at", &when(state, b.received_at)),
                    ("by", b.entered_by.as_deref().unwrap_or("—")),
                ],
            )
        }
        VoteError::Tally(t) => t.text(lang),
        VoteError::Store(e) => return Err(e.into()),
    })
}

/// The vote's page again with why a form was refused (422).
async fn refused(
    state: &AppState,
    cx: &StaffCx,
    id: i64,
    text: String,
) -> Result<Response, ApiError> {
    vote_page(
        state,
        cx,
        id,
        Some((false, text)),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Answers a staff action: back to the vote's page with a message.
async fn after(
    state: &AppState,
    cx: &StaffCx,
    id: i64,
    outcome: Result<String, VoteError>,
) -> Result<Response, ApiError> {
    match outcome {
        Ok(text) => vote_page(state, cx, id, Some((true, text)), StatusCode::OK).await,
        Err(e) => {
            let text = vote_error(cx.lang, state, e)?;
            refused(state, cx, id, text).await
        }
    }
}

/// `POST /staff/voting/{id}/edit`: the vote's title, text, matter and rules changed
/// before voting opens (they freeze then).
async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, form, .. }: Csrf<Organisers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let v = match read_vote_form(&form) {
        Ok(v) => v,
        Err(what) => {
            let text = lang.fill(T::VoteFieldProblem, &[("field", lang.t(what))]);
            return refused(&state, &cx, id, text).await;
        }
    };
    let outcome = state
        .store
        .update_vote(id, &v, &cx.actor(), state.now())
        .await
        .map(|()| lang.t(T::VoteSaved).to_owned());
    after(&state, &cx, id, outcome).await
}

/// `POST /staff/voting/{id}/stage` (`to`, and `opens`/`closes` to open voting).
async fn stage(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, form, .. }: Csrf<Organisers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let to = Stage::from_id(field(&form, "to")).ok_or(ApiError::NotFound(StaffText::NfVote))?;
    let window = match (
        instant(&state, field(&form, "opens")),
        instant(&state, field(&form, "closes")),
    ) {
        (Some(o), Some(c)) => Some((o, c)),
        _ => None,
    };
    let outcome = state
        .store
        .advance_vote(id, to, window, &cx.actor(), state.now())
        .await
        .map(|()| {
            cx.lang
                .fill(T::VoteStageDone, &[("stage", cx.lang.t(to.text()))])
        });
    after(&state, &cx, id, outcome).await
}

/// `POST /staff/voting/{id}/roster`: imports the roster file; every problem located,
/// nothing imported unless the whole file reads.
async fn roster_upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfUpload { cx, parts, .. }: CsrfUpload<Organisers>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let bytes = parts
        .iter()
        .find(|p| p.name == "roster")
        .map(|p| p.bytes.clone())
        .unwrap_or_default();
    match files::roster(&bytes) {
        Err(problems) => {
            let list: Vec<String> = problems.iter().take(50).map(|p| p.text(lang)).collect();
            let text = lang.fill(T::VoteRosterRefused, &[("problems", &list.join("；"))]);
            refused(&state, &cx, id, text).await
        }
        Ok(units) => {
            let n = units.len().to_string();
            let outcome = state
                .store
                .import_roster(id, &units, &cx.actor(), state.now())
                .await
                .map(|()| {
                    let mut text = lang.fill(T::VoteRosterDone, &[("units", &n)]);
                    let shared = shared_owners(&units);
                    if !shared.is_empty() {
                        text.push('\n');
                        text.push_str(
                            &lang.fill(T::VoteRosterShared, &[("owners", &shared.join("；"))]),
                        );
                    }
                    text
                });
            after(&state, &cx, id, outcome).await
        }
    }
}

/// The named owners holding several units (`张三（1幢101、1幢102）`), for staff to check
/// that one name is one person: the roster's name is who counts as one owner.
fn shared_owners(units: &[Unit]) -> Vec<String> {
    let mut by: BTreeMap<String, (String, Vec<&str>)> = BTreeMap::new();
    for u in units.iter().filter(|u| !u.developer_held) {
        let e = by
            .entry(owner_key(u))
            .or_insert_with(|| (u.owner.trim().to_owned(), Vec::new()));
        e.1.push(&u.unit);
    }
    by.into_values()
        .filter(|(_, list)| list.len() > 1)
        .map(|(name, list)| format!("{name}（{}）", list.join("、")))
        .collect()
}

/// `POST /staff/voting/{id}/roster/correct` (`unit`, `owner`, `area` in m², `reason`).
async fn correct(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, form, .. }: Csrf<Organisers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let reason = field(&form, "reason");
    let owner = field(&form, "owner");
    let area_text = field(&form, "area");
    let area = if area_text.is_empty() {
        None
    } else {
        files::area(area_text)
    };
    if reason.is_empty()
        || reason.chars().count() > 100
        || owner.chars().count() > 60
        || (!area_text.is_empty() && area.is_none())
    {
        let what = if reason.is_empty() || reason.chars().count() > 100 {
            T::VoteReason
        } else if area.is_none() && !area_text.is_empty() {
            T::VoteArea
        } else {
            T::VoteOwner
        };
        let text = lang.fill(T::VoteFieldProblem, &[("field", lang.t(what))]);
        return refused(&state, &cx, id, text).await;
    }
    let owner = (!owner.is_empty()).then_some(owner);
    let outcome = state
        .store
        .correct_roster(
            id,
            &RosterFix {
                unit: field(&form, "unit"),
                area,
                owner,
                reason,
            },
            &cx.actor(),
            state.now(),
        )
        .await
        .map(|()| lang.t(T::VoteCorrected).to_owned());
    after(&state, &cx, id, outcome).await
}

/// `POST /staff/voting/{id}/paper` (`unit`, `choice`, optional `replace` reason): a
/// marked paper ballot, entered by the signed-in member.
async fn paper(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, form, .. }: Csrf<Organisers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let Some(choice) = Choice::parse(field(&form, "choice")) else {
        let text = lang.fill(T::VoteFieldProblem, &[("field", lang.t(T::VoteChoice))]);
        return refused(&state, &cx, id, text).await;
    };
    let replace = Some(field(&form, "replace")).filter(|r| !r.is_empty());
    let collected = match field(&form, "collected") {
        "" => Some(state.now()),
        text => instant(&state, text),
    };
    let problem = if replace.is_some_and(|r| r.chars().count() > 100) {
        Some(lang.t(T::VoteErrReason).to_owned())
    } else if collected.is_none() {
        Some(lang.fill(
            T::VoteFieldProblem,
            &[("field", lang.t(T::VotePaperCollected))],
        ))
    } else {
        None
    };
    if let Some(text) = problem {
        return refused(&state, &cx, id, text).await;
    }
    let paper = Paper {
        unit: field(&form, "unit"),
        choice,
        collected_at: collected.unwrap_or_default(),
        replace,
    };
    let outcome = state
        .store
        .enter_paper(id, &paper, &cx.actor(), state.now())
        .await
        .map(|b| {
            lang.fill(
                T::VotePaperDone,
                &[("unit", &b.unit), ("receipt", &b.receipt)],
            )
        });
    after(&state, &cx, id, outcome).await
}

/// `POST /staff/voting/{id}/comments` (`text`, optional `reply_to`): staff's reply in
/// the deliberation, shown to owners as the committee's.
async fn reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, form, .. }: Csrf<Organisers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let text = field(&form, "text");
    if text.is_empty() || text.chars().count() > MAX_COMMENT {
        let m = lang.fill(T::VoteFieldProblem, &[("field", lang.t(T::VoteReply))]);
        return refused(&state, &cx, id, m).await;
    }
    let reply_to = field(&form, "reply_to").parse::<i64>().ok();
    let outcome = state
        .store
        .reply_to_vote(id, text, reply_to, &cx.actor(), state.now())
        .await
        .map(|()| lang.t(T::VoteReplied).to_owned());
    after(&state, &cx, id, outcome).await
}

/// `GET /staff/voting/{id}/canvass`: the units whose owners have not voted, by
/// building, to print and take door to door (owners named for the canvasser; the
/// page is staff-only).
async fn canvass(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Organisers>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let v = vote_or_404(&state, id).await?;
    let roster = state.store.vote_roster(id).await?;
    let ballots = state.store.vote_ballots(id).await?;
    let turnout = state.store.vote_turnout(id).await?;
    let owners: HashMap<&str, &Unit> = roster.iter().map(|u| (u.unit.as_str(), u)).collect();
    let body = html! {
        p { (print_button(lang)) }
        p role="status" { (turnout_line(lang, &turnout)) }
        @for (b, (_, _, missing)) in by_building(&roster, &ballots) {
            @if !missing.is_empty() {
                h2 { (b) }
                table {
                    thead { tr { th { (lang.t(T::VoteUnit)) } th { (lang.t(T::VoteOwner)) } th { (lang.t(T::VoteArea)) } th { (lang.t(T::VoteVisited)) } } }
                    tbody { @for u in &missing { tr {
                        td { (u) }
                        td { (owners.get(u.as_str()).map(|x| owner_label(x, lang)).unwrap_or_default()) }
                        td { (owners.get(u.as_str()).map(|x| m2(x.area)).unwrap_or_default()) }
                        td { "☐" }
                    } } }
                }
            }
        }
    };
    let title = lang.fill(T::VoteCanvassTitle, &[("title", &v.title)]);
    Ok(page_with_status(StatusCode::OK, cx.frame(), &title, body))
}

/// The exports are for a closed vote (until then they would show partial results),
/// and for a secret one only once its result is published.
async fn closed_vote(state: &AppState, id: i64) -> Result<VoteRow, ApiError> {
    let v = vote_or_404(state, id).await?;
    let ready = if v.secret {
        Stage::Published
    } else {
        Stage::Closed
    };
    if v.stage < ready {
        return Err(ApiError::NotFound(StaffText::NfVote));
    }
    Ok(v)
}

/// `GET /staff/voting/{id}/roster.csv`: the roster as `vote tally --roster` reads it
/// (`unit,owner,area,developer_held`; area in m² with two decimals).
async fn roster_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { .. }: Staff<Organisers>,
) -> Result<Response, ApiError> {
    closed_vote(&state, id).await?;
    let rows: Vec<Vec<String>> = state
        .store
        .vote_roster(id)
        .await?
        .into_iter()
        .map(|u| {
            vec![
                u.unit,
                if u.developer_held {
                    String::new()
                } else {
                    u.owner
                },
                m2(u.area),
                if u.developer_held { "是" } else { "否" }.to_owned(),
            ]
        })
        .collect();
    Ok(csv_response(
        &format!("vote-{id}-roster.csv"),
        &["unit", "owner", "area", "developer_held"],
        &rows,
    ))
}

/// `GET /staff/voting/{id}/ballots.csv`: every counted ballot as `vote tally
/// --ballots` reads it (`unit,choice`), with where it came from and when.
async fn ballots_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { .. }: Staff<Organisers>,
) -> Result<Response, ApiError> {
    closed_vote(&state, id).await?;
    let rows: Vec<Vec<String>> = state
        .store
        .vote_ballots(id)
        .await?
        .into_iter()
        .map(|b| vec![b.unit, b.choice.id().to_owned()])
        .collect();
    Ok(csv_response(
        &format!("vote-{id}-ballots.csv"),
        &["unit", "choice"],
        &rows,
    ))
}

/// `GET /staff/voting/{id}/result.csv`: the four checks of art. 278(2) with their
/// values and thresholds, the outcome and the explanation.
async fn result_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Organisers>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let v = closed_vote(&state, id).await?;
    let mut conn = state.store.read().await?;
    let t = super::store::tally_of(&mut conn, &v)
        .await
        .map_err(|e| match e {
            VoteError::Store(e) => ApiError::from(e),
            // Never the tally's own words here: they name owners, and this goes to the log.
            _ => ApiError::Internal("a closed vote's tally cannot be made".into()),
        })?;
    let names = [
        T::VoteCheckPa,
        T::VoteCheckPo,
        T::VoteCheckAa,
        T::VoteCheckAo,
    ];
    let mut rows: Vec<Vec<String>> = t
        .checks
        .iter()
        .zip(names)
        .map(|(c, name)| {
            vec![
                lang.t(name).to_owned(),
                c.value.to_string(),
                c.of.to_string(),
                format!("{}/{}", c.threshold.num, c.threshold.den),
                c.figures(),
                lang.t(if c.passed {
                    StaffText::StaffYes
                } else {
                    StaffText::StaffNo
                })
                .to_owned(),
            ]
        })
        .collect();
    rows.push(vec![
        lang.t(T::VoteResult).to_owned(),
        String::new(),
        String::new(),
        String::new(),
        t.explanation(lang),
        String::new(),
    ]);
    let head = [
        T::VoteColCheck,
        T::VoteColValue,
        T::VoteColOf,
        T::VoteColThreshold,
        T::VoteColFigures,
        T::VoteColMet,
    ]
    .map(|h| lang.t(h));
    Ok(csv_response(&format!("vote-{id}-result.csv"), &head, &rows))
}
