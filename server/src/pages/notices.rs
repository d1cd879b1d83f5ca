//! Notices (公告) from the console: every notice with where it stands, a form to
//! publish one now or at a time (pinned, with an expiry, a photo and an attachment's
//! text), and withdrawing. Times are typed as local times in the deployment's zone; the
//! rules are `linli_core::notices` and every change is audited by the store. A photo is
//! drawn again as a small JPEG (`crate::picture::photo`) and kept as an asset served at
//! `/notice-images/…`; on a refusal it is kept too, so nothing chosen is lost.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::config::{LocalText, Notice, MAX_BODY, MAX_TITLE};
use linli_core::date::date_at;
use linli_core::notices::{parse_local, Posting, Standing};
use linli_core::{Lang, StaffText};
use maud::html;
use serde::Deserialize;

use super::accounts::NoFields;
use crate::app::AppState;
use crate::http::extract::{Csrf, CsrfUpload, Notices, Query, Staff, StaffCx, UploadPart};
use crate::http::layout::{csrf_field, page_with_status, post_button};
use crate::http::ApiError;
use crate::store::StoreError;

fn standing_text(s: Standing) -> StaffText {
    match s {
        Standing::Scheduled => StaffText::NtcScheduled,
        Standing::Live => StaffText::NtcLive,
        Standing::Expired => StaffText::NtcExpired,
        Standing::Withdrawn => StaffText::NtcWithdrawn,
    }
}

/// How far back a publishing time may be (a notice written this morning for 08:00).
const DAY_MS: i64 = 24 * 3_600_000;

/// The form as it was sent (kept on a refusal, so nothing typed is lost).
#[derive(Deserialize, Default)]
pub struct NoticeForm {
    #[serde(default)]
    title_zh: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    body_zh: String,
    #[serde(default)]
    body_en: String,
    #[serde(default)]
    publish_at: String,
    #[serde(default)]
    expires_at: String,
    #[serde(default)]
    pinned: Option<String>,
    #[serde(default)]
    attachment_zh: String,
    #[serde(default)]
    attachment_en: String,
    /// The photo already taken from an earlier, refused, sending of this form.
    #[serde(default)]
    image_kept: String,
    /// Back from publishing one (`?published=1`): said at the top.
    #[serde(default, skip)]
    published: bool,
    /// Editing: take the photo off.
    #[serde(default)]
    remove_image: Option<String>,
}

impl NoticeForm {
    /// The form from an upload's text parts.
    fn from_parts(parts: &[UploadPart]) -> NoticeForm {
        let text = |name: &str| crate::http::extract::part_text(parts, name);
        let pinned = text("pinned");
        NoticeForm {
            title_zh: text("title_zh"),
            title_en: text("title_en"),
            body_zh: text("body_zh"),
            body_en: text("body_en"),
            publish_at: text("publish_at"),
            expires_at: text("expires_at"),
            pinned: (!pinned.is_empty()).then_some(pinned),
            attachment_zh: text("attachment_zh"),
            attachment_en: text("attachment_en"),
            image_kept: text("image_kept"),
            published: false,
            remove_image: Some(text("remove_image")).filter(|v| !v.is_empty()),
        }
    }

    /// The form filled from a saved notice, to edit it (times as a browser's
    /// `datetime-local` field shows them, in the deployment's zone).
    fn of(p: &Posting, offset: i64) -> NoticeForm {
        let local = |ms: i64| linli_core::date::format_timestamp(ms, offset).replacen(' ', "T", 1);
        let n = &p.notice;
        NoticeForm {
            title_zh: n.title.zh.clone(),
            title_en: n.title.en.clone().unwrap_or_default(),
            body_zh: n.body.zh.clone(),
            body_en: n.body.en.clone().unwrap_or_default(),
            publish_at: local(p.publish_at),
            expires_at: n.expires_at.map(local).unwrap_or_default(),
            pinned: n.pinned.then(|| "yes".to_owned()),
            attachment_zh: n
                .attachment
                .as_ref()
                .map(|a| a.zh.clone())
                .unwrap_or_default(),
            attachment_en: n
                .attachment
                .as_ref()
                .and_then(|a| a.en.clone())
                .unwrap_or_default(),
            image_kept: n.image.clone().unwrap_or_default(),
            published: false,
            remove_image: None,
        }
    }
}

