//! The console's public-evaluation pages: the services compared on one page; per
//! service, use per day, the scores, approval per week, the comments to read and mark
//! handled, and the "你说我改" notes residents see; CSV of the totals and the scores.
//! Every chart is an SVG drawn on the server with its data table beside it.
//!
//! Staff and admins see everything and act; the auditor sees the figures, not what
//! residents wrote (a comment may name someone) or who agreed to be contacted.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use linli_core::date::Date;
use linli_core::evaluation::{
    hundredths, percent, EvalStaffText as T, EvalText, Score, Service, MAX_CHANGE,
};
use linli_core::{Lang, Role, StaffText};
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

use super::chart;
use super::figures::{Figures, ServiceFigures, MAX_DAYS};
use crate::app::{AppState, NavEntry};
use crate::http::export::csv_response;
use crate::http::extract::{Csrf, Query, Roles, Staff, StaffCx};
use crate::http::layout::{csrf_field, form_field as field, message, page_with_status};
use crate::http::ApiError;

/// Who reads the figures: staff and the auditor.
pub struct Readers;
impl Roles for Readers {
    const ALLOWED: &'static [Role] = READERS;
}
const READERS: &[Role] = &[Role::Admin, Role::Staff, Role::Auditor];

/// Who reads comments, marks them handled and publishes notes: staff.
pub struct Editors;
impl Roles for Editors {
    const ALLOWED: &'static [Role] = &[Role::Admin, Role::Staff];
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/evaluation", get(overview))
        .route("/staff/evaluation/use.csv", get(use_csv))
        .route("/staff/evaluation/ratings.csv", get(ratings_csv))
        .route("/staff/evaluation/{service}", get(service_page))
        .route("/staff/evaluation/{service}/changes", post(add_change))
        .route("/staff/evaluation/{service}/comments/{id}", post(mark))
        .route(
            "/staff/evaluation/{service}/changes/{id}/withdraw",
            post(withdraw),
        )
}

