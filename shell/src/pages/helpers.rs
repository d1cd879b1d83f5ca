//! 我的 → 为本户老人代订的家属: the elder's household sees who may order for its elders
//! and removes a helper. Part of the meals page's 我的 group (plain functions, not a
//! component of its own: each component costs the residents' download).

use linli_core::json::Value;
use linli_core::meals::MealText;
use linli_widgets::base::el;
use yew::prelude::*;

use crate::context::Shell;
use crate::net::{api_url, delete, get_text, parse};

/// A helper as listed: (id, household, since in ms).
pub type Helper = (i64, String, i64);

/// The member `key` of `value`, when it is an object that has one.
pub(super) fn member<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    let Value::Object(members) = value else {
        return None;
    };
    members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn helpers_of(value: &Value) -> Vec<Helper> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let get = |k: &str| member(item, k);
            match (get("id"), get("household"), get("since")) {
                (Some(Value::Number(id)), Some(Value::String(h)), Some(Value::Number(since))) => {
                    Some((*id as i64, h.clone(), *since as i64))
                }
                _ => None,
            }
        })
        .collect()
}

/// The helpers of this household's elders (empty when offline or none).
pub async fn fetch(server: Option<String>) -> Vec<Helper> {
    let Ok(Some(token)) = crate::household::token().await else {
        return Vec::new();
    };
    match get_text(
        &api_url(server.as_deref(), "api/v1/meals/proxies"),
        Some(&token),
    )
    .await
    {
        Ok((200, text)) => helpers_of(&parse(&text)),
        _ => Vec::new(),
    }
}

/// Removes helper `id`; whether the server no longer has it.
pub async fn remove(server: Option<String>, id: String) -> bool {
    let Ok(Some(token)) = crate::household::token().await else {
        return false;
    };
    let url = api_url(server.as_deref(), &format!("api/v1/meals/proxies/{id}"));
    matches!(delete(&url, &token).await, Ok(204 | 404))
}

/// The group: each helper with a remove button (`data-helper` carries its id, read by
/// the meals part of 我的's one listener).
pub fn group(shell: &Shell, list: &[Helper]) -> Html {
    if list.is_empty() {
        return Html::default();
    }
    let lang = shell.lang();
    let offset = shell.config.utc_offset_minutes();
    html! {
        <div class="ll-group" data-testid="meal-helpers">
            { el("h2", "ll-group__title", AttrValue::from(shell.t(MealText::MealHelpersTitle))) }
            for (id, household, since) in list.iter() {
                { el("p", "", AttrValue::from(lang.fill(MealText::MealHelperSince, &[
                    ("household", household),
                    ("date", linli_core::date::format_timestamp(*since, offset).get(..10).unwrap_or_default()),
                ]))) }
                <button type="button" class="ll-button" data-helper={id.to_string()}>{ shell.t(MealText::MealHelperRemove) }</button>
            }
        </div>
    }
}
