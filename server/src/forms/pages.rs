//! The organisation's pages of forms: the list (new, import an XLSForm), one form (its
//! problems located, its fields, publish, close, duplicate, JSON down and up), and its
//! answers (counts per question with a chart for each choice question, the CSV
//! exports, a respondent's answer deleted on request).
//!
//! A social organisation sees and changes only the forms it made; sub-district staff
//! and admins see every form.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use linli_core::forms::answers::Answers;
use linli_core::forms::export::{tables, Submitted};
use linli_core::forms::expr::is_field_name;
use linli_core::forms::form::{Field, Form, Text, Type};
use linli_core::forms::xlsform::{import, ImportError, MAX_ID};
use linli_core::forms::FormStaffText as T;
use linli_core::json;
use linli_core::{Lang, Role, StaffText};
use maud::{html, Markup, PreEscaped};

use super::import::{read_csv, read_xlsx, FileError};
use super::store::{AddError, FormRow, Saved, State as FormState};
use crate::app::{AppState, NavEntry};
use crate::http::export::csv_response;
use crate::http::extract::{part_text, Csrf, CsrfUpload, Roles, Staff, StaffCx};
use crate::http::layout::{
    csrf_field, form_field as field, message, page_with_status, post_button,
};
use crate::http::ApiError;

/// Who makes forms and reads their answers: social organisations (their own), staff
/// and admins (all).
pub struct Makers;
impl Roles for Makers {
    const ALLOWED: &'static [Role] = MAKERS;
}
const MAKERS: &[Role] = &[Role::Admin, Role::Staff, Role::Organisation];