pub(super) fn nav() -> NavEntry {
    NavEntry {
        path: "/staff/evaluation",
        label: StaffText::EvalNav,
        roles: READERS,
    }
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`: the last 30 days by default.
#[derive(Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

/// The period asked for, or why it cannot be read (in the page's language).
fn period(state: &AppState, q: &PeriodQuery, lang: Lang) -> Result<(Date, Date), String> {
    let today = super::day_at(state, state.now());
    let why = |reason: String| lang.fill(T::BadPeriod, &[("reason", &reason)]);
    let read = |v: &Option<String>, default: Date| match v.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(t) => Date::parse(t).ok_or_else(|| why(lang.fill(T::PeriodFormat, &[("text", t)]))),
    };
    let to = read(&q.to, today)?;
    let from = read(&q.from, to.add_days(-29).unwrap_or(to))?;
    if from > to {
        return Err(why(lang.t(T::PeriodOrder).to_owned()));
    }
    if to.unix_days() - from.unix_days() >= MAX_DAYS {
        return Err(why(
            lang.fill(T::PeriodLong, &[("days", &MAX_DAYS.to_string())])
        ));
    }
    Ok((from, to))
}

/// The period's form, with the usual periods one tap away (the last 7, 30, 90 and 365
/// days up to `today`).
fn period_form(action: &str, from: Date, to: Date, today: Date, lang: Lang) -> Markup {
    let presets = [7, 30, 90, 365].map(|days| {
        let start = today.add_days(1 - days).unwrap_or(today);
        let label = lang.fill(T::LastDays, &[("days", &days.to_string())]);
        (format!("{action}?{}", query(start, today)), label)
    });
    html! {
        p.presets { @for (i, (href, label)) in presets.iter().enumerate() {
            @if i > 0 { " · " }
            a href=(href) { (label) }
        } }
        form.inline method="get" action=(action) {
            fieldset {
                legend { (lang.t(T::Period)) }
                label { (lang.t(T::From)) " " input type="date" name="from" value=(from.to_string()) required; }
                " "
                label { (lang.t(T::To)) " " input type="date" name="to" value=(to.to_string()) required; }
                " " button { (lang.t(T::Show)) }
            }
        }
    }
}

fn query(from: Date, to: Date) -> String {
    format!("from={from}&to={to}")
}

fn min_ratings(state: &AppState) -> u32 {
    state
        .deployment()
        .map_or(linli_core::evaluation::DEFAULT_MIN_RATINGS, |c| {
            c.evaluation.min_ratings
        })
}

/// A chart as the page shows it: the SVG hidden from screen readers, its table in a
/// `<details>` beside it, and a CSV link.
fn figure(
    caption: &str,
    svg: Result<String, chart::ChartError>,
    table: Markup,
    csv: (&str, T),
    lang: Lang,
) -> Markup {
    html! {
        figure.chart {
            figcaption { (caption) }
            @match svg {
                Ok(svg) => div aria-hidden="true" { (PreEscaped(svg)) },
                Err(e) => p.error { (e.0) },
            }
            details {
                summary { (lang.t(T::TableView)) }
                (table)
            }
            p { a href=(csv.0) download { (lang.t(csv.1)) } }
        }
    }
}

fn opt_percent(p: Option<u32>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{}%", percent(p)))
}

fn opt_mean(m: Option<u32>) -> String {
    m.map_or_else(|| "—".to_owned(), hundredths)
}

/// `GET /staff/evaluation?from&to`: every service compared: use, completion, ratings,
/// mean and share of 4–5, with a chart of the share; each links to its own page.
async fn overview(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Readers>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let (from, to) = match period(&state, &q, lang) {
        Ok(p) => p,
        Err(why) => return Ok(bad_period(&cx, why)),
    };
    let figures = super::gather(&state, from, to).await?;
    let min = min_ratings(&state);
    let q = query(from, to);
    let name = |s: Service| lang.t(s.title()).to_owned();
    let svg = chart::per_service(
        &figures
            .services
            .iter()
            .map(|f| (name(f.service), f.approval.high_permille()))
            .collect::<Vec<_>>(),
        "—",
    );
    let body = html! {
        (period_form("/staff/evaluation", from, to, super::day_at(&state, state.now()), lang))
        h2 { (lang.t(T::Compare)) }
        (compare_table(&figures, lang, min, &q))
        (figure(lang.t(T::High), svg, share_table(&figures, lang), (&format!("/staff/evaluation/ratings.csv?{q}"), T::CsvRatings), lang))
        p { a href=(format!("/staff/evaluation/use.csv?{q}")) download { (lang.t(T::CsvUse)) } }
        p { a href="/api/v1/evaluation" { (lang.t(T::Published)) } }
    };
    Ok(page_with_status(
        StatusCode::OK,
        cx.frame(),
        lang.t(T::Title),
        body,
    ))
}

fn compare_table(figures: &Figures, lang: Lang, min: u32, q: &str) -> Markup {
    html! {
        table.cards data-compare {
            thead { tr {
                th { (lang.t(T::Service)) } th { (lang.t(T::Visits)) } th { (lang.t(T::Started)) }
                th { (lang.t(T::Completed)) } th { (lang.t(T::CompletionRate)) } th { (lang.t(T::Ratings)) }
                th { (lang.t(T::Mean)) } th { (lang.t(T::High)) }
            } }
            tbody { @for f in &figures.services { tr data-service=(f.service.id()) {
                td data-label=(lang.t(T::Service)) { a href=(format!("/staff/evaluation/{}?{q}", f.service.id())) { (lang.t(f.service.title())) } }
                td data-label=(lang.t(T::Visits)) data-visits { (f.total.visits) }
                td data-label=(lang.t(T::Started)) { (f.total.started) }
                td data-label=(lang.t(T::Completed)) data-completed { (f.total.completed) }
                td data-label=(lang.t(T::CompletionRate)) { (opt_percent(f.completion_permille())) }
                td data-label=(lang.t(T::Ratings)) data-ratings { (f.approval.total())
                    @if f.approval.total() < min { " (" (lang.fill(T::TooFew, &[("min", &min.to_string())])) ")" } }
                td data-label=(lang.t(T::Mean)) data-mean { (opt_mean(f.approval.mean_hundredths())) }
                td data-label=(lang.t(T::High)) { (opt_percent(f.approval.high_permille())) }
            } } }
        }
    }
}

fn share_table(figures: &Figures, lang: Lang) -> Markup {
    html! {
        table.cards {
            thead { tr { th { (lang.t(T::Service)) } th { (lang.t(T::High)) } } }
            tbody { @for f in &figures.services { tr {
                td data-label=(lang.t(T::Service)) { (lang.t(f.service.title())) }
                td data-label=(lang.t(T::High)) { (opt_percent(f.approval.high_permille())) }
            } } }
        }
    }
}

fn bad_period(cx: &StaffCx, why: String) -> Response {
    let lang = cx.lang;
    page_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        cx.frame(),
        lang.t(T::Title),
        html! {
            (message(&Some((false, why))))
            p { a href="/staff/evaluation" { (lang.t(T::Compare)) } }
        },
    )
}

/// The service of a path, when this deployment measures it.
fn service_of(state: &AppState, id: &str) -> Result<Service, ApiError> {
    Service::from_id(id)
        .filter(|s| super::services(state).contains(s))
        .ok_or(ApiError::NotFound(StaffText::NfRecord))
}

/// Back to a service's page for the period of `q` (a form's post answered by a
/// redirect, so reloading the page does not post again), at `at` on it (`#comment-12`),
/// so staff land where they acted.
fn back_to(state: &AppState, service: Service, q: &PeriodQuery, lang: Lang, at: &str) -> Response {
    let back = match period(state, q, lang) {
        Ok((from, to)) => format!("/staff/evaluation/{}?{}{at}", service.id(), query(from, to)),
        Err(_) => format!("/staff/evaluation/{}{at}", service.id()),
    };
    Redirect::to(&back).into_response()
}

/// `GET /staff/evaluation/{service}?from&to`: use per day, the scores, approval per
/// week, comments (not for the auditor) and the "你说我改" notes.
async fn service_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff { cx, .. }: Staff<Readers>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let service = service_of(&state, &id)?;
    show_service(&state, &cx, service, &q, None, StatusCode::OK).await
}

