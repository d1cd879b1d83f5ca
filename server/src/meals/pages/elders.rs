//! The elders' register: subsidy tier, diet (kept only with the elder's separate
//! consent, recorded on whose word) and the households that help them.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::config::MealsConfig;
use linli_core::meals::{check_elder_fields, Fulfilment, Profile, Tag};
use linli_core::StaffText;
use maud::{html, Markup};

use super::*;
use crate::http::extract::{Csrf, Staff, StaffCx};
use crate::http::layout::{csrf_field, page_with_status};
use crate::meals::rows::{ElderRow, NewElder};
use crate::store::UnitRow;

/// The needs ticked and allergies typed in a form (`need_<tag>`, `allergies`).
fn diet_of(form: &HashMap<String, String>) -> (Vec<Tag>, Vec<String>) {
    let needs = Tag::ALL
        .into_iter()
        .filter(|t| form.contains_key(&format!("need_{}", t.id())))
        .collect();
    let allergies = form
        .get("allergies")
        .map(String::as_str)
        .unwrap_or_default()
        .split(['、', ',', '，'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect();
    (needs, allergies)
}

fn diet_fields(cx: &StaffCx, needs: &[Tag], allergies: &[String]) -> Markup {
    let lang = cx.lang;
    html! {
        p { (lang.t(StaffText::KitColNeeds)) "："
            @for tag in Tag::ALL {
                label { input type="checkbox" name={ "need_" (tag.id()) } checked[needs.contains(&tag)]; " " (lang.t(tag.text())) } " "
            }
        }
        p { label { (lang.t(StaffText::KitColAllergies)) " "
            input name="allergies" maxlength="200" value=(allergies.join("、")); } }
    }
}

fn unit_options(units: &[UnitRow], name: &str) -> Markup {
    html! {
        select name=(name) required {
            @for u in units { option value=(u.id) { (u.label) } }
        }
    }
}

fn elder_row(cx: &StaffCx, config: &MealsConfig, e: &ElderRow) -> Markup {
    let lang = cx.lang;
    let tier = config
        .tier(&e.elder.tier)
        .map_or(e.elder.tier.clone(), |t| t.name.get(lang).to_owned());
    let needs: Vec<&str> = e.elder.needs.iter().map(|n| lang.t(n.text())).collect();
    let yes_no = |b: bool| {
        lang.t(if b {
            StaffText::StaffYes
        } else {
            StaffText::StaffNo
        })
    };
    html! {
        tr data-elder=(e.elder.id) {
            td data-label=(lang.t(StaffText::KitFieldName)) { (e.name) }
            td data-label=(lang.t(StaffText::KitColAddress)) { (e.address) }
            td data-label=(lang.t(StaffText::KitFieldRoute)) { (e.route) }
            td data-label=(lang.t(StaffText::KitColTier)) { (tier) }
            td data-label=(lang.t(StaffText::KitColWay)) { (lang.t(e.elder.fulfilment.text())) }
            td data-label=(lang.t(StaffText::KitColNeeds)) { (needs.join("、")) }
            td data-label=(lang.t(StaffText::KitColAllergies)) { (e.elder.allergies.join("、")) }
            td data-label=(lang.t(StaffText::KitColConsent)) data-consent=(if e.consent { "yes" } else { "no" }) {
                (yes_no(e.consent))
                @if e.consent && !e.consent_note.is_empty() { br; span.muted { (e.consent_note) } }
                details {
                    summary { (lang.t(StaffText::KitEditDiet)) }
                    form method="post" action={ "/staff/meals/elders/" (e.elder.id) "/diet" } {
                        (csrf_field(cx))
                        (diet_fields(cx, &e.elder.needs, &e.elder.allergies))
                        p { label { input type="checkbox" name="consent" checked[e.consent]; " " (lang.t(StaffText::KitConsentBox)) } }
                        p { label { (lang.t(StaffText::KitConsentNote)) " " input name="note" required maxlength="60"; } }
                        p { button { (lang.t(StaffText::KitSave)) } }
                    }
                }
            }
            td data-label=(lang.t(StaffText::KitColProxies)) {
                @for (proxy, label) in &e.proxies {
                    div {
                        (label) " "
                        form.inline method="post" action="/staff/meals/proxies/remove" {
                            (csrf_field(cx))
                            input type="hidden" name="unit" value=(e.elder.unit_id);
                            input type="hidden" name="proxy" value=(proxy);
                            button.link { (lang.t(StaffText::KitRemoveProxy)) }
                        }
                    }
                }
            }
        }
    }
}

async fn elders_page(
    state: &AppState,
    cx: &StaffCx,
    config: &MealsConfig,
    m: Option<(bool, String)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let elders = state.store.elders().await?;
    let units = state.store.units(state.now()).await?;
    let heads = [
        StaffText::KitFieldName,
        StaffText::KitColAddress,
        StaffText::KitFieldRoute,
        StaffText::KitColTier,
        StaffText::KitColWay,
        StaffText::KitColNeeds,
        StaffText::KitColAllergies,
        StaffText::KitColConsent,
        StaffText::KitColProxies,
    ];
    let body = html! {
        (sub_nav(lang))
        @if let Some((ok, text)) = &m {
            @if *ok { p.ok role="status" { (text) } } @else { p.error role="alert" { (text) } }
        }
        table.cards {
            thead { tr { @for h in heads { th { (lang.t(h)) } } } }
            tbody { @for e in &elders { (elder_row(cx, config, e)) } }
        }
        h2 { (lang.t(StaffText::KitRegister)) }
        form method="post" action="/staff/meals/elders" {
            (csrf_field(cx))
            p { label { (lang.t(StaffText::KitFieldName)) " " input name="name" required maxlength="40"; } }
            p { label { (lang.t(StaffText::KitFieldUnit)) " " (unit_options(&units, "unit")) } }
            p { label { (lang.t(StaffText::KitFieldAddress)) " " input name="address" maxlength="100"; } }
            p { label { (lang.t(StaffText::KitFieldRoute)) " " input name="route" maxlength="20"; } }
            p { label { (lang.t(StaffText::KitColTier)) " "
                select name="tier" { @for t in &config.tiers { option value=(t.tier.id) { (t.name.get(lang)) } } } } }
            p { label { (lang.t(StaffText::KitColWay)) " "
                select name="fulfilment" { @for f in Fulfilment::ALL { option value=(f.id()) { (lang.t(f.text())) } } } } }
            (diet_fields(cx, &[], &[]))
            p { label { input type="checkbox" name="consent"; " " (lang.t(StaffText::KitConsentBox)) } }
            p { label { (lang.t(StaffText::KitConsentNote)) " " input name="note" maxlength="60"; } }
            p { button { (lang.t(StaffText::KitRegister)) } }
        }
        h2 { (lang.t(StaffText::KitLinkProxy)) }
        form method="post" action="/staff/meals/proxies" {
            (csrf_field(cx))
            p {
                label { (lang.t(StaffText::KitFieldElderUnit)) " " (unit_options(&units, "unit")) } " "
                label { (lang.t(StaffText::KitFieldProxyUnit)) " " (unit_options(&units, "proxy")) } " "
                button { (lang.t(StaffText::KitLinkProxy)) }
            }
        }
    };
    Ok(page_with_status(
        status,
        cx.frame(),
        lang.t(StaffText::KitEldersTitle),
        body,
    ))
}

/// `GET /staff/meals/elders`.
pub(in crate::meals) async fn elders(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Elders>,
) -> Result<Response, ApiError> {
    let config = config(&state)?;
    elders_page(&state, &cx, &config, None, StatusCode::OK).await
}

/// `POST /staff/meals/elders`: registers an elder; every field checked by the core
/// rule the boards are read with, and the diet kept only with the consent box ticked
/// and a note of on whose word.
pub(in crate::meals) async fn add_elder(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Elders, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let config = config(&state)?;
    let field = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let (needs, allergies) = diet_of(&form);
    let consent = form.contains_key("consent");
    let unit_id = field("unit").parse::<i64>().ok();
    let problem = match check_elder_fields(
        &field("name"),
        &field("address"),
        &field("route"),
        &allergies,
    ) {
        Err(e) => Some(lang.fill(
            StaffText::FieldProblem,
            &[("field", &e.field), ("problem", &e.text(lang))],
        )),
        Ok(()) if config.tier(&field("tier")).is_none() => {
            Some(lang.t(StaffText::KitColTier).to_owned())
        }
        Ok(()) if unit_id.is_none() => Some(lang.t(StaffText::KitFieldUnit).to_owned()),
        Ok(()) if consent && field("note").is_empty() => {
            Some(lang.t(StaffText::KitConsentNoteMissing).to_owned())
        }
        Ok(()) if field("note").chars().count() > 60 => {
            Some(lang.t(StaffText::KitConsentNote).to_owned())
        }
        Ok(()) => None,
    };
    if let Some(p) = problem {
        let m = Some((
            false,
            lang.fill(StaffText::KitFormError, &[("problem", &p)]),
        ));
        return elders_page(&state, &cx, &config, m, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let elder = NewElder {
        unit_id: unit_id.unwrap_or_default(),
        name: field("name"),
        address: field("address"),
        route: field("route"),
        tier: field("tier"),
        fulfilment: Fulfilment::from_id(&field("fulfilment")).unwrap_or_default(),
        needs,
        allergies,
        consent,
        consent_note: field("note"),
    };
    state
        .store
        .add_elder(&elder, &cx.actor(), state.now())
        .await?;
    Ok(Redirect::to("/staff/meals/elders").into_response())
}

/// `POST /staff/meals/elders/{id}/diet`: staff record, change or withdraw an elder's
/// diet on the elder's word; unticking consent deletes the diet everywhere.
pub(in crate::meals) async fn set_diet(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Csrf { cx, form, .. }: Csrf<Elders, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let config = config(&state)?;
    let (needs, allergies) = diet_of(&form);
    let consent = form.contains_key("consent");
    let note = form.get("note").map(|n| n.trim()).unwrap_or_default();
    let checked = check_elder_fields("x", "", "", &allergies);
    if note.is_empty() || note.chars().count() > 60 || checked.is_err() {
        let p = checked.err().map_or_else(
            || lang.t(StaffText::KitConsentNoteMissing).to_owned(),
            |e| {
                lang.fill(
                    StaffText::FieldProblem,
                    &[("field", &e.field), ("problem", &e.text(lang))],
                )
            },
        );
        let m = Some((
            false,
            lang.fill(StaffText::KitFormError, &[("problem", &p)]),
        ));
        return elders_page(&state, &cx, &config, m, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let profile = Profile {
        elder: id,
        consent,
        needs: if consent { needs } else { Vec::new() },
        allergies: if consent { allergies } else { Vec::new() },
    };
    state
        .store
        .set_diet(&profile, note, &cx.actor(), state.now())
        .await?;
    let m = Some((true, lang.t(StaffText::KitDietSaved).to_owned()));
    elders_page(&state, &cx, &config, m, StatusCode::OK).await
}

fn pair(form: &HashMap<String, String>) -> Option<(i64, i64)> {
    let id = |k: &str| form.get(k).and_then(|v| v.parse::<i64>().ok());
    Some((id("unit")?, id("proxy")?))
}

/// `POST /staff/meals/proxies` (a household may order for another's elders) and
/// `POST /staff/meals/proxies/remove` (it may no longer).
async fn set_proxy(
    state: AppState,
    cx: StaffCx,
    form: HashMap<String, String>,
    link: bool,
) -> Result<Response, ApiError> {
    let (unit, proxy) = pair(&form).ok_or(ApiError::NotFound(StaffText::NfUnit))?;
    let (by, now) = (cx.actor(), state.now());
    if link {
        state.store.link_proxy(unit, proxy, &by, now).await?;
    } else {
        state.store.unlink_proxy(unit, proxy, &by, now).await?;
    }
    Ok(Redirect::to("/staff/meals/elders").into_response())
}

/// `POST /staff/meals/proxies`.
pub(in crate::meals) async fn add_proxy(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Elders, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    set_proxy(state, cx, form, true).await
}

/// `POST /staff/meals/proxies/remove`.
pub(in crate::meals) async fn remove_proxy(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Elders, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    set_proxy(state, cx, form, false).await
}
