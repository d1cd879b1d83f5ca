//! Households (住户) and their codes (户码): the list, adding one, printable code
//! slips (for one household, or — after a confirmation — for all), a household's
//! linked devices with revoking, and erasing a household's personal data.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::household::{check_name, MAX_BUILDING_CHARS, MAX_LABEL_CHARS};
use linli_core::{Lang, StaffText};
use maud::{html, Markup};
use serde::Deserialize;

use super::accounts::NoFields;
use crate::app::AppState;
use crate::http::extract::{Csrf, Households, Query, Staff, StaffCx};
use crate::http::layout::{csrf_field, page, page_with_status, post_button, print_button, qr};
use crate::http::ApiError;
use crate::store::{self, StoreError};

/// Household `id`, or the 404 that names it.
async fn unit_or_404(state: &AppState, id: i64) -> Result<store::UnitRow, ApiError> {
    state
        .store
        .unit(id, state.now())
        .await?
        .ok_or(ApiError::NotFound(StaffText::NfUnit))
}

async fn list_page(
    state: &AppState,
    cx: &StaffCx,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let units = state.store.units(state.now()).await?;
    let yes_no = |b: bool| {
        lang.t(if b {
            StaffText::StaffYes
        } else {
            StaffText::StaffNo
        })
    };
    let body = html! {
        @if let Some(p) = &problem { p.error role="alert" { (p) } }
        p.no-print { a href="/staff/codes" { (lang.t(StaffText::StaffPrintCodes)) } }
        table.cards {
            thead { tr {
                th { (lang.t(StaffText::StaffColBuilding)) }
                th { (lang.t(StaffText::StaffColUnit)) }
                th { (lang.t(StaffText::StaffColDevices)) }
                th { (lang.t(StaffText::StaffColCodeOut)) }
                th {}
            } }
            tbody {
                @for u in &units {
                    tr {
                        td data-label=(lang.t(StaffText::StaffColBuilding)) { (u.building) }
                        td data-label=(lang.t(StaffText::StaffColUnit)) {
                            a href={ "/staff/units/" (u.id) } { (u.label) }
                        }
                        td data-label=(lang.t(StaffText::StaffColDevices)) { (u.devices) }
                        td data-label=(lang.t(StaffText::StaffColCodeOut)) { (yes_no(u.code_pending)) }
                        td { (post_button(cx, &format!("/staff/units/{}/code", u.id), lang.t(StaffText::StaffIssueCode), "")) }
                    }
                }
            }
        }
        h2 { (lang.t(StaffText::HhAdd)) }
        form method="post" action="/staff/units" {
            (csrf_field(cx))
            p { label { (lang.t(StaffText::StaffColBuilding)) " "
                input name="building" required maxlength=(MAX_BUILDING_CHARS); } }
            p { label { (lang.t(StaffText::HhLabel)) " "
                input name="label" required maxlength=(MAX_LABEL_CHARS) placeholder="3幢2单元401"; } }
            p { button { (lang.t(StaffText::HhAdd)) } }
        }
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        lang.t(StaffText::StaffUnits),
        body,
    ))
}