async fn show_service(
    state: &AppState,
    cx: &StaffCx,
    service: Service,
    q: &PeriodQuery,
    note: Option<(bool, String)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let (from, to) = match period(state, q, lang) {
        Ok(p) => p,
        Err(why) => return Ok(bad_period(cx, why)),
    };
    let figures = super::gather(state, from, to).await?;
    let Some(f) = figures.services.iter().find(|f| f.service == service) else {
        return Err(ApiError::NotFound(StaffText::NfRecord));
    };
    let title = lang.t(service.title());
    let reads_comments = cx.account.role != Role::Auditor;
    let comments = if reads_comments {
        state.store.evaluation_comments(service, from, to).await?
    } else {
        Vec::new()
    };
    let changes = state.store.evaluation_changes(service, 20).await?;
    let qs = query(from, to);
    let here = format!("/staff/evaluation/{}", service.id());
    let names = [lang.t(T::Visits), lang.t(T::Started), lang.t(T::Completed)];
    let labels = Score::ALL.map(|s| lang.t(s.label()));
    let body = html! {
        p { a href=(format!("/staff/evaluation?{qs}")) { "← " (lang.t(T::Compare)) } }
        (period_form(&here, from, to, super::day_at(state, state.now()), lang))
        (message(&note))
        (figure(&lang.fill(T::UseOverTime, &[("service", title)]), chart::use_per_day(&f.daily, names), use_table(f, lang), (&format!("/staff/evaluation/use.csv?{qs}"), T::CsvUse), lang))
        p.hint { (lang.t(T::TodayLater)) }
        (figure(&lang.fill(T::Distribution, &[("service", title)]), chart::scores(&f.approval, labels), score_table(f, lang), (&format!("/staff/evaluation/ratings.csv?{qs}"), T::CsvRatings), lang))
        p data-approval {
            (lang.t(T::Ratings)) "：" (f.approval.total())
            @if f.from_loop > 0 { "（" (lang.t(T::FromLoop)) " " (f.from_loop) "）" }
            " · " (lang.t(T::Mean)) "：" (opt_mean(f.approval.mean_hundredths()))
            " · " (lang.t(T::High)) "：" (opt_percent(f.approval.high_permille()))
        }
        h2 { (lang.t(T::ApprovalOverTime)) }
        table.cards {
            thead { tr { th { (lang.t(T::Week)) } th { (lang.t(T::Ratings)) } th { (lang.t(T::Mean)) } th { (lang.t(T::High)) } } }
            tbody { @for (week, a) in &f.weekly { tr {
                td data-label=(lang.t(T::Week)) { (week.to_string()) }
                td data-label=(lang.t(T::Ratings)) { (a.total()) }
                td data-label=(lang.t(T::Mean)) { (opt_mean(a.mean_hundredths())) }
                td data-label=(lang.t(T::High)) { (opt_percent(a.high_permille())) }
            } } }
        }
        @if reads_comments {
            h2 { (lang.fill(T::Comments, &[("service", title)])) }
            @if comments.is_empty() { p { (lang.t(T::NoComments)) } }
            ul.comments data-comments { @for c in &comments { li id=(format!("comment-{}", c.id)) data-handled=(c.handled.is_some()) {
                p { strong { (c.score.get()) " · " (lang.t(c.score.label())) } " · " (c.day.to_string()) " · "
                    @match &c.unit { Some(u) => (lang.fill(T::ContactOk, &[("unit", u)])), None => (lang.t(T::Anonymous)) } }
                blockquote { (c.comment) }
                form method="post" action=(format!("{here}/comments/{}?{qs}", c.id)) {
                    (csrf_field(cx))
                    @match &c.handled {
                        Some((at, by)) => {
                            span { (lang.t(T::Handled)) "（" (by) "，" (state.format_time(*at)) "）" } " "
                            input type="hidden" name="handled" value="0";
                            button { (lang.t(T::Reopen)) }
                        }
                        None => {
                            span { (lang.t(T::Open)) } " "
                            input type="hidden" name="handled" value="1";
                            button { (lang.t(T::MarkHandled)) }
                        }
                    }
                }
            } } }
        }
        h2 id="changes" { (lang.t(T::Changes)) }
        @if cx.account.role != Role::Auditor {
            form method="post" action=(format!("{here}/changes?{qs}")) {
                (csrf_field(cx))
                label for="change" { (lang.t(T::ChangeAdd)) }
                p.hint id="change-hint" { (lang.t(T::ChangeHint)) }
                textarea id="change" name="text" rows="3" maxlength=(MAX_CHANGE) required aria-describedby="change-hint" {}
                button { (lang.t(T::ChangeAdd)) }
            }
        }
        @if changes.is_empty() { p { (lang.t(EvalText::NoChanges)) } }
        ul data-changes { @for (id, c) in &changes { li {
            (c.date.to_string()) "：" (c.text)
            @if cx.account.role != Role::Auditor {
                " "
                form.inline method="post" action=(format!("{here}/changes/{id}/withdraw?{qs}")) {
                    (csrf_field(cx))
                    button { (lang.t(T::Withdraw)) }
                }
            }
        } } }
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        &format!("{} · {title}", lang.t(T::Title)),
        body,
    ))
}

