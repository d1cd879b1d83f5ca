//! Brand and settings from the console (admins): the sub-district's name, colours
//! (their contrast checked as they are picked, and again by the core rule on saving),
//! hotline, privacy notice, default language, which services are offered and in what
//! order, and the meals settings. Every save is a new numbered version with who, when
//! and a note; a version is previewed at phone size in both modes, published (the
//! residents' apps are offered "立即更新", as after a redeployment), and any earlier
//! one published again to roll back. Saves and publications are in the audit chain.
//!
//! A refusal shows the form again as typed, each problem beside its field, and saves
//! nothing.

mod form;
mod logo;
mod preview;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::{Lang, Scenario, StaffText};
use maud::{html, Markup};
use serde::Deserialize;

use super::accounts::NoFields;
use crate::app::AppState;
use crate::http::extract::{Admins, Csrf, CsrfUpload, Query, Staff, StaffCx};
use crate::http::layout::{csrf_field, page_with_status};
use crate::http::ApiError;
use crate::store::StoreError;
use form::{Problems, Values, MAX_SLOTS, MAX_TIERS};

pub use preview::{preview_elsewhere, preview_file, preview_index, preview_page, ISOLATION};

/// The most versions the history lists (the newest).
const MAX_LISTED: usize = 50;

/// The longest note a version keeps, in characters.
const MAX_NOTE: usize = 200;

/// What the page says after a redirect, and which version the form starts from.
#[derive(Deserialize, Default)]
pub struct Said {
    #[serde(default)]
    saved: Option<i64>,
    #[serde(default)]
    published: Option<i64>,
    /// Start the form from this version (else the one in force).
    #[serde(default)]
    from: Option<i64>,
}

/// A saved version's text, parsed as JSON.
async fn body_of(state: &AppState, version: i64) -> Result<Option<serde_json::Value>, ApiError> {
    let Some(body) = state.store.config_body(version).await? else {
        return Ok(None);
    };
    serde_json::from_str(&body)
        .map(Some)
        .map_err(|e| ApiError::from(StoreError::corrupt("config version", e.to_string())))
}

/// The newest saved version's number, if any.
async fn newest_version(state: &AppState) -> Result<Option<i64>, ApiError> {
    Ok(state
        .store
        .config_versions()
        .await?
        .first()
        .map(|v| v.version))
}

/// The version the form edits: `from` when given, else the one residents have (so a
/// change after a rollback starts from what was rolled back to), else the newest.
async fn form_base(
    state: &AppState,
    from: Option<i64>,
) -> Result<Option<(i64, serde_json::Value)>, ApiError> {
    let chosen = match from {
        Some(v) => Some(v),
        None => match state.store.published_config().await? {
            Some(p) => Some(p.version),
            None => newest_version(state).await?,
        },
    };
    let Some(version) = chosen else {
        return Ok(None);
    };
    match body_of(state, version).await? {
        Some(value) => Ok(Some((version, value))),
        None => Err(ApiError::NotFound(StaffText::NfConfig)),
    }
}

/// The form filled from a version ([`form_base`]), with the hidden fields that say
/// which version it was and the newest one when the page was made.
async fn values_from(state: &AppState, from: Option<i64>) -> Result<Values, ApiError> {
    let base = form_base(state, from).await?;
    let mut values = match &base {
        Some((_, value)) => linli_core::config::parse(&value.to_string())
            .map(|c| form::values_of(&c))
            .unwrap_or_default(),
        None => state
            .deployment()
            .map(|c| form::values_of(&c))
            .unwrap_or_default(),
    };
    if let Some((version, _)) = base {
        values.insert("base_version".into(), version.to_string());
    }
    let newest = newest_version(state).await?.unwrap_or(0);
    values.insert("newest_seen".into(), newest.to_string());
    Ok(values)
}

/// The settings a first save starts from when the database has none.
fn starting_point() -> serde_json::Value {
    crate::cli::starter_config("邻里")
}