/// `GET /staff/units`.
pub async fn list(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Households>,
) -> Result<Response, ApiError> {
    list_page(&state, &cx, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct NewUnit {
    #[serde(default)]
    label: String,
    #[serde(default)]
    building: String,
}

/// `POST /staff/units`: a new household, its label and building checked by the core
/// rule the boards are read with.
pub async fn add(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Households, NewUnit>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let checked = check_name("label", &form.label, MAX_LABEL_CHARS).and_then(|label| {
        check_name("building", &form.building, MAX_BUILDING_CHARS).map(|b| (label, b))
    });
    let (label, building) = match checked {
        Ok(v) => v,
        Err(e) => {
            let field = lang.t(if e.field == "label" {
                StaffText::StaffColUnit
            } else {
                StaffText::StaffColBuilding
            });
            let problem = lang.fill(
                StaffText::FieldProblem,
                &[("field", field), ("problem", &e.text(lang))],
            );
            return list_page(&state, &cx, Some(problem), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match state
        .store
        .add_unit(&label, &building, &cx.actor(), state.now())
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/units").into_response()),
        Err(StoreError::Exists(_)) => {
            let problem = lang.fill(StaffText::HhExists, &[("label", &label)]);
            list_page(&state, &cx, Some(problem), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The address residents open the app at: the public URL, or this request's origin.
fn app_url(state: &AppState, cx: &StaffCx, headers: &HeaderMap) -> String {
    state.net.public_origin.clone().unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("{}://{host}/", if cx.https { "https" } else { "http" })
    })
}

/// A printable sheet of (household, code) slips issued at `now`: where to open the app
/// (its address and a QR code to scan), where to type the code, and until when.
fn code_sheet(
    state: &AppState,
    cx: &StaffCx,
    slips: &[(String, String)],
    now: i64,
    url: &str,
) -> Response {
    let lang = cx.lang;
    let until = state.format_time(now + crate::store::CODE_VALID_MS);
    let until = until.get(..10).unwrap_or_default();
    let code_qr = qr(url, lang.t(StaffText::StaffCodeQrAlt));
    let body = html! {
        p.no-print { (print_button(lang)) }
        div.sheet {
            @for (label, code) in slips {
                div.slip {
                    p { strong { (label) } }
                    p.code { (code) }
                    p { (lang.fill(StaffText::StaffCodeSheetHint, &[("url", url)])) }
                    p.qr-small { (code_qr) }
                    p { strong { (lang.fill(StaffText::StaffCodeValidUntil, &[("date", until)])) } }
                }
            }
        }
    };
    page(cx.frame(), lang.t(StaffText::StaffCodeSheetTitle), body)
}

/// `POST /staff/units/{id}/code`: a new code for one household, printable.
pub async fn one_code(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Csrf { cx, .. }: Csrf<Households, NoFields>,
) -> Result<Response, ApiError> {
    let unit = unit_or_404(&state, id).await?;
    let now = state.now();
    let code = state.store.issue_code(id, &cx.actor(), now).await?;
    let url = app_url(&state, &cx, &headers);
    Ok(code_sheet(&state, &cx, &[(unit.label, code)], now, &url))
}

/// `GET /staff/codes`: what issuing codes for every household means, and the button.
pub async fn all_codes_confirm(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Households>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let units = state.store.units(state.now()).await?;
    let waiting = units.iter().filter(|u| u.code_pending).count();
    let body = html! {
        p { (lang.fill(StaffText::HhAllCodesWarning, &[
            ("count", &units.len().to_string()),
            ("waiting", &waiting.to_string()),
        ])) }
        form method="post" action="/staff/codes" {
            (csrf_field(&cx))
            input type="hidden" name="confirm" value="yes";
            p { button.danger { (lang.t(StaffText::HhAllCodesConfirm)) } " "
                a href="/staff/units" { (lang.t(StaffText::Cancel)) } }
        }
    };
    Ok(page(cx.frame(), lang.t(StaffText::StaffPrintCodes), body))
}

#[derive(Deserialize)]
pub struct Confirm {
    #[serde(default)]
    confirm: String,
}

/// `POST /staff/codes {confirm: yes}`: new codes for every household in one
/// transaction, printable.
pub async fn all_codes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Csrf { cx, form, .. }: Csrf<Households, Confirm>,
) -> Result<Response, ApiError> {
    if form.confirm != "yes" {
        return Ok(Redirect::to("/staff/codes").into_response());
    }
    let now = state.now();
    let slips = state.store.issue_all_codes(&cx.actor(), now).await?;
    let url = app_url(&state, &cx, &headers);
    Ok(code_sheet(&state, &cx, &slips, now, &url))
}

/// Why a household's data is erased: a fixed choice, so no one types personal details
/// into the audit log.
const ERASE_REASONS: &[(&str, StaffText)] = &[
    ("request", StaffText::HhReasonRequest),
    ("moved", StaffText::HhReasonMoved),
    ("other", StaffText::HhReasonOther),
];

fn detail_body(
    state: &AppState,
    lang: Lang,
    cx: &StaffCx,
    unit: &store::UnitRow,
    devices: &[store::DeviceRow],
    m: Option<(bool, String)>,
) -> Markup {
    html! {
        @if let Some((ok, text)) = &m {
            @if *ok { p.ok role="status" { (text) } } @else { p.error role="alert" { (text) } }
        }
        p { (lang.t(StaffText::StaffColBuilding)) "：" (unit.building) }
        h2 { (lang.t(StaffText::HhDevices)) }
        @if devices.is_empty() {
            p.muted { (lang.t(StaffText::HhNoDevices)) }
        } @else {
            table.cards {
                thead { tr { th { (lang.t(StaffText::HhDevice)) } th { (lang.t(StaffText::HhLinkedAt)) } th {} } }
                tbody {
                    @for d in devices {
                        tr {
                            td data-label=(lang.t(StaffText::HhDevice)) { code { (d.device) } }
                            td data-label=(lang.t(StaffText::HhLinkedAt)) { (state.format_time(d.created_at)) }
                            td { (post_button(cx, &format!("/staff/units/{}/devices/{}/revoke", unit.id, d.id), lang.t(StaffText::HhRevoke), "danger")) }
                        }
                    }
                }
            }
        }
        p.muted { (lang.t(StaffText::HhHelpersWhere)) }
        h2 { (lang.t(StaffText::HhErase)) }
        p { (lang.t(StaffText::HhEraseHint)) }
        form method="post" action={ "/staff/units/" (unit.id) "/erase" } {
            (csrf_field(cx))
            p { label { (lang.fill(StaffText::HhEraseType, &[("label", &unit.label)])) " "
                input name="confirm" required autocomplete="off"; } }
            p { label { (lang.t(StaffText::HhEraseReason)) " "
                select name="reason" required {
                    @for (id, text) in ERASE_REASONS { option value=(id) { (lang.t(*text)) } }
                } } }
            p { button.danger { (lang.t(StaffText::HhErase)) } }
        }
    }
}

async fn detail_page(
    state: &AppState,
    cx: &StaffCx,
    id: i64,
    m: Option<(bool, String)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let unit = unit_or_404(state, id).await?;
    let devices = state.store.devices(id).await?;
    let body = detail_body(state, cx.lang, cx, &unit, &devices, m);
    Ok(page_with_status(status, cx.frame(), &unit.label, body))
}

#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    revoked: Option<u8>,
}

/// `GET /staff/units/{id}[?revoked=1]`: one household's devices and erasure.
pub async fn detail(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff { cx, .. }: Staff<Households>,
    Query(q): Query<Done>,
) -> Result<Response, ApiError> {
    let m = q
        .revoked
        .map(|_| (true, cx.t(StaffText::HhRevoked).to_owned()));
    detail_page(&state, &cx, id, m, StatusCode::OK).await
}

/// `POST /staff/units/{id}/devices/{device}/revoke`: the device's token stops working.
pub async fn revoke_device(
    State(state): State<AppState>,
    Path((id, device)): Path<(i64, i64)>,
    Csrf { cx, .. }: Csrf<Households, NoFields>,
) -> Result<Response, ApiError> {
    state
        .store
        .revoke_device(id, device, &cx.actor(), state.now())
        .await?;
    // Back to the household's page, so a reload does not post again.
    Ok(Redirect::to(&format!("/staff/units/{id}?revoked=1")).into_response())
}

#[derive(Deserialize)]
pub struct Erase {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    reason: String,
}

/// `POST /staff/units/{id}/erase {confirm: the household's label, reason: request |
/// moved | other}`: the
/// household's personal data is erased everywhere — the generic tables and every
/// scenario's — in one transaction; the audit log records the erasure and its
/// reason, not the data.
pub async fn erase(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Csrf { cx, form, .. }: Csrf<Households, Erase>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let unit = unit_or_404(&state, id).await?;
    let reason = ERASE_REASONS
        .iter()
        .find(|(id, _)| *id == form.reason)
        .map(|(id, _)| *id);
    let Some(reason) = reason.filter(|_| form.confirm.trim() == unit.label) else {
        let m = Some((false, lang.t(StaffText::HhEraseNotConfirmed).to_owned()));
        return detail_page(&state, &cx, id, m, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let now = state.now();
    let by = cx.actor();
    let scenarios = state.scenarios.clone();
    state
        .store
        .write_tx(async |tx| {
            tx.removes_personal_data();
            store::erase_household(tx.conn(), id).await?;
            for s in scenarios.iter() {
                s.erase(tx, id, now).await?;
            }
            tx.audit(
                now,
                &by,
                "household.erase",
                &format!("unit:{id} reason:{reason}"),
            )
            .await?;
            Ok::<_, StoreError>(())
        })
        .await?;
    let m = Some((true, lang.t(StaffText::HhErased).to_owned()));
    detail_page(&state, &cx, id, m, StatusCode::OK).await
}