fn use_table(f: &ServiceFigures, lang: Lang) -> Markup {
    html! {
        table.cards {
            thead { tr { th { (lang.t(T::Day)) } th { (lang.t(T::Visits)) } th { (lang.t(T::Started)) } th { (lang.t(T::Completed)) } } }
            tbody { @for (day, c) in &f.daily { tr {
                td data-label=(lang.t(T::Day)) { (day.to_string()) }
                td data-label=(lang.t(T::Visits)) { (c.visits) }
                td data-label=(lang.t(T::Started)) { (c.started) }
                td data-label=(lang.t(T::Completed)) { (c.completed) }
            } } }
        }
    }
}

fn score_table(f: &ServiceFigures, lang: Lang) -> Markup {
    html! {
        table.cards {
            thead { tr { th { (lang.t(T::Score)) } th { (lang.t(T::Count)) } } }
            tbody { @for (s, n) in Score::ALL.iter().zip(f.approval.by_score) { tr {
                td data-label=(lang.t(T::Score)) { (s.get()) " · " (lang.t(s.label())) }
                td data-label=(lang.t(T::Count)) { (n) }
            } } }
        }
    }
}

/// `POST /staff/evaluation/{service}/comments/{id}` (`handled=1|0`): marks a comment
/// handled or not, audited.
async fn mark(
    State(state): State<AppState>,
    Path((service, id)): Path<(String, i64)>,
    Query(q): Query<PeriodQuery>,
    Csrf { cx, form, .. }: Csrf<Editors, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let service = service_of(&state, &service)?;
    let handled = field(&form, "handled") == "1";
    if !state
        .store
        .evaluation_mark(service, id, handled, &cx.actor(), state.now())
        .await?
    {
        return Err(ApiError::NotFound(StaffText::NfRecord));
    }
    Ok(back_to(
        &state,
        service,
        &q,
        cx.lang,
        &format!("#comment-{id}"),
    ))
}

