//! The elders' register with their subsidy tier, diet (only with consent) and helpers.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use linli_core::config::MealsConfig;
use linli_core::meals::{Fulfilment, Tag};
use linli_core::{Lang, StaffText};

use super::*;
use crate::api::AppState;
use crate::error::ApiError;
use crate::meals::rows::NewElder;
use crate::pages::esc;
use crate::staff::StaffMember;
use crate::store::Actor;

pub(super) async fn elders(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, ELDERS).await);
    elders_page(&state, lang, &member, &config, None).await
}

async fn elders_page(
    state: &AppState,
    lang: Lang,
    member: &StaffMember,
    config: &MealsConfig,
    problem: Option<String>,
) -> Response {
    let elders = try_open!(state
        .store
        .elders()
        .await
        .map_err(IntoResponse::into_response));
    let units = try_open!(state
        .store
        .units()
        .await
        .map_err(IntoResponse::into_response));
    let yes_no = |b: bool| {
        t(
            lang,
            if b {
                StaffText::StaffYes
            } else {
                StaffText::StaffNo
            },
        )
    };
    let mut body = problem
        .map(|p| {
            format!(
                "<p class=\"error\" role=\"alert\">{}</p>",
                esc(&lang.fill(StaffText::KitFormError, &[("problem", &p)]))
            )
        })
        .unwrap_or_default();
    body.push_str(&format!(
        "<table><tr>{}</tr>",
        [
            StaffText::KitFieldName,
            StaffText::KitColAddress,
            StaffText::KitFieldRoute,
            StaffText::KitColTier,
            StaffText::KitColWay,
            StaffText::KitColNeeds,
            StaffText::KitColAllergies,
            StaffText::KitColConsent,
            StaffText::KitColProxies,
        ]
        .iter()
        .map(|h| format!("<th>{}</th>", t(lang, *h)))
        .collect::<String>()
    ));
    for e in &elders {
        let tier = config
            .tier(&e.elder.tier)
            .map_or(e.elder.tier.clone(), |t| t.name.get(lang).to_owned());
        let needs: Vec<&str> = e.elder.needs.iter().map(|n| lang.t(n.text())).collect();
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.name),
            esc(&e.address),
            esc(&e.route),
            esc(&tier),
            t(lang, e.elder.fulfilment.text()),
            esc(&needs.join("、")),
            esc(&e.elder.allergies.join("、")),
            yes_no(e.consent),
            esc(&e.proxies.join("、")),
        ));
    }
    body.push_str("</table>");
    let unit_options = |name: &str| {
        format!(
            "<select name=\"{name}\" required>{}</select>",
            units
                .iter()
                .map(|u| format!("<option value=\"{}\">{}</option>", u.id, esc(&u.label)))
                .collect::<String>()
        )
    };
    let options = |items: Vec<(String, String)>| -> String {
        items
            .into_iter()
            .map(|(v, l)| format!("<option value=\"{}\">{}</option>", esc(&v), esc(&l)))
            .collect()
    };
    let tiers = options(
        config
            .tiers
            .iter()
            .map(|t| (t.tier.id.clone(), t.name.get(lang).to_owned()))
            .collect(),
    );
    let ways = options(
        Fulfilment::ALL
            .iter()
            .map(|f| (f.id().to_owned(), lang.t(f.text()).to_owned()))
            .collect(),
    );
    let needs: String = Tag::ALL
        .iter()
        .map(|tag| {
            format!(
                "<label><input type=\"checkbox\" name=\"need_{}\"> {}</label> ",
                tag.id(),
                t(lang, tag.text())
            )
        })
        .collect();
    body.push_str(&format!(
        "<h3>{}</h3><form method=\"post\" action=\"/staff/meals/elders\">\
         <p><label>{} <input name=\"name\" required maxlength=\"40\"></label></p>\
         <p><label>{} {}</label></p>\
         <p><label>{} <input name=\"address\" maxlength=\"100\"></label></p>\
         <p><label>{} <input name=\"route\" maxlength=\"40\"></label></p>\
         <p><label>{} <select name=\"tier\">{tiers}</select></label></p>\
         <p><label>{} <select name=\"fulfilment\">{ways}</select></label></p>\
         <p>{}: {needs}</p><p><label>{} <input name=\"allergies\" maxlength=\"200\"></label></p>\
         <p><label><input type=\"checkbox\" name=\"consent\"> {}</label></p><p><button>{}</button></p></form>",
        t(lang, StaffText::KitRegister),
        t(lang, StaffText::KitFieldName),
        t(lang, StaffText::KitFieldUnit),
        unit_options("unit"),
        t(lang, StaffText::KitFieldAddress),
        t(lang, StaffText::KitFieldRoute),
        t(lang, StaffText::KitColTier),
        t(lang, StaffText::KitColWay),
        t(lang, StaffText::KitColNeeds),
        t(lang, StaffText::KitColAllergies),
        t(lang, StaffText::KitConsentBox),
        t(lang, StaffText::KitRegister),
    ));
    body.push_str(&format!(
        "<h3>{}</h3><form method=\"post\" action=\"/staff/meals/proxies\"><p><label>{} {}</label> <label>{} {}</label> <button>{}</button></p></form>",
        t(lang, StaffText::KitLinkProxy),
        t(lang, StaffText::KitFieldElderUnit),
        unit_options("unit"),
        t(lang, StaffText::KitFieldProxyUnit),
        unit_options("proxy"),
        t(lang, StaffText::KitLinkProxy),
    ));
    meals_page(lang, member, lang.t(StaffText::KitEldersTitle), &body)
}

pub(super) async fn add_elder(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, ELDERS).await);
    let field = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let name = field("name");
    let tier = field("tier");
    let unit_id = field("unit").parse::<i64>().ok();
    let problem = if name.is_empty() {
        Some(lang.t(StaffText::KitFieldName).to_owned())
    } else if config.tier(&tier).is_none() {
        Some(lang.t(StaffText::KitColTier).to_owned())
    } else if unit_id.is_none() {
        Some(lang.t(StaffText::KitFieldUnit).to_owned())
    } else {
        None
    };
    if problem.is_some() {
        let mut r = elders_page(&state, lang, &member, &config, problem).await;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return r;
    }
    let elder = NewElder {
        unit_id: unit_id.unwrap_or_default(),
        name: name.chars().take(40).collect(),
        address: field("address"),
        route: field("route"),
        tier,
        fulfilment: Fulfilment::from_id(&field("fulfilment")).unwrap_or_default(),
        needs: Tag::ALL
            .into_iter()
            .filter(|t| form.contains_key(&format!("need_{}", t.id())))
            .collect(),
        allergies: field("allergies")
            .split(['、', ',', '，'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        consent: form.contains_key("consent"),
    };
    match state
        .store
        .add_elder(&elder, &Actor::staff(&member), (state.clock)())
        .await
    {
        Ok(_) => Redirect::to("/staff/meals/elders").into_response(),
        Err(e) => e.into_response(),
    }
}

pub(super) async fn add_proxy(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (member, _, _) = try_open!(open(&state, &headers, ELDERS).await);
    let id = |k: &str| form.get(k).and_then(|v| v.parse::<i64>().ok());
    let (Some(unit), Some(proxy)) = (id("unit"), id("proxy")) else {
        return ApiError::NotFound("unit").into_response();
    };
    match state
        .store
        .link_proxy(unit, proxy, &Actor::staff(&member), (state.clock)())
        .await
    {
        Ok(()) => Redirect::to("/staff/meals/elders").into_response(),
        Err(e) => e.into_response(),
    }
}