/// Where notice photos are served, residents' apps read them.
pub const IMAGE_DIR: &str = "notice-images";

/// Whether `path` is a notice photo's path as [`keep_photo`] makes it.
fn photo_path(path: &str) -> bool {
    path.strip_prefix(IMAGE_DIR)
        .and_then(|p| p.strip_prefix("/notice-"))
        .and_then(|p| p.strip_suffix(".jpg"))
        .is_some_and(|h| h.len() == 12 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Keeps a photo drawn from an upload; answers its path.
async fn keep_photo(state: &AppState, jpeg: &[u8]) -> Result<String, ApiError> {
    use sha2::{Digest, Sha256};
    let hash = crate::audit::hex(&Sha256::digest(jpeg)[..6]);
    let path = format!("{IMAGE_DIR}/notice-{hash}.jpg");
    state
        .store
        .put_asset(&path, "image/jpeg", jpeg, state.now())
        .await?;
    Ok(path)
}

/// `GET /notice-images/{file}`: a notice's photo, public like the notice (its name is
/// its content's hash, so it is cached for good).
pub async fn image(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let path = format!("{IMAGE_DIR}/{file}");
    if !photo_path(&path) {
        return Err(ApiError::NotFound(StaffText::NfRecord));
    }
    let asset = state
        .store
        .asset(&path)
        .await?
        .ok_or(ApiError::NotFound(StaffText::NfRecord))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/jpeg"),
            (
                axum::http::header::CACHE_CONTROL,
                "public, max-age=31536000, immutable",
            ),
        ],
        asset.bytes,
    )
        .into_response())
}