/// `POST /staff/evaluation/{service}/changes` (`text`): publishes a "你说我改" note,
/// audited, and goes back to the service's page (303); residents see it on the public
/// page. An empty or too long note is shown again with why (422).
async fn add_change(
    State(state): State<AppState>,
    Path(service): Path<String>,
    Query(q): Query<PeriodQuery>,
    Csrf { cx, form, .. }: Csrf<Editors, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let service = service_of(&state, &service)?;
    let lang = cx.lang;
    let text = field(&form, "text");
    let problem = if text.is_empty() {
        Some(lang.t(T::ChangeEmpty).to_owned())
    } else if text.chars().count() > MAX_CHANGE {
        Some(lang.fill(T::ChangeTooLong, &[("max", &MAX_CHANGE.to_string())]))
    } else {
        None
    };
    if let Some(why) = problem {
        return show_service(
            &state,
            &cx,
            service,
            &q,
            Some((false, why)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let now = state.now();
    state
        .store
        .evaluation_add_change(service, super::day_at(&state, now), text, &cx.actor(), now)
        .await?;
    Ok(back_to(&state, service, &q, lang, "#changes"))
}

/// `POST /staff/evaluation/{service}/changes/{id}/withdraw`: takes a "你说我改" note back
/// (a mistake, an outdated promise), audited; residents no longer see it.
async fn withdraw(
    State(state): State<AppState>,
    Path((service, id)): Path<(String, i64)>,
    Query(q): Query<PeriodQuery>,
    Csrf { cx, .. }: Csrf<Editors, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let service = service_of(&state, &service)?;
    if !state
        .store
        .evaluation_withdraw_change(service, id, &cx.actor(), state.now())
        .await?
    {
        return Err(ApiError::NotFound(StaffText::NfRecord));
    }
    Ok(back_to(&state, service, &q, cx.lang, "#changes"))
}

/// `GET /staff/evaluation/use.csv?from&to`: `day, service, visits, started,
/// completed`, one row per day and service of the period (zeros included).
async fn use_csv(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Readers>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let (from, to) = match period(&state, &q, cx.lang) {
        Ok(p) => p,
        Err(why) => return Ok(bad_period(&cx, why)),
    };
    let figures = super::gather(&state, from, to).await?;
    let rows: Vec<Vec<String>> = figures
        .services
        .iter()
        .flat_map(|f| {
            f.daily.iter().map(move |(day, c)| {
                vec![
                    day.to_string(),
                    f.service.id().to_owned(),
                    c.visits.to_string(),
                    c.started.to_string(),
                    c.completed.to_string(),
                ]
            })
        })
        .collect();
    Ok(csv_response(
        "evaluation-use.csv",
        &["day", "service", "visits", "started", "completed"],
        &rows,
    ))
}

/// `GET /staff/evaluation/ratings.csv?from&to`: `service, score, label, count` over
/// the period (the one-tap ratings and the loops' together), then one `all` row per
/// service with its mean and share of 4–5. No comment or household.
async fn ratings_csv(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Readers>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let (from, to) = match period(&state, &q, lang) {
        Ok(p) => p,
        Err(why) => return Ok(bad_period(&cx, why)),
    };
    let figures = super::gather(&state, from, to).await?;
    let mut rows = Vec::new();
    for f in &figures.services {
        for (s, n) in Score::ALL.iter().zip(f.approval.by_score) {
            rows.push(vec![
                f.service.id().to_owned(),
                s.get().to_string(),
                lang.t(s.label()).to_owned(),
                n.to_string(),
                String::new(),
                String::new(),
            ]);
        }
        rows.push(vec![
            f.service.id().to_owned(),
            "all".to_owned(),
            String::new(),
            f.approval.total().to_string(),
            f.approval
                .mean_hundredths()
                .map(hundredths)
                .unwrap_or_default(),
            f.approval.high_permille().map(percent).unwrap_or_default(),
        ]);
    }
    Ok(csv_response(
        "evaluation-ratings.csv",
        &["service", "score", "label", "count", "mean", "high_percent"],
        &rows,
    ))
}