/// `GET /staff/settings[?from=N]`.
pub async fn show(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Admins>,
    Query(said): Query<Said>,
) -> Result<Response, ApiError> {
    // Just saved: go on from what was saved (a logo, then the colours, then publish).
    let values = values_from(&state, said.from.or(said.saved)).await?;
    let message = match (said.saved, said.published) {
        (_, Some(v)) => Some(
            cx.lang
                .fill(StaffText::SetPublished, &[("version", &v.to_string())]),
        ),
        (Some(v), None) => Some(
            cx.lang
                .fill(StaffText::SetSaved, &[("version", &v.to_string())]),
        ),
        _ => None,
    };
    render(
        &state,
        &cx,
        &values,
        &Problems::new(),
        message,
        StatusCode::OK,
    )
    .await
}

/// Problems the database sees in a change: a meal slot removed while orders for it
/// are still to be served, a tier removed while elders are in it.
async fn in_use(
    state: &AppState,
    lang: Lang,
    base: &serde_json::Value,
    new: &linli_core::config::ShellConfig,
) -> Result<Vec<String>, ApiError> {
    let Ok(old) = linli_core::config::parse(&base.to_string()) else {
        return Ok(Vec::new());
    };
    let (Some(old), new) = (old.meals, new.meals.as_ref()) else {
        return Ok(Vec::new());
    };
    let today = crate::meals::today(state.now(), old.utc_offset_minutes);
    let mut problems = Vec::new();
    for slot in &old.slots {
        let kept = new.is_some_and(|m| m.slot(&slot.slot.id).is_some());
        if !kept && state.store.slot_in_use(&slot.slot.id, &today).await? {
            problems.push(lang.fill(StaffText::SetSlotInUse, &[("id", &slot.slot.id)]));
        }
    }
    for tier in &old.tiers {
        let kept = new.is_some_and(|m| m.tier(&tier.tier.id).is_some());
        if !kept && state.store.tier_in_use(&tier.tier.id).await? {
            problems.push(lang.fill(StaffText::SetTierInUse, &[("id", &tier.tier.id)]));
        }
    }
    Ok(problems)
}

/// `POST /staff/settings` (multipart: the fields, and `logo_file` when a new logo was
/// chosen; `logo` is the path of the one the form shows):
/// saves the form as a new version (and publishes it when the "save and publish"
/// button was pressed). A refusal shows every problem beside its field with the form
/// as typed (a new logo kept), and saves nothing.
pub async fn save(
    State(state): State<AppState>,
    CsrfUpload { cx, parts, .. }: CsrfUpload<Admins>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let mut values = Values::new();
    let mut logo_file = None;
    for part in parts {
        if part.name == "logo_file" {
            logo_file = Some(part.bytes);
        } else {
            values.insert(part.name, String::from_utf8_lossy(&part.bytes).into_owned());
        }
    }
    let mut problems = Problems::new();
    if let Some(file) = logo_file.filter(|f| !f.is_empty()) {
        match keep_logo(&state, &file).await? {
            Ok(path) => {
                values.insert("logo".into(), path);
            }
            Err(e) => {
                problems.insert("logo".into(), vec![e.text(lang)]);
            }
        }
    }
    let publish = values.remove("action").as_deref() == Some("publish");
    let note = values.remove("note").unwrap_or_default();
    let number = |k: &str| values.get(k).and_then(|v| v.parse::<i64>().ok());
    let (from, seen) = (number("base_version"), number("newest_seen"));
    let base = match from {
        Some(v) => body_of(&state, v)
            .await?
            .ok_or(ApiError::NotFound(StaffText::NfConfig))?,
        None => starting_point(),
    };
    // The logo stays the version's, or is one drawn here (a new one, kept on a refusal).
    let logo = values.get("logo").cloned().unwrap_or_default();
    let ours = crate::app::site::icon_for(&logo, "192").is_some()
        && state.store.asset(&logo).await?.is_some();
    if !ours && base.get("logo").and_then(serde_json::Value::as_str) != Some(logo.as_str()) {
        values.remove("logo");
    }
    let available: Vec<linli_core::Scenario> = state.scenarios.iter().map(|s| s.id()).collect();
    let built = form::build(&base, &values, &available, lang);
    let note = note.trim().replace(['\r', '\n'], " ");
    if let Err(p) = &built {
        for (field, list) in p {
            problems
                .entry(field.clone())
                .or_default()
                .extend(list.iter().cloned());
        }
    }
    // Someone saved since this page was made: saving now would drop their change.
    let versions = state.store.config_versions().await?;
    if let Some(newest) = versions.first() {
        if seen != Some(newest.version) {
            problems.entry(String::new()).or_default().push(lang.fill(
                StaffText::SetStale,
                &[
                    ("actor", &newest.actor),
                    ("version", &newest.version.to_string()),
                ],
            ));
        }
    }
    if let Ok((config, _)) = &built {
        for p in in_use(&state, lang, &base, config).await? {
            problems.entry(String::new()).or_default().push(p);
        }
    }
    let note_label = lang.t(StaffText::SetNote);
    if note.is_empty() {
        problems
            .entry("note".into())
            .or_default()
            .push(lang.fill(StaffText::NtcRequired, &[("field", note_label)]));
    } else if note.chars().count() > MAX_NOTE {
        problems.entry("note".into()).or_default().push(lang.fill(
            StaffText::NtcTooLong,
            &[("field", note_label), ("max", &MAX_NOTE.to_string())],
        ));
    }
    let (_, text) = match built {
        Ok(done) if problems.is_empty() => done,
        _ => {
            values.insert("note".into(), note);
            return refused(&state, &cx, &values, &problems).await;
        }
    };
    let now = state.now();
    let version = state
        .store
        .save_config(&text, &note, &cx.actor(), now)
        .await?;
    if publish {
        return publish_version(&state, &cx, version).await;
    }
    Ok(Redirect::to(&format!("/staff/settings?saved={version}")).into_response())
}