/// The notices page: the list, and the form to publish one (or, `editing` a notice by
/// id, to change it).
async fn list_page(
    state: &AppState,
    cx: &StaffCx,
    form: &NoticeForm,
    editing: Option<&str>,
    problem: Option<String>,
    image_problem: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let done = form.published;
    let action = editing.map_or_else(
        || "/staff/notices".to_owned(),
        |id| format!("/staff/notices/{id}"),
    );
    let heading = if editing.is_some() {
        StaffText::NtcEditTitle
    } else {
        StaffText::NtcNew
    };
    let submit = if editing.is_some() {
        StaffText::NtcSaveEdit
    } else {
        StaffText::NtcNew
    };
    let lang = cx.lang;
    let now = state.now();
    let all = state.store.notices().await?;
    let body = html! {
        @if let Some(p) = &problem { p.error role="alert" { (p) } }
        @if done { p.ok role="status" { (lang.t(StaffText::NtcPublishedOk)) } }
        @if all.is_empty() { p.muted { (lang.t(StaffText::NtcNone)) } }
        @else {
            table.cards {
                thead { tr {
                    th { (lang.t(StaffText::NtcColTitle)) }
                    th { (lang.t(StaffText::NtcColState)) }
                    th { (lang.t(StaffText::NtcColPublish)) }
                    th { (lang.t(StaffText::NtcColExpires)) }
                    th {}
                } }
                tbody {
                    @for p in &all {
                        @let standing = p.standing(now);
                        tr data-notice=(p.notice.id) data-state=(format!("{standing:?}").to_lowercase()) {
                            td data-label=(lang.t(StaffText::NtcColTitle)) {
                                (p.notice.title.zh)
                                @if p.notice.pinned { " · " (lang.t(StaffText::NtcPinned)) }
                                @if let Some(image) = &p.notice.image {
                                    br; img.logo-preview src=(format!("/{image}")) alt=(lang.t(StaffText::NtcImage));
                                }
                                @if p.notice.attachment.is_some() { " · " (lang.t(StaffText::NtcHasAttachment)) }
                            }
                            td data-label=(lang.t(StaffText::NtcColState)) { (lang.t(standing_text(standing))) }
                            td data-label=(lang.t(StaffText::NtcColPublish)) { (state.format_time(p.publish_at)) }
                            td data-label=(lang.t(StaffText::NtcColExpires)) {
                                @if let Some(at) = p.notice.expires_at { (state.format_time(at)) } @else { "—" }
                            }
                            td {
                                @if standing != Standing::Withdrawn {
                                    a href=(format!("/staff/notices/{}/edit", p.notice.id)) { (lang.t(StaffText::NtcEdit)) }
                                    " "
                                    (post_button(cx, &format!("/staff/notices/{}/withdraw", p.notice.id), lang.t(StaffText::NtcWithdraw), ""))
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 id="notice-form" { (lang.t(heading)) }
        form.stack method="post" action=(action) enctype="multipart/form-data" {
            (csrf_field(cx))
            p { label { (lang.t(StaffText::NtcTitleZh)) " "
                input name="title_zh" required maxlength=(MAX_TITLE) value=(form.title_zh); } }
            p { label { (lang.t(StaffText::NtcTitleEn)) " "
                input name="title_en" maxlength=(MAX_TITLE) value=(form.title_en); } }
            p { label { (lang.t(StaffText::NtcBodyZh)) br;
                textarea name="body_zh" required rows="6" maxlength=(MAX_BODY) { (form.body_zh) } } }
            p { label { (lang.t(StaffText::NtcBodyEn)) br;
                textarea name="body_en" rows="4" maxlength=(MAX_BODY) { (form.body_en) } } }
            p { label { (lang.t(StaffText::NtcPublishAt)) " "
                input name="publish_at" type="datetime-local" value=(form.publish_at); } }
            p { label { (lang.t(StaffText::NtcExpiresAt)) " "
                input name="expires_at" type="datetime-local" value=(form.expires_at); } }
            p { label { (lang.t(StaffText::NtcAttachmentZh)) br;
                textarea name="attachment_zh" rows="4" maxlength=(MAX_BODY) { (form.attachment_zh) } } }
            p { label { (lang.t(StaffText::NtcAttachmentEn)) br;
                textarea name="attachment_en" rows="3" maxlength=(MAX_BODY) { (form.attachment_en) } } }
            p {
                label { (lang.t(StaffText::NtcImage)) br;
                    input name="image" type="file" accept="image/jpeg,image/png,image/webp" aria-describedby="image-hint"; }
                span.muted.field-hint id="image-hint" { (lang.t(StaffText::NtcImageHint)) }
                @if photo_path(&form.image_kept) {
                    input type="hidden" name="image_kept" value=(form.image_kept);
                    span.field-hint {
                        img.logo-preview src=(format!("/{}", form.image_kept)) alt="";
                        " " (lang.t(StaffText::NtcImageKept))
                    }
                    @if editing.is_some() {
                        label { input name="remove_image" type="checkbox" value="yes"; " " (lang.t(StaffText::NtcRemoveImage)) }
                    }
                }
                @if let Some(p) = &image_problem { span.field-error id="image-error" { (p) } }
            }
            p { label { input name="pinned" type="checkbox" value="yes" checked[form.pinned.is_some()]; " " (lang.t(StaffText::NtcPinned)) } }
            p.buttons {
                button { (lang.t(submit)) }
                @if editing.is_some() { a href="/staff/notices" { (lang.t(StaffText::NtcCancelEdit)) } }
            }
        }
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        lang.t(StaffText::NtcNav),
        body,
    ))
}

/// After a redirect: whether a notice was just published.
#[derive(Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    published: Option<String>,
}

/// `GET /staff/notices`.
pub async fn list(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Notices>,
    Query(back): Query<Back>,
) -> Result<Response, ApiError> {
    let form = NoticeForm {
        published: back.published.is_some(),
        ..NoticeForm::default()
    };
    list_page(&state, &cx, &form, None, None, None, StatusCode::OK).await
}

/// A text field: trimmed, required or not, at most `max` characters; the refusal
/// names the field as the form labels it.
fn text(
    lang: Lang,
    value: &str,
    label: StaffText,
    required: bool,
    max: usize,
) -> Result<Option<String>, String> {
    // Browsers count a line break as one character and send it as two.
    let value = value.replace("\r\n", "\n");
    let value = value.trim();
    let field = lang.t(label);
    if value.is_empty() {
        return match required {
            true => Err(lang.fill(StaffText::NtcRequired, &[("field", field)])),
            false => Ok(None),
        };
    }
    if value.chars().count() > max {
        return Err(lang.fill(
            StaffText::NtcTooLong,
            &[("field", field), ("max", &max.to_string())],
        ));
    }
    Ok(Some(value.to_owned()))
}

/// A local time field; empty is `None`.
fn time(lang: Lang, value: &str, label: StaffText, offset: i64) -> Result<Option<i64>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    parse_local(value, offset)
        .map(Some)
        .ok_or_else(|| lang.fill(StaffText::NtcBadTime, &[("field", lang.t(label))]))
}

/// The posting the form describes, or what is wrong with it (the first problem, named
/// as the form labels its field).
/// `kept` is the publishing time a notice being edited has: it may stay, however long
/// ago it was.
fn posting(
    state: &AppState,
    lang: Lang,
    f: &NoticeForm,
    id: String,
    kept: Option<i64>,
) -> Result<Posting, String> {
    let now = state.now();
    let offset = state.utc_offset_minutes();
    let title_zh = text(lang, &f.title_zh, StaffText::NtcTitleZh, true, MAX_TITLE)?;
    let title_en = text(lang, &f.title_en, StaffText::NtcTitleEn, false, MAX_TITLE)?;
    let body_zh = text(lang, &f.body_zh, StaffText::NtcBodyZh, true, MAX_BODY)?;
    let body_en = text(lang, &f.body_en, StaffText::NtcBodyEn, false, MAX_BODY)?;
    let attachment_zh = text(
        lang,
        &f.attachment_zh,
        StaffText::NtcAttachmentZh,
        false,
        MAX_BODY,
    )?;
    let attachment_en = text(
        lang,
        &f.attachment_en,
        StaffText::NtcAttachmentEn,
        false,
        MAX_BODY,
    )?;
    // English alone has no Chinese to fall back to.
    if attachment_zh.is_none() && attachment_en.is_some() {
        return Err(lang.fill(
            StaffText::NtcRequired,
            &[("field", lang.t(StaffText::NtcAttachmentZh))],
        ));
    }
    let publish_at = time(lang, &f.publish_at, StaffText::NtcPublishAt, offset)?.unwrap_or(now);
    // A typo in the year (0226) would publish at once under an ancient date.
    if publish_at < now - DAY_MS && kept != Some(publish_at) {
        return Err(lang.t(StaffText::NtcPublishPast).to_owned());
    }
    let expires_at = time(lang, &f.expires_at, StaffText::NtcExpiresAt, offset)?;
    let date = date_at(publish_at, offset).ok_or_else(|| {
        lang.fill(
            StaffText::NtcBadTime,
            &[("field", lang.t(StaffText::NtcPublishAt))],
        )
    })?;
    let p = Posting {
        notice: Notice {
            id,
            date,
            title: LocalText {
                zh: title_zh.unwrap_or_default(),
                en: title_en,
            },
            body: LocalText {
                zh: body_zh.unwrap_or_default(),
                en: body_en,
            },
            pinned: f.pinned.is_some(),
            expires_at,
            image: (photo_path(&f.image_kept) && f.remove_image.is_none())
                .then(|| f.image_kept.clone()),
            attachment: attachment_zh.map(|zh| LocalText {
                zh,
                en: attachment_en,
            }),
        },
        publish_at,
        withdrawn_at: None,
    };
    p.check().map_err(|e| e.text(lang).to_owned())?;
    Ok(p)
}

/// A new notice's id, used in its address: the day it was written and six random hex
/// digits (`2026-12-02-a3f1c9`).
fn new_id(day: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 3];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| ApiError::from(StoreError::Randomness(e.to_string())))?;
    Ok(format!(
        "{day}-{:02x}{:02x}{:02x}",
        bytes[0], bytes[1], bytes[2]
    ))
}

/// Whether `id` has the shape [`new_id`] gives (or an imported notice's: letters,
/// digits and `-`, at most 40), before it reaches the store.
fn plausible_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 40 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The notice form as sent, with a new photo (`image`) drawn and kept, or why it was
/// refused; a kept photo's path is believed only if it has a photo's shape.
async fn read_form(
    state: &AppState,
    lang: Lang,
    parts: &[UploadPart],
) -> Result<(NoticeForm, Option<String>), ApiError> {
    let mut form = NoticeForm::from_parts(parts);
    if !form.image_kept.is_empty() && !photo_path(&form.image_kept) {
        form.image_kept.clear();
    }
    let upload = parts
        .iter()
        .find(|p| p.name == "image")
        .map(|p| p.bytes.clone())
        .unwrap_or_default();
    if upload.is_empty() {
        return Ok((form, None));
    }
    match crate::picture::photo(&upload) {
        Ok(jpeg) => {
            form.image_kept = keep_photo(state, &jpeg).await?;
            form.remove_image = None;
            Ok((form, None))
        }
        Err(e) => Ok((form, Some(e.text(lang)))),
    }
}

/// `POST /staff/notices` (multipart: the fields, and `image`, a photo): publishes a
/// notice now or at a time. A refusal shows the page again with the form as typed, the
/// photo kept, and the problem named; nothing is published.
pub async fn add(
    State(state): State<AppState>,
    CsrfUpload { cx, parts, .. }: CsrfUpload<Notices>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let (form, image_problem) = read_form(&state, lang, &parts).await?;
    let day = date_at(state.now(), state.utc_offset_minutes())
        .map(|d| d.to_string())
        .unwrap_or_default();
    let checked = match &image_problem {
        Some(p) => Err(p.clone()),
        None => posting(&state, lang, &form, new_id(&day)?, None),
    };
    match checked {
        Ok(mut p) => {
            // An id already taken (two in 65,536 the same day) is drawn again, never
            // written over.
            for _ in 0..3 {
                match state.store.add_notice(&p, &cx.actor(), state.now()).await {
                    Err(StoreError::Exists(_)) => p.notice.id = new_id(&day)?,
                    done => {
                        return done
                            .map(|()| Redirect::to("/staff/notices?published=1").into_response())
                            .map_err(ApiError::from)
                    }
                }
            }
            Err(StoreError::Exists("notice").into())
        }
        Err(problem) => {
            list_page(
                &state,
                &cx,
                &form,
                None,
                Some(problem),
                image_problem,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The saved notice `id`, or 404.
async fn saved(state: &AppState, id: &str) -> Result<Posting, ApiError> {
    if !plausible_id(id) {
        return Err(ApiError::NotFound(StaffText::NfNotice));
    }
    state
        .store
        .notices()
        .await?
        .into_iter()
        .find(|p| p.notice.id == id)
        .ok_or(ApiError::NotFound(StaffText::NfNotice))
}

/// `GET /staff/notices/{id}/edit`: the page with the form filled from the notice.
pub async fn edit_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff { cx, .. }: Staff<Notices>,
) -> Result<Response, ApiError> {
    let p = saved(&state, &id).await?;
    let form = NoticeForm::of(&p, state.utc_offset_minutes());
    list_page(&state, &cx, &form, Some(&id), None, None, StatusCode::OK).await
}

/// `POST /staff/notices/{id}` (multipart, as publishing): changes a notice's text,
/// times, pin, photo and attachment; a withdrawn one stays withdrawn, and its old
/// publishing time may stay however long ago it was. Audited as `notice.edit`; a
/// refusal shows the form again as typed and changes nothing.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfUpload { cx, parts, .. }: CsrfUpload<Notices>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let before = saved(&state, &id).await?;
    let (form, image_problem) = read_form(&state, lang, &parts).await?;
    let checked = match &image_problem {
        Some(p) => Err(p.clone()),
        None => posting(&state, lang, &form, id.clone(), Some(before.publish_at)),
    };
    match checked {
        Ok(p) => {
            state
                .store
                .edit_notice(&p, &cx.actor(), state.now())
                .await?;
            Ok(Redirect::to("/staff/notices?published=1").into_response())
        }
        Err(problem) => {
            list_page(
                &state,
                &cx,
                &form,
                Some(&id),
                Some(problem),
                image_problem,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /staff/notices/{id}/withdraw`: takes a notice down from now on (a second
/// click changes nothing).
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Csrf { cx, .. }: Csrf<Notices, NoFields>,
) -> Result<Response, ApiError> {
    if !plausible_id(&id) {
        return Err(ApiError::NotFound(StaffText::NfNotice));
    }
    match state
        .store
        .withdraw_notice(&id, &cx.actor(), state.now())
        .await
    {
        Ok(()) => Ok(Redirect::to("/staff/notices").into_response()),
        Err(StoreError::NotFound(_)) => Err(ApiError::NotFound(StaffText::NfNotice)),
        Err(e) => Err(e.into()),
    }
}