pub(super) fn nav() -> NavEntry {
    NavEntry {
        path: "/staff/forms",
        label: StaffText::FormsNav,
        roles: MAKERS,
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/forms", get(list).post(create))
        .route("/staff/forms/import", post(import_file))
        .route("/staff/forms/{id}", get(one))
        .route("/staff/forms/{id}/form.json", get(download))
        .route("/staff/forms/{id}/json", post(save_json))
        .route("/staff/forms/{id}/build", get(build))
        .route("/staff/forms/{id}/draft.json", get(draft_json))
        .route("/staff/forms/{id}/draft", post(save_draft))
        .route("/staff/forms/{id}/publish", post(publish))
        .route("/staff/forms/{id}/close", post(close))
        .route("/staff/forms/{id}/reopen", post(reopen))
        .route("/staff/forms/{id}/duplicate", post(duplicate))
        .route("/staff/forms/{id}/answers", get(answers))
        .route("/staff/forms/{id}/answers.csv", get(answers_csv))
        .route("/staff/forms/{id}/repeats/{file}", get(repeat_csv))
        .route(
            "/staff/forms/{id}/answers/{submission}/delete",
            post(delete_answer),
        )
}

/// Whether `cx` may see `form`: its maker, or staff and admins.
fn may_see(cx: &StaffCx, form: &FormRow) -> bool {
    cx.account.role != Role::Organisation || form.created_by == cx.account.username
}

/// The form `id` if it exists and `cx` may see it (otherwise 404: an organisation is
/// not told which other forms exist).
async fn form_of(state: &AppState, cx: &StaffCx, id: i64) -> Result<FormRow, ApiError> {
    match state.store.forms_get(id).await? {
        Some(f) if may_see(cx, &f) => Ok(f),
        _ => Err(ApiError::NotFound(StaffText::NfForm)),
    }
}

fn offered(state: &AppState) -> Result<(), ApiError> {
    if super::offered(state.deployment().as_deref()) {
        Ok(())
    } else {
        Err(ApiError::NotFound(StaffText::NfForms))
    }
}

fn state_name(s: FormState) -> T {
    match s {
        FormState::Draft => T::StateDraft,
        FormState::Open => T::StateOpen,
        FormState::Closed => T::StateClosed,
    }
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// `GET /staff/forms`: every form this member may see, newest change first, with the
/// forms to start one and to import an XLSForm.
async fn list(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    show_list(&state, &cx, None, &[], StatusCode::OK).await
}

async fn show_list(
    state: &AppState,
    cx: &StaffCx,
    note: Option<(bool, String)>,
    import_errors: &[ImportError],
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let forms: Vec<FormRow> = state
        .store
        .forms_list()
        .await?
        .into_iter()
        .filter(|f| may_see(cx, f))
        .collect();
    let offset = state.utc_offset_minutes();
    let body = html! {
        p { (lang.t(T::Intro)) }
        (message(&note))
        @if !import_errors.is_empty() {
            table {
                thead { tr { th { (lang.t(T::ColSheet)) } th { (lang.t(T::ColRow)) } th { (lang.t(T::ColColumn)) } th { (lang.t(T::ColProblem)) } } }
                tbody {
                    @for e in import_errors {
                        tr { td { (e.sheet) } td { (e.row) } td { (e.column) } td { (e.problem.message(lang)) } }
                    }
                }
            }
        }
        @if forms.is_empty() {
            p { (lang.t(T::None)) }
        } @else {
            table {
                thead { tr { th { (lang.t(T::ColTitle)) } th { (lang.t(T::ColState)) } th { (lang.t(T::ColVersion)) } th { (lang.t(T::ColAnswers)) } th { (lang.t(T::ColUpdated)) } } }
                tbody {
                    @for f in &forms {
                        tr {
                            td { a href=(format!("/staff/forms/{}", f.id)) { (f.draft.title.get(lang)) } }
                            td { (lang.t(state_name(f.state))) }
                            td { (f.published) }
                            td { a href=(format!("/staff/forms/{}/answers", f.id)) { (f.answers) } }
                            td { (linli_core::date::format_timestamp(f.updated_at, offset)) }
                        }
                    }
                }
            }
        }
        h2 { (lang.t(T::New)) }
        form method="post" action="/staff/forms" {
            (csrf_field(cx))
            label { (lang.t(T::NewTitle)) input name="title" required maxlength="200"; }
            label { (lang.t(T::NewId)) input name="id" required maxlength="64" pattern="[A-Za-z_][A-Za-z0-9_]*"; }
            button { (lang.t(T::Create)) }
        }
        h2 { (lang.t(T::Import)) }
        p { (lang.t(T::ImportHint)) }
        form method="post" action="/staff/forms/import" enctype="multipart/form-data" {
            (csrf_field(cx))
            label { (lang.t(T::ImportFile)) input type="file" name="xlsx" accept=".xlsx"; }
            label { (lang.t(T::ImportSurvey)) input type="file" name="survey" accept=".csv"; }
            label { (lang.t(T::ImportChoices)) input type="file" name="choices" accept=".csv"; }
            label { (lang.t(T::ImportSettings)) input type="file" name="settings" accept=".csv"; }
            button { (lang.t(T::ImportButton)) }
        }
    };
    Ok(page_with_status(status, cx.frame(), lang.t(T::Title), body))
}

/// `POST /staff/forms {title, id}`: a new draft with one question to start from.
async fn create(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Makers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let lang = cx.lang;
    let (title, id) = (field(&form, "title"), field(&form, "id"));
    let refuse = |why: String| (false, why);
    let problem = if title.is_empty() || title.chars().count() > 200 {
        Some(refuse(lang.t(T::NeedTitle).to_owned()))
    } else if !is_field_name(id) || id.chars().count() > MAX_ID {
        Some(refuse(lang.t(T::BadId).to_owned()))
    } else {
        None
    };
    if problem.is_some() {
        return show_list(&state, &cx, problem, &[], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let new = Form {
        id: id.to_owned(),
        version: "0".into(),
        title: Text::zh(title),
        description: None,
        fields: vec![Field::new("q1", Type::Text, "第一题")],
    };
    add(&state, &cx, &new).await
}

/// Adds `form` as a draft and goes to it, or says the id is taken (or, should the
/// definition not read back as stored, what is wrong with it).
async fn add(state: &AppState, cx: &StaffCx, form: &Form) -> Result<Response, ApiError> {
    if let Err(e) = Form::from_value(&form.to_value()) {
        let why = cx.lang.fill(T::JsonBad, &[("why", &e.to_string())]);
        return show_list(
            state,
            cx,
            Some((false, why)),
            &[],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .store
        .forms_add(form, &cx.actor(), state.now())
        .await?
    {
        Ok(id) => Ok(see_other(&format!("/staff/forms/{id}"))),
        Err(AddError::Taken) => {
            let why = cx.lang.fill(T::Taken, &[("id", &form.id)]);
            show_list(state, cx, Some((false, why)), &[], StatusCode::CONFLICT).await
        }
    }
}

/// `POST /staff/forms/import` (multipart: `xlsx`, or `survey` / `choices` /
/// `settings` as CSV): an XLSForm as a new draft, or every problem located.
async fn import_file(
    State(state): State<AppState>,
    CsrfUpload { cx, parts, .. }: CsrfUpload<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let lang = cx.lang;
    let given = |name: &str| parts.iter().find(|p| p.name == name && !p.bytes.is_empty());
    let sheets = if let Some(book) = given("xlsx") {
        read_xlsx(&book.bytes)
    } else if given("survey").is_some() {
        ["survey", "choices", "settings"]
            .into_iter()
            .filter_map(|n| given(n).map(|p| read_csv(n, &p.bytes)))
            .collect()
    } else {
        let why = lang.t(T::ImportNoFile).to_owned();
        return show_list(
            &state,
            &cx,
            Some((false, why)),
            &[],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let sheets = match sheets {
        Ok(s) => s,
        Err(e) => {
            let why = match e {
                FileError::TooLarge | FileError::TooBig(_) => lang.t(T::ImportTooBig).to_owned(),
                FileError::Unreadable(why) => lang.fill(T::ImportUnreadable, &[("why", &why)]),
            };
            return show_list(
                &state,
                &cx,
                Some((false, why)),
                &[],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let fallback_id = format!("form_{}", state.now());
    match import(&sheets, lang.t(T::Title), &fallback_id) {
        Ok(form) => add(&state, &cx, &form).await,
        Err(errors) => {
            let why = lang.t(T::ImportFailed).to_owned();
            show_list(
                &state,
                &cx,
                Some((false, why)),
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /staff/forms/{id}`: the form's problems at their places, its fields, and what
/// can be done with it.
async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let form = form_of(&state, &cx, id).await?;
    show_one(&cx, &form, None, None, StatusCode::OK)
}

fn show_one(
    cx: &StaffCx,
    row: &FormRow,
    note: Option<(bool, String)>,
    json_text: Option<&str>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let form = &row.draft;
    let problems = super::problems(form);
    let base = format!("/staff/forms/{}", row.id);
    let json_now = json::to_string(&form.to_value());
    let body = html! {
        (message(&note))
        p { (lang.t(T::ColState)) "：" (lang.t(state_name(row.state))) " · " (lang.t(T::ColVersion)) "：" (row.published) }
        h2 { (lang.t(T::Problems)) }
        @if problems.is_empty() {
            p.ok role="status" { (lang.t(T::NoProblems)) }
        } @else {
            table {
                thead { tr { th { (lang.t(T::ColField)) } th { (lang.t(T::ColColumn)) } th { (lang.t(T::ColProblem)) } } }
                tbody {
                    @for p in &problems {
                        tr { td { code { (p.path) } } td { (p.column.id()) } td { (p.problem.message(lang)) } }
                    }
                }
            }
        }
        table {
            thead { tr { th { (lang.t(T::ColField)) } th { (lang.t(T::ColType)) } th { (lang.t(T::ColRequired)) } th { (lang.t(T::ColShownWhen)) } } }
            tbody {
                @for (path, f) in form.all_fields() {
                    tr {
                        td { (f.label.get(lang)) br; code { (path) } }
                        td { (lang.t(f.kind.name())) }
                        td { @if f.required { (lang.t(T::Yes)) } }
                        td { @if let Some(r) = &f.relevant { code { (r) } } }
                    }
                }
            }
        }
        p { a.button href=(format!("{base}/build")) data-act="design" { (lang.t(T::Design)) } }
        div.actions {
            @if problems.is_empty() {
                (post_button(cx, &format!("{base}/publish"), lang.t(T::Publish), "primary"))
            }
            @match row.state {
                FormState::Open => (post_button(cx, &format!("{base}/close"), lang.t(T::Close), "")),
                FormState::Closed => (post_button(cx, &format!("{base}/reopen"), lang.t(T::Reopen), "")),
                FormState::Draft => {},
            }
            (post_button(cx, &format!("{base}/duplicate"), lang.t(T::Duplicate), ""))
            a href=(format!("{base}/form.json")) download { (lang.t(T::DownloadJson)) }
            " · "
            a href=(format!("{base}/answers")) { (lang.t(T::Answers)) }
        }
        h2 { (lang.t(T::UploadJson)) }
        form method="post" action=(format!("{base}/json")) enctype="multipart/form-data" {
            (csrf_field(cx))
            label { (lang.t(T::JsonField)) textarea name="json" rows="12" spellcheck="false" { (json_text.unwrap_or(&json_now)) } }
            button { (lang.t(T::JsonSave)) }
        }
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        form.title.get(lang),
        body,
    ))
}

/// `GET /staff/forms/{id}/form.json`: the draft's definition.
async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let text = json::to_string(&row.draft.to_value());
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.json\"", row.key),
            ),
        ],
        text,
    )
        .into_response())
}

/// `POST /staff/forms/{id}/json` (multipart: `json`): replaces the draft with an
/// uploaded definition; a JSON that does not read is shown back with where it is
/// wrong.
async fn save_json(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfUpload { cx, parts, .. }: CsrfUpload<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let lang = cx.lang;
    let text = part_text(&parts, "json");
    match read_definition(lang, &text) {
        Err(note) => show_one(
            &cx,
            &row,
            Some((false, note)),
            Some(&text),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Ok(new) => {
            state
                .store
                .forms_save(id, &new, None, &cx.actor(), state.now())
                .await?;
            let row = form_of(&state, &cx, id).await?;
            show_one(
                &cx,
                &row,
                Some((true, lang.t(T::Saved).to_owned())),
                None,
                StatusCode::OK,
            )
        }
    }
}

/// The most bytes of a definition's JSON saved at once (a form of [`MAX_FIELDS`]
/// questions with long labels in two languages fits).
///
/// [`MAX_FIELDS`]: linli_core::forms::form::MAX_FIELDS
pub const MAX_DEFINITION_BYTES: usize = 1024 * 1024;

/// A definition read from its JSON text, or what is wrong with it in `lang`.
fn read_definition(lang: Lang, text: &str) -> Result<Form, String> {
    if text.len() > MAX_DEFINITION_BYTES {
        return Err(lang.t(T::DefinitionTooBig).to_owned());
    }
    json::from_str(text)
        .map_err(|e| e.to_string())
        .and_then(|v| Form::from_value(&v).map_err(|e| e.to_string()))
        .map_err(|why| lang.fill(T::JsonBad, &[("why", &why)]))
}

/// `GET /staff/forms/{id}/build`: the designer (`builder/` of the workspace, built
/// into the deployment's `builder/` folder by `cargo xtask build`), for members who
/// may change the form. Its policy allows its own files, its one inline start-up
/// script by hash and WASM; it talks only to this server.
async fn build(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let page = state.site.build().and_then(|dir| {
        std::fs::read_to_string(dir.join(linli_site::DESIGNER_DIR).join("index.html")).ok()
    });
    let Some(page) = page else {
        let note = Some((false, cx.lang.t(T::BuilderMissing).to_owned()));
        return show_one(&cx, &row, note, None, StatusCode::SERVICE_UNAVAILABLE);
    };
    let hashes: Vec<String> = linli_site::csp::inline_scripts(&page)
        .into_iter()
        .map(linli_site::csp::hash_source)
        .collect();
    let policy = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
         base-uri 'none'",
        hashes.join(" ")
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/html; charset=utf-8".to_owned(),
            ),
            (axum::http::header::CONTENT_SECURITY_POLICY, policy),
        ],
        page,
    )
        .into_response())
}

/// `GET /staff/forms/{id}/draft.json` → `{id, form, state, published, updated_at,
/// csrf, lang, today}`: what the designer starts from — the draft's definition, its
/// time of change (ms) to send back with a save, the session's CSRF token, the
/// member's language and today in the deployment (`YYYY-MM-DD`).
async fn draft_json(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let today = linli_core::date::date_at(state.now(), state.utc_offset_minutes())
        .map(|d| d.to_string())
        .unwrap_or_default();
    let state_id = match row.state {
        FormState::Draft => "draft",
        FormState::Open => "open",
        FormState::Closed => "closed",
    };
    let value = json::Value::object(vec![
        ("id", json::Value::Number(row.id as f64)),
        ("form", row.draft.to_value()),
        ("state", json::Value::String(state_id.into())),
        ("published", json::Value::Number(row.published as f64)),
        ("updated_at", json::Value::Number(row.updated_at as f64)),
        ("csrf", json::Value::String(cx.csrf.clone())),
        ("lang", json::Value::String(cx.lang.code().into())),
        ("today", json::Value::String(today)),
    ]);
    Ok(crate::http::json_response(StatusCode::OK, &value))
}

/// `POST /staff/forms/{id}/draft` (multipart: `json`, `updated_at`) → 200
/// `{updated_at}`; 409 `{error}` when the draft changed since `updated_at` (nothing is
/// stored); 422 `{error}` for a JSON that is not a definition. The errors are in the
/// member's language.
async fn save_draft(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfUpload { cx, parts, .. }: CsrfUpload<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    form_of(&state, &cx, id).await?;
    let lang = cx.lang;
    let refuse = |status: StatusCode, why: String| {
        crate::http::json_response(
            status,
            &json::Value::object(vec![("error", json::Value::String(why))]),
        )
    };
    let new = match read_definition(lang, &part_text(&parts, "json")) {
        Ok(f) => f,
        Err(why) => return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, why)),
    };
    // Never saved blind: a save says which draft it replaces.
    let Ok(since) = part_text(&parts, "updated_at").trim().parse::<i64>() else {
        return Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t(T::MissingSince).to_owned(),
        ));
    };
    match state
        .store
        .forms_save(id, &new, Some(since), &cx.actor(), state.now())
        .await?
    {
        Saved::At(at) => Ok(crate::http::json_response(
            StatusCode::OK,
            &json::Value::object(vec![("updated_at", json::Value::Number(at as f64))]),
        )),
        Saved::Changed => Ok(refuse(
            StatusCode::CONFLICT,
            lang.t(T::ChangedElsewhere).to_owned(),
        )),
        Saved::Missing => Err(ApiError::NotFound(StaffText::NfForm)),
    }
}

/// `POST /staff/forms/{id}/publish`: the draft as the next version, refused while
/// the definition has problems.
async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, .. }: Csrf<Makers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let lang = cx.lang;
    if !super::problems(&row.draft).is_empty() {
        let note = Some((false, lang.t(T::CannotPublish).to_owned()));
        return show_one(&cx, &row, note, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let version = state
        .store
        .forms_publish(id, &row.draft, &cx.actor(), state.now())
        .await?;
    let row = form_of(&state, &cx, id).await?;
    let note = version.map(|v| {
        (
            true,
            lang.fill(T::Published, &[("version", &v.to_string())]),
        )
    });
    show_one(&cx, &row, note, None, StatusCode::OK)
}

async fn set_state(
    state: &AppState,
    cx: &StaffCx,
    id: i64,
    to: FormState,
) -> Result<Response, ApiError> {
    offered(state)?;
    form_of(state, cx, id).await?;
    state
        .store
        .forms_set_state(id, to, &cx.actor(), state.now())
        .await?;
    Ok(see_other(&format!("/staff/forms/{id}")))
}

/// `POST /staff/forms/{id}/close`: no more answers (those given stay).
async fn close(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, .. }: Csrf<Makers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    set_state(&state, &cx, id, FormState::Closed).await
}

/// `POST /staff/forms/{id}/reopen`: answers again.
async fn reopen(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, .. }: Csrf<Makers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    set_state(&state, &cx, id, FormState::Open).await
}

/// `POST /staff/forms/{id}/duplicate`: the draft as a new form (`ID_copy`, then
/// `ID_copy2`, …), for next year's survey.
async fn duplicate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, .. }: Csrf<Makers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let taken: Vec<String> = state
        .store
        .forms_list()
        .await?
        .into_iter()
        .map(|f| f.key)
        .collect();
    let mut copy = row.draft.clone();
    let stem: String = row.key.chars().take(MAX_ID).collect();
    copy.id = (1..)
        .map(|n| {
            if n == 1 {
                format!("{stem}_copy")
            } else {
                format!("{stem}_copy{n}")
            }
        })
        .find(|k| !taken.contains(k))
        .unwrap_or_default();
    copy.version = "0".into();
    add(&state, &cx, &copy).await
}

/// The stored answers of a form, read.
async fn stored(state: &AppState, id: i64) -> Result<Vec<(super::AnswerRow, Answers)>, ApiError> {
    Ok(state
        .store
        .forms_answers(id)
        .await?
        .into_iter()
        .map(|r| {
            let a = json::from_str(&r.answers)
                .ok()
                .and_then(|v| Answers::from_value(&v).ok())
                .unwrap_or_default();
            (r, a)
        })
        .collect())
}

/// `GET /staff/forms/{id}/answers`: how many answered each question, a chart of
/// each choice question, the exports, and each answer (to delete on request).
async fn answers(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    show_answers(&state, &cx, &row, None).await
}

async fn show_answers(
    state: &AppState,
    cx: &StaffCx,
    row: &FormRow,
    note: Option<(bool, String)>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let all = stored(state, row.id).await?;
    let offset = state.utc_offset_minutes();
    let base = format!("/staff/forms/{}", row.id);
    let form = &answered(state, row).await?;
    let repeats: Vec<String> = form
        .all_fields()
        .into_iter()
        .filter(|(_, f)| f.kind == Type::Repeat)
        .map(|(p, _)| p)
        .collect();
    let body = html! {
        (message(&note))
        p { (lang.fill(T::AnswersCount, &[("n", &all.len().to_string())])) }
        p {
            a href=(format!("{base}/answers.csv")) download { (lang.t(T::CsvAnswers)) }
            @for (i, r) in repeats.iter().enumerate() {
                " · " a href=(format!("{base}/repeats/{}.csv", i + 1)) download { (lang.fill(T::CsvRepeat, &[("name", r)])) }
            }
        }
        @if all.is_empty() {
            p { (lang.t(T::AnswersNone)) }
        }
        @for f in form.fields.iter().flat_map(top_questions) {
            (question_counts(f, &all, lang))
        }
        h2 { (lang.t(T::Submissions)) }
        p { (lang.t(T::DeleteHint)) }
        table {
            thead { tr { th { "submission_id" } th { (lang.t(T::ColVersion)) } th { (lang.t(T::ColReceived)) } th {} } }
            tbody {
                @for (r, _) in &all {
                    tr {
                        td { code { (r.submission_id) } }
                        td { (r.version) }
                        td { (linli_core::date::format_timestamp(r.received_at, offset)) }
                        td { (post_button(cx, &format!("{base}/answers/{}/delete", r.submission_id), lang.t(T::Delete), "danger")) }
                    }
                }
            }
        }
    };
    let title = format!("{} · {}", form.title.get(lang), lang.t(T::AnswersTitle));
    Ok(page_with_status(StatusCode::OK, cx.frame(), &title, body))
}

/// The questions of the form's top level (groups entered, repeats not): what the
/// answers page counts.
fn top_questions(f: &Field) -> Vec<&Field> {
    match f.kind {
        Type::Group => f.fields.iter().flat_map(top_questions).collect(),
        k if k.is_question() => vec![f],
        _ => Vec::new(),
    }
}

/// One question's counts: how many answered; per option with a chart for a choice
/// question (and yes / no), the mean of a number.
fn question_counts(f: &Field, all: &[(super::AnswerRow, Answers)], lang: Lang) -> Markup {
    let given: Vec<&str> = all
        .iter()
        .map(|(_, a)| a.text(&f.name))
        .filter(|t| !t.is_empty())
        .collect();
    let options: Vec<(String, String)> = match f.kind {
        Type::SelectOne | Type::SelectMultiple => f
            .choices
            .iter()
            .map(|c| (c.name.clone(), c.label.get(lang).to_owned()))
            .collect(),
        Type::YesNo => vec![
            ("yes".into(), lang.t(T::Yes).to_owned()),
            ("no".into(), lang.t(T::No).to_owned()),
        ],
        Type::Rating => (1..=f.stars())
            .map(|n| (n.to_string(), format!("{n}★")))
            .collect(),
        _ => Vec::new(),
    };
    let counts: Vec<(String, u32)> = options
        .iter()
        .map(|(name, label)| {
            let n = given
                .iter()
                .filter(|t| t.split_whitespace().any(|w| w == name))
                .count();
            (label.clone(), u32::try_from(n).unwrap_or(u32::MAX))
        })
        .collect();
    let mean = f.kind.is_number().then(|| {
        let numbers: Vec<f64> = given.iter().filter_map(|t| t.parse().ok()).collect();
        (!numbers.is_empty()).then(|| numbers.iter().sum::<f64>() / numbers.len() as f64)
    });
    let svg = (!counts.is_empty())
        .then(|| crate::evaluation::chart::counts(&counts).ok())
        .flatten();
    html! {
        section {
            h3 { (f.label.get(lang)) }
            p {
                (lang.fill(T::Answered, &[("n", &given.len().to_string())]))
                @if let Some(Some(m)) = mean { " · " (lang.fill(T::Mean, &[("mean", &format!("{m:.1}"))])) }
            }
            @if let Some(svg) = svg {
                figure {
                    (PreEscaped(svg))
                    figcaption { (lang.t(T::ChoiceCounts)) }
                }
                table {
                    tbody { @for (label, n) in &counts { tr { td { (label) } td { (n) } } } }
                }
            }
        }
    }
}

/// The export tables of a form's answers (each read against the form's newest
/// definition; a question a version lacked is blank).
async fn export_tables(
    state: &AppState,
    row: &FormRow,
) -> Result<Vec<linli_core::forms::export::Table>, ApiError> {
    let all = stored(state, row.id).await?;
    let offset = state.utc_offset_minutes();
    let at: Vec<(String, String)> = all
        .iter()
        .map(|(r, _)| {
            (
                r.version.to_string(),
                linli_core::date::format_timestamp(r.received_at, offset),
            )
        })
        .collect();
    let submitted: Vec<Submitted<'_>> = all
        .iter()
        .zip(&at)
        .map(|((r, a), (v, t))| Submitted {
            id: &r.submission_id,
            version: v,
            at: t,
            answers: a,
        })
        .collect();
    let today = crate::evaluation::day_at(state, state.now()).to_string();
    Ok(tables(&answered(state, row).await?, &submitted, &today))
}

/// The definition answers are read against: the newest published version (edits to
/// the draft since do not change what was answered), or the draft before any.
async fn answered(state: &AppState, row: &FormRow) -> Result<Form, ApiError> {
    Ok(state
        .store
        .forms_versions(row.id)
        .await?
        .pop()
        .map_or_else(|| row.draft.clone(), |(_, f)| f))
}

/// `GET /staff/forms/{id}/answers.csv`: one row per answer, one column per question.
async fn answers_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let t = export_tables(&state, &row).await?;
    let Some(main) = t.first() else {
        return Err(ApiError::NotFound(StaffText::NfForm));
    };
    let head: Vec<&str> = main.head.iter().map(String::as_str).collect();
    Ok(csv_response(
        &format!("{}-answers.csv", row.key),
        &head,
        &main.rows,
    ))
}

/// `GET /staff/forms/{id}/repeats/{n}.csv`: the `n`th repeat's answer sets (in the
/// form's order, from 1), keyed by `submission_id`.
async fn repeat_csv(
    State(state): State<AppState>,
    Path((id, file)): Path<(i64, String)>,
    Staff { cx, .. }: Staff<Makers>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let n: usize = file
        .strip_suffix(".csv")
        .and_then(|n| n.parse().ok())
        .ok_or(ApiError::NotFound(StaffText::NfForm))?;
    let t = export_tables(&state, &row).await?;
    let Some(table) = t.get(n).filter(|_| n >= 1) else {
        return Err(ApiError::NotFound(StaffText::NfForm));
    };
    let head: Vec<&str> = table.head.iter().map(String::as_str).collect();
    let file = format!("{}-{}.csv", row.key, table.name.replace('/', "-"));
    Ok(csv_response(&file, &head, &table.rows))
}

/// `POST /staff/forms/{id}/answers/{submission}/delete`: a respondent's answer
/// deleted on their request (audited).
async fn delete_answer(
    State(state): State<AppState>,
    Path((id, submission)): Path<(i64, String)>,
    Csrf { cx, .. }: Csrf<Makers, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    offered(&state)?;
    let row = form_of(&state, &cx, id).await?;
    let gone = state
        .store
        .forms_delete_answer(id, &submission, &cx.actor(), state.now())
        .await?;
    if !gone {
        return Err(ApiError::NotFound(StaffText::NfRecord));
    }
    show_answers(
        &state,
        &cx,
        &row,
        Some((true, cx.lang.t(T::Deleted).to_owned())),
    )
    .await
}