/// Publishes `version` and puts it in force here. Its files are made first: a version
/// that cannot be served (a rule made stricter since it was saved) is refused with the
/// reason, and nothing is published.
async fn publish_version(
    state: &AppState,
    cx: &StaffCx,
    version: i64,
) -> Result<Response, ApiError> {
    let made = match state.site.make(&state.store, version).await {
        Ok(made) => made,
        Err(crate::app::SiteError::Store(StoreError::NotFound(_))) => {
            return Err(ApiError::NotFound(StaffText::NfConfig))
        }
        Err(e) => {
            crate::log::event("config_make_failed", &[("error", &e.to_string())]);
            let message = cx
                .lang
                .fill(StaffText::SetLoadFailed, &[("problem", &e.to_string())]);
            let values = values_from(state, None).await?;
            return render(
                state,
                cx,
                &values,
                &Problems::new(),
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .store
        .publish_config(version, &cx.actor(), state.now())
        .await
    {
        Ok(()) => {}
        Err(StoreError::NotFound(_)) => return Err(ApiError::NotFound(StaffText::NfConfig)),
        Err(e) => return Err(e.into()),
    }
    state.site.install(made);
    Ok(Redirect::to(&format!("/staff/settings?published={version}")).into_response())
}

/// `POST /staff/settings/{version}/publish`: publishes a saved version; an earlier
/// one is a rollback (audited as such).
pub async fn publish(
    State(state): State<AppState>,
    Path(version): Path<i64>,
    Csrf { cx, .. }: Csrf<Admins, NoFields>,
) -> Result<Response, ApiError> {
    publish_version(&state, &cx, version).await
}

/// Draws a logo and its icons from an upload and keeps them; answers the logo's path
/// (`brand/logo-<hash>.png`), or why the upload was refused.
async fn keep_logo(
    state: &AppState,
    file: &[u8],
) -> Result<Result<String, crate::picture::PictureError>, ApiError> {
    let prepared = match logo::prepare(file) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    use sha2::{Digest, Sha256};
    let hash = crate::audit::hex(&Sha256::digest(&prepared.logo)[..6]);
    let now = state.now();
    let path = format!("brand/logo-{hash}.png");
    state
        .store
        .put_asset(&path, "image/png", &prepared.logo, now)
        .await?;
    for (size, bytes) in [("192", &prepared.icon_192), ("512", &prepared.icon_512)] {
        let icon = crate::app::site::icon_for(&path, size).unwrap_or_default();
        state
            .store
            .put_asset(&icon, "image/png", bytes, now)
            .await?;
    }
    Ok(Ok(path))
}

/// The page again after a refusal: the form as sent, each problem beside its field,
/// how many there are at the top; nothing was saved.
async fn refused(
    state: &AppState,
    cx: &StaffCx,
    values: &Values,
    problems: &Problems,
) -> Result<Response, ApiError> {
    let count = problems.values().map(Vec::len).sum::<usize>().to_string();
    let message = cx.lang.fill(StaffText::SetFix, &[("count", &count)]);
    render(
        state,
        cx,
        values,
        problems,
        Some(message),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A one-button form that asks before it posts (the console's script shows `confirm`
/// with the button's `data-confirm`): publishing reaches every resident at once.
fn confirmed_post(cx: &StaffCx, action: &str, label: &str, question: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (csrf_field(cx))
            button data-confirm=(question) { (label) }
        }
    }
}

fn field_problems(problems: &Problems, field: &str) -> Markup {
    html! {
        @if let Some(list) = problems.get(field) {
            @for p in list { span.field-error id=(format!("{field}-error")) { (p) } }
        }
    }
}

/// A labelled text input with its problems under it.
fn input(
    values: &Values,
    problems: &Problems,
    name: &str,
    label: &str,
    kind: &str,
    max: usize,
) -> Markup {
    let value = values.get(name).map_or("", String::as_str);
    let bad = problems.contains_key(name);
    html! {
        p {
            label {
                (label) br;
                input name=(name) type=(kind) value=(value) maxlength=(max)
                    aria-invalid=[bad.then_some("true")]
                    aria-describedby=[bad.then(|| format!("{name}-error"))];
            }
            (field_problems(problems, name))
        }
    }
}

fn textarea(values: &Values, problems: &Problems, name: &str, label: &str) -> Markup {
    let value = values.get(name).map_or("", String::as_str);
    let bad = problems.contains_key(name);
    html! {
        p {
            label {
                (label) br;
                textarea name=(name) rows="5" maxlength="20000"
                    aria-invalid=[bad.then_some("true")]
                    aria-describedby=[bad.then(|| format!("{name}-error"))] { (value) }
            }
            (field_problems(problems, name))
        }
    }
}

/// A cell of a list row: the input, labelled for screen readers by its column.
fn cell(values: &Values, problems: &Problems, name: &str, label: &str, kind: &str) -> Markup {
    let value = values.get(name).map_or("", String::as_str);
    let bad = problems.contains_key(name);
    html! {
        td data-label=(label) {
            input name=(name) type=(kind) value=(value) aria-label=(label) maxlength="40"
                aria-invalid=[bad.then_some("true")]
                aria-describedby=[bad.then(|| format!("{name}-error"))];
            (field_problems(problems, name))
        }
    }
}

async fn render(
    state: &AppState,
    cx: &StaffCx,
    values: &Values,
    problems: &Problems,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let t = |k: StaffText| lang.t(k);
    let versions = state.store.config_versions().await?;
    let published = state.store.published_config().await?;
    let in_force = published.as_ref().map(|p| p.version);
    let bad = status != StatusCode::OK;
    // The logo as the version edited has it (not published yet, perhaps).
    let base_version = values.get("base_version").cloned();
    let logo_src = match (&base_version, values.get("logo")) {
        // A logo drawn here is served from its asset under any version's preview.
        (Some(v), Some(logo)) => Some(format!("/staff/preview/{v}/{logo}")),
        _ => None,
    };
    let available: Vec<Scenario> = state.scenarios.iter().map(|s| s.id()).collect();
    let body = html! {
        @if let Some(m) = &message {
            @if bad { p.error role="alert" { (m) } } @else { p.ok role="status" { (m) } }
        }
        @match &published {
            Some(p) => p { (lang.fill(StaffText::SetInForce, &[("version", &p.version.to_string()), ("at", &state.format_time(p.at))])) }
            None => p.muted { (t(StaffText::SetNothingPublished)) }
        }
        @if let Some(general) = problems.get("") {
            ul.error { @for p in general { li { (p) } } }
        }
        form.stack method="post" action="/staff/settings" enctype="multipart/form-data" {
            (csrf_field(cx))
            @if let Some(v) = &base_version {
                p.muted { (lang.fill(StaffText::SetEditing, &[("version", v)])) }
                input type="hidden" name="base_version" value=(v);
            }
            input type="hidden" name="newest_seen" value=(values.get("newest_seen").map_or("0", String::as_str));
            h2 { (t(StaffText::SetBrand)) }
            p {
                label {
                    (t(StaffText::SetLogo)) br;
                    @if let Some(src) = &logo_src { img.logo-preview src=(src) alt=(t(StaffText::SetLogo)); br; }
                    input type="file" name="logo_file" accept="image/png,image/webp,image/svg+xml,image/jpeg"
                        aria-describedby="logo-hint"
                        aria-invalid=[problems.contains_key("logo").then_some("true")];
                }
                @if let Some(logo) = values.get("logo") { input type="hidden" name="logo" value=(logo); }
                span.muted.field-hint id="logo-hint" { (t(StaffText::SetLogoHint)) }
                (field_problems(problems, "logo"))
            }
            (input(values, problems, "name_zh", t(StaffText::SetNameZh), "text", 40))
            (input(values, problems, "name_en", t(StaffText::SetNameEn), "text", 40))
            div.colours data-contrast
                data-ok=(t(StaffText::SetContrastOk)) data-low=(t(StaffText::SetContrastLow)) {
                (input(values, problems, "primary", t(StaffText::SetPrimary), "color", 20))
                (input(values, problems, "on_primary", t(StaffText::SetOnPrimary), "color", 20))
                p data-contrast-out role="status" aria-live="polite" {}
            }
            (input(values, problems, "hotline", t(StaffText::SetHotline), "tel", 30))
            (textarea(values, problems, "privacy_zh", t(StaffText::SetPrivacyZh)))
            (textarea(values, problems, "privacy_en", t(StaffText::SetPrivacyEn)))
            p {
                label {
                    (t(StaffText::SetLanguage)) br;
                    select name="default_language" {
                        @for l in [Lang::ZhCn, Lang::En] {
                            option value=(l.code()) selected[values.get("default_language").map(String::as_str) == Some(l.code())] { (l.endonym()) }
                        }
                    }
                }
                (field_problems(problems, "default_language"))
            }
            h2 { (t(StaffText::SetScenarios)) }
            (field_problems(problems, "scenarios"))
            table.cards {
                tbody {
                    @for s in Scenario::ALL {
                        @let on = format!("on_{}", s.id());
                        @let order = format!("order_{}", s.id());
                        @let here = available.contains(&s);
                        @let ticked = values.contains_key(&on);
                        tr {
                            td {
                                label {
                                    input type="checkbox" name=(on) value="on" checked[ticked] disabled[!here];
                                    " " (t(StaffText::SetScenarioOn)) " " (lang.t(s.title()))
                                }
                                @if !here {
                                    // Kept as it is: this build cannot offer it yet.
                                    @if ticked { input type="hidden" name=(on) value="on"; }
                                    span.muted.field-hint { (t(StaffText::SetScenarioMissing)) }
                                }
                            }
                            (cell(values, problems, &order, t(StaffText::SetOrder), "number"))
                        }
                    }
                }
            }
            h2 { (t(StaffText::SetMeals)) }
            (input(values, problems, "days_ahead", t(StaffText::SetDaysAhead), "number", 2))
            h3 { (t(StaffText::SetSlots)) }
            table.cards {
                thead { tr {
                    th { (t(StaffText::SetRowId)) } th { (t(StaffText::SetRowZh)) } th { (t(StaffText::SetRowEn)) }
                    th { (t(StaffText::SetCutoff)) } th { (t(StaffText::SetDaysBefore)) }
                } }
                tbody {
                    @for i in 0..form::rows(values, "slot", MAX_SLOTS) {
                        tr {
                            (cell(values, problems, &format!("slot_{i}_id"), t(StaffText::SetRowId), "text"))
                            (cell(values, problems, &format!("slot_{i}_zh"), t(StaffText::SetRowZh), "text"))
                            (cell(values, problems, &format!("slot_{i}_en"), t(StaffText::SetRowEn), "text"))
                            (cell(values, problems, &format!("slot_{i}_cutoff"), t(StaffText::SetCutoff), "time"))
                            (cell(values, problems, &format!("slot_{i}_days_before"), t(StaffText::SetDaysBefore), "number"))
                        }
                    }
                }
            }
            h3 { (t(StaffText::SetTiers)) }
            table.cards {
                thead { tr {
                    th { (t(StaffText::SetRowId)) } th { (t(StaffText::SetRowZh)) } th { (t(StaffText::SetRowEn)) }
                    th { (t(StaffText::SetSubsidyKind)) } th { (t(StaffText::SetAmount)) }
                } }
                tbody {
                    @for i in 0..form::rows(values, "tier", MAX_TIERS) {
                        @let kind = format!("tier_{i}_kind");
                        @let percent = values.get(&kind).map(String::as_str) == Some("percent");
                        tr {
                            (cell(values, problems, &format!("tier_{i}_id"), t(StaffText::SetRowId), "text"))
                            (cell(values, problems, &format!("tier_{i}_zh"), t(StaffText::SetRowZh), "text"))
                            (cell(values, problems, &format!("tier_{i}_en"), t(StaffText::SetRowEn), "text"))
                            td data-label=(t(StaffText::SetSubsidyKind)) {
                                select name=(kind) aria-label=(t(StaffText::SetSubsidyKind)) {
                                    option value="fixed" selected[!percent] { (t(StaffText::SetFixed)) }
                                    option value="percent" selected[percent] { (t(StaffText::SetPercent)) }
                                }
                            }
                            (cell(values, problems, &format!("tier_{i}_amount"), t(StaffText::SetAmount), "text"))
                        }
                    }
                }
            }
            (input(values, problems, "note", t(StaffText::SetNote), "text", MAX_NOTE))
            // Publishing reaches every resident: say what it does where it is done.
            p.muted { (t(StaffText::SetPublishHint)) }
            p.buttons {
                button name="action" value="save" { (t(StaffText::SetSave)) }
                button name="action" value="publish" data-confirm=(t(StaffText::SetConfirmSavePublish)) { (t(StaffText::SetSavePublish)) }
            }
        }
        h2 { (t(StaffText::SetVersions)) }
        table.cards {
            thead { tr {
                th { (t(StaffText::SetColVersion)) } th { (t(StaffText::SetColBy)) }
                th { (t(StaffText::SetColAt)) } th { (t(StaffText::SetColNote)) } th {}
            } }
            tbody {
                @for v in versions.iter().take(MAX_LISTED) {
                    tr data-version=(v.version) {
                        td data-label=(t(StaffText::SetColVersion)) {
                            (v.version)
                            @if in_force == Some(v.version) { " · " strong { (t(StaffText::SetCurrent)) } }
                        }
                        td data-label=(t(StaffText::SetColBy)) { (v.actor) }
                        td data-label=(t(StaffText::SetColAt)) { (state.format_time(v.at)) }
                        td data-label=(t(StaffText::SetColNote)) { (v.note) }
                        td {
                            a href=(format!("/staff/settings/{}/preview", v.version)) { (t(StaffText::SetPreview)) }
                            " · "
                            a href=(format!("/staff/settings?from={}", v.version)) { (t(StaffText::SetEdit)) }
                            @if in_force != Some(v.version) {
                                @let label = if in_force.is_some_and(|c| v.version < c) { StaffText::SetRollback } else { StaffText::SetPublish };
                                (confirmed_post(cx, &format!("/staff/settings/{}/publish", v.version), t(label), &lang.fill(StaffText::SetConfirmPublish, &[("version", &v.version.to_string())])))
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        t(StaffText::SetNav),
        body,
    ))
}
