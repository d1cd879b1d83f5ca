//! The settings form as data: the fields an administrator edits, filled from a config
//! and turned back into one, every problem placed on the field that caused it. The
//! rules are the core config rules (`linli_core::config`), the same the app and
//! `cargo xtask check-config` apply; this module only translates between the form's
//! fields and the config's paths (`theme.primary` is the field `primary`,
//! `meals.slots[1].cutoff` the second non-empty slot row's `slot_N_cutoff`).
//!
//! Fields the console does not edit (the id, `server_url`, the meals time zone, the
//! notices a config carried) are kept as the base version had them.

use std::collections::BTreeMap;

use linli_core::config::{ConfigError, Problem, ShellConfig};
use linli_core::meals::{parse_yuan, yuan, Subsidy};
use linli_core::{Lang, Scenario, StaffText};
use serde_json::{json, Map, Value};

/// At most this many meal slots and subsidy tiers on the form.
pub const MAX_SLOTS: usize = 6;
/// See [`MAX_SLOTS`].
pub const MAX_TIERS: usize = 10;

/// The form's values by field name, as typed (a checkbox is present when ticked).
pub type Values = BTreeMap<String, String>;

/// Problems, by the field they belong to (`""`: the whole form).
pub type Problems = BTreeMap<String, Vec<String>>;

/// The form filled from a config.
pub fn values_of(config: &ShellConfig) -> Values {
    let mut v = Values::new();
    let mut set = |k: &str, value: &str| {
        v.insert(k.to_owned(), value.to_owned());
    };
    set("logo", &config.logo);
    set("name_zh", &config.name.zh);
    set("name_en", config.name.en.as_deref().unwrap_or_default());
    set("primary", &config.theme.primary.to_string());
    set("on_primary", &config.theme.on_primary.to_string());
    set("hotline", &config.hotline);
    set("privacy_zh", &config.privacy.zh);
    set(
        "privacy_en",
        config.privacy.en.as_deref().unwrap_or_default(),
    );
    set("default_language", config.default_language.code());
    for (i, s) in Scenario::ALL.iter().enumerate() {
        let at = config.scenarios.iter().position(|c| c == s);
        if at.is_some() {
            set(&format!("on_{}", s.id()), "on");
        }
        let order = at.unwrap_or(config.scenarios.len() + i) + 1;
        set(&format!("order_{}", s.id()), &order.to_string());
    }
    if let Some(m) = &config.meals {
        set("days_ahead", &m.days_ahead.to_string());
        for (i, s) in m.slots.iter().enumerate() {
            set(&format!("slot_{i}_id"), &s.slot.id);
            set(&format!("slot_{i}_zh"), &s.name.zh);
            set(
                &format!("slot_{i}_en"),
                s.name.en.as_deref().unwrap_or_default(),
            );
            set(
                &format!("slot_{i}_cutoff"),
                &linli_core::config::format_time(s.slot.cutoff.minute_of_day),
            );
            set(
                &format!("slot_{i}_days_before"),
                &s.slot.cutoff.days_before.to_string(),
            );
        }
        for (i, t) in m.tiers.iter().enumerate() {
            set(&format!("tier_{i}_id"), &t.tier.id);
            set(&format!("tier_{i}_zh"), &t.name.zh);
            set(
                &format!("tier_{i}_en"),
                t.name.en.as_deref().unwrap_or_default(),
            );
            let (kind, amount) = match t.tier.subsidy {
                Subsidy::Fixed(fen) => ("fixed", yuan(fen)),
                Subsidy::Percent(p) => ("percent", p.to_string()),
            };
            set(&format!("tier_{i}_kind"), kind);
            set(&format!("tier_{i}_amount"), &amount);
        }
    }
    v
}

/// How many rows of a list the form shows: those with values, and one empty to add.
pub fn rows(values: &Values, list: &str, max: usize) -> usize {
    let used = (0..max)
        .rev()
        .find(|i| {
            values
                .iter()
                .any(|(k, v)| k.starts_with(&format!("{list}_{i}_")) && !v.trim().is_empty())
        })
        .map_or(0, |i| i + 1);
    (used + 1).min(max)
}

fn get<'a>(values: &'a Values, key: &str) -> &'a str {
    values.get(key).map_or("", |v| v.trim())
}

/// `{"zh-CN": …, "en": …}`, English left out when empty.
fn local(values: &Values, zh: &str, en: &str) -> Value {
    let text = |k: &str| get(values, k).replace("\r\n", "\n");
    let mut m = Map::new();
    m.insert("zh-CN".into(), Value::String(text(zh)));
    let en = text(en);
    if !en.is_empty() {
        m.insert("en".into(), Value::String(en));
    }
    Value::Object(m)
}

/// Where each list item of the config came from on the form: `rows[k]` is the form
/// row of the config's `k`-th item.
#[derive(Default)]
struct RowMap {
    slots: Vec<usize>,
    tiers: Vec<usize>,
}

/// A config built from `base` (the version edited) and the form, checked by the core
/// rules: the config and its text, or every problem placed on its field in `lang`.
pub fn build(
    base: &Value,
    values: &Values,
    available: &[Scenario],
    lang: Lang,
) -> Result<(ShellConfig, String), Problems> {
    let mut problems = Problems::new();
    let mut out = base.as_object().cloned().unwrap_or_default();
    // The caller decided the logo may be used (the version's own, or one drawn here).
    if let Some(logo) = values.get("logo").filter(|l| !l.is_empty()) {
        out.insert("logo".into(), json!(logo));
    }
    let had = |s: Scenario| {
        base.get("scenarios")
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(|v| v.as_str() == Some(s.id())))
    };
    out.insert("name".into(), local(values, "name_zh", "name_en"));
    out.insert("privacy".into(), local(values, "privacy_zh", "privacy_en"));
    out.insert(
        "theme".into(),
        json!({"primary": get(values, "primary"), "on_primary": get(values, "on_primary")}),
    );
    out.insert("hotline".into(), json!(get(values, "hotline")));
    out.insert(
        "default_language".into(),
        json!(get(values, "default_language")),
    );
    // Scenarios: the ticked ones by their order number, ties in the usual order.
    let mut on: Vec<(u32, usize, &str)> = Vec::new();
    for (i, s) in Scenario::ALL.iter().enumerate() {
        if values.contains_key(&format!("on_{}", s.id())) {
            // One this build cannot offer is kept as it was, never newly turned on.
            if !available.contains(s) && !had(*s) {
                add(
                    &mut problems,
                    "scenarios",
                    &lang.fill(
                        StaffText::SetScenarioUnavailable,
                        &[("name", lang.t(s.title()))],
                    ),
                );
                continue;
            }
            let key = format!("order_{}", s.id());
            let order = match get(values, &key) {
                "" => 99,
                n => n.parse::<u32>().unwrap_or_else(|_| {
                    add(&mut problems, &key, lang.t(StaffText::SetBadOrder));
                    99
                }),
            };
            on.push((order, i, s.id()));
        }
    }
    on.sort_unstable();
    out.insert(
        "scenarios".into(),
        Value::Array(on.iter().map(|(_, _, id)| json!(id)).collect()),
    );
    let mut rows = RowMap::default();
    let meals = meals(base, values, lang, &mut problems, &mut rows);
    match meals {
        Some(m) => {
            out.insert("meals".into(), m);
        }
        None => {
            out.remove("meals");
        }
    }
    let text = serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default();
    match linli_core::config::parse(&text) {
        Ok(config) if problems.is_empty() => Ok((config, text)),
        Ok(_) => Err(problems),
        Err(ConfigError { errors }) => {
            for e in errors {
                let (field, whole) = field_of(&e.path, &rows);
                let message = match &e.problem {
                    // Said with the form's words, not the config's field names.
                    Problem::LowContrast { ratio, .. } => {
                        lang.fill(StaffText::SetLowContrast, &[("ratio", ratio)])
                    }
                    _ if whole => e.describe(lang),
                    p => p.message(lang),
                };
                add(&mut problems, &field, &message);
            }
            Err(problems)
        }
    }
}

fn add(problems: &mut Problems, field: &str, message: &str) {
    problems
        .entry(field.to_owned())
        .or_default()
        .push(message.to_owned());
}

/// The id of row `i` of a list (`slot`, `tier`): as typed, or made from the row's
/// place when only a name was given (`slot3`: staff need not invent one); `None` for an
/// empty row (id and name both cleared: removed).
fn row_id(values: &Values, list: &str, i: usize) -> Option<String> {
    let id = get(values, &format!("{list}_{i}_id"));
    if !id.is_empty() {
        return Some(id.to_owned());
    }
    let named = !get(values, &format!("{list}_{i}_zh")).is_empty();
    named.then(|| format!("{list}{}", i + 1))
}

/// The meals section from the form: `None` when meals is off and the form has no
/// meals settings (a deployment without meals keeps none).
fn meals(
    base: &Value,
    values: &Values,
    lang: Lang,
    problems: &mut Problems,
    rows: &mut RowMap,
) -> Option<Value> {
    let base_meals = base.get("meals");
    let has_rows = (0..MAX_SLOTS).any(|i| row_id(values, "slot", i).is_some())
        || (0..MAX_TIERS).any(|i| row_id(values, "tier", i).is_some());
    if base_meals.is_none() && !has_rows && !values.contains_key("on_meals") {
        return None;
    }
    let mut m = base_meals
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let whole = |key: &str, problems: &mut Problems| -> Option<Value> {
        let text = get(values, key);
        if text.is_empty() {
            return None;
        }
        match text.parse::<i64>() {
            Ok(n) => Some(json!(n)),
            Err(_) => {
                add(problems, key, lang.t(StaffText::SetNotWhole));
                None
            }
        }
    };
    match whole("days_ahead", problems) {
        Some(n) => m.insert("days_ahead".into(), n),
        None => m.remove("days_ahead"),
    };
    let mut slots = Vec::new();
    for i in 0..MAX_SLOTS {
        let Some(id) = row_id(values, "slot", i) else {
            continue;
        };
        let id = id.as_str();
        let mut s = Map::new();
        s.insert("id".into(), json!(id));
        s.insert(
            "name".into(),
            local(values, &format!("slot_{i}_zh"), &format!("slot_{i}_en")),
        );
        s.insert(
            "cutoff".into(),
            json!(get(values, &format!("slot_{i}_cutoff"))),
        );
        if let Some(n) = whole(&format!("slot_{i}_days_before"), problems) {
            s.insert("days_before".into(), n);
        }
        slots.push(Value::Object(s));
        rows.slots.push(i);
    }
    m.insert("slots".into(), Value::Array(slots));
    let mut tiers = Vec::new();
    for i in 0..MAX_TIERS {
        let Some(id) = row_id(values, "tier", i) else {
            continue;
        };
        let id = id.as_str();
        let amount_key = format!("tier_{i}_amount");
        let amount = get(values, &amount_key);
        let subsidy = match get(values, &format!("tier_{i}_kind")) {
            "percent" => match amount.parse::<i64>() {
                Ok(p) => json!({ "percent": p }),
                Err(_) => {
                    add(problems, &amount_key, lang.t(StaffText::SetNotWhole));
                    json!({ "percent": 0 })
                }
            },
            _ => match parse_yuan(amount) {
                Some(fen) => json!({ "fixed": fen }),
                None => {
                    add(
                        problems,
                        &amount_key,
                        &lang.fill(StaffText::SetBadAmount, &[("value", amount)]),
                    );
                    json!({ "fixed": 0 })
                }
            },
        };
        tiers.push(json!({
            "id": id,
            "name": local(values, &format!("tier_{i}_zh"), &format!("tier_{i}_en")),
            "subsidy": subsidy,
        }));
        rows.tiers.push(i);
    }
    m.insert("tiers".into(), Value::Array(tiers));
    Some(Value::Object(m))
}

/// The form field a config path belongs to, and whether the message should carry
/// the path (a problem no field shows on its own).
fn field_of(path: &str, rows: &RowMap) -> (String, bool) {
    let simple = match path {
        "name" | "name.zh-CN" => Some("name_zh"),
        "name.en" => Some("name_en"),
        "privacy" | "privacy.zh-CN" => Some("privacy_zh"),
        "privacy.en" => Some("privacy_en"),
        "theme.primary" => Some("primary"),
        "theme.on_primary" => Some("on_primary"),
        "hotline" => Some("hotline"),
        "default_language" => Some("default_language"),
        "meals" => Some("scenarios"),
        "logo" => Some("logo"),
        "meals.days_ahead" => Some("days_ahead"),
        // An empty list: said on its first row.
        "meals.slots" => Some("slot_0_id"),
        "meals.tiers" => Some("tier_0_id"),
        _ => None,
    };
    if let Some(f) = simple {
        return (f.to_owned(), false);
    }
    if path.starts_with("scenarios") {
        return ("scenarios".to_owned(), false);
    }
    for (list, map) in [("slots", &rows.slots), ("tiers", &rows.tiers)] {
        let prefix = format!("meals.{list}[");
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        let Some((k, tail)) = rest.split_once(']') else {
            continue;
        };
        let Some(row) = k.parse::<usize>().ok().and_then(|k| map.get(k)) else {
            continue;
        };
        let item = &list[..list.len() - 1];
        let part = match tail.trim_start_matches('.') {
            "" | "id" => "id",
            "name" | "name.zh-CN" => "zh",
            "name.en" => "en",
            "cutoff" => "cutoff",
            "days_before" => "days_before",
            t if t.starts_with("subsidy") => "amount",
            _ => return (String::new(), true),
        };
        return (format!("{item}_{row}_{part}"), false);
    }
    (String::new(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qingshan() -> (Value, ShellConfig) {
        let text = include_str!("../../../../examples/qingshan/config.json");
        (
            serde_json::from_str(text).unwrap(),
            linli_core::config::parse(text).unwrap(),
        )
    }

    #[test]
    fn an_unchanged_form_gives_back_the_same_config() {
        let (base, config) = qingshan();
        let (again, _) = build(&base, &values_of(&config), &Scenario::ALL, Lang::ZhCn).unwrap();
        assert_eq!(again, config);
    }

    #[test]
    fn every_edited_field_reaches_the_config() {
        let (base, config) = qingshan();
        let mut v = values_of(&config);
        for (k, value) in [
            ("name_zh", "新街道"),
            ("primary", "#1d4ed8"),
            ("hotline", "12345"),
            ("privacy_en", ""),
            ("default_language", "en"),
            ("order_meals", "2"),
            ("order_forms", "1"),
            ("days_ahead", "5"),
            ("slot_1_cutoff", "14:30"),
            ("tier_0_amount", "2.5"),
            ("tier_4_id", "new"),
            ("tier_4_zh", "新档"),
            ("tier_4_kind", "percent"),
            ("tier_4_amount", "30"),
        ] {
            v.insert(k.into(), value.into());
        }
        v.remove("on_voting");
        let (c, _) = build(&base, &v, &Scenario::ALL, Lang::ZhCn).unwrap();
        assert_eq!(c.name.zh, "新街道");
        assert_eq!(c.theme.primary.to_string(), "#1d4ed8");
        assert_eq!(c.hotline, "12345");
        assert_eq!(c.privacy.en, None);
        assert_eq!(c.default_language, Lang::En);
        assert_eq!(
            c.scenarios,
            vec![Scenario::Forms, Scenario::Meals, Scenario::Feedback]
        );
        let m = c.meals.unwrap();
        assert_eq!(m.days_ahead, 5);
        assert_eq!(m.slots[1].slot.cutoff.minute_of_day, 14 * 60 + 30);
        assert_eq!(m.tiers[0].tier.subsidy, Subsidy::Fixed(250));
        assert_eq!(m.tiers[4].tier.subsidy, Subsidy::Percent(30));
        // What the console does not edit is kept.
        assert_eq!(c.id, config.id);
        assert_eq!(c.notices, config.notices);
    }

    #[test]
    fn each_bad_value_is_placed_on_its_field() {
        let (base, config) = qingshan();
        let cases: &[(&str, &str, &str)] = &[
            ("name_zh", "", "name_zh"),
            ("primary", "#12", "primary"),
            ("on_primary", "#b3261f", "primary"),
            ("hotline", "call us", "hotline"),
            ("default_language", "fr", "default_language"),
            ("order_meals", "first", "order_meals"),
            ("days_ahead", "30", "days_ahead"),
            ("days_ahead", "x", "days_ahead"),
            ("slot_1_cutoff", "25:00", "slot_1_cutoff"),
            ("slot_1_zh", "", "slot_1_zh"),
            ("slot_1_id", "lunch", "slot_1_id"),
            ("slot_0_days_before", "9", "slot_0_days_before"),
            ("tier_2_amount", "200", "tier_2_amount"),
            ("tier_0_amount", "two", "tier_0_amount"),
            ("tier_1_id", "Bad Id", "tier_1_id"),
        ];
        for (field, value, placed) in cases {
            let mut v = values_of(&config);
            v.insert((*field).into(), (*value).into());
            let problems = build(&base, &v, &Scenario::ALL, Lang::ZhCn).unwrap_err();
            assert!(
                problems.contains_key(*placed),
                "{field}={value}: {problems:?}"
            );
            assert!(!problems.contains_key(""), "{field}={value}: {problems:?}");
        }
        // A scenario that needs settings it lacks is said on the scenario list.
        let mut v = values_of(&config);
        for k in v.clone().keys() {
            if k.starts_with("slot_") || k.starts_with("tier_") || k == "days_ahead" {
                v.remove(k);
            }
        }
        let problems = build(&base, &v, &Scenario::ALL, Lang::En).unwrap_err();
        assert!(
            problems.contains_key("slot_0_id") && problems.contains_key("tier_0_id"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_form_shows_one_empty_row_to_add() {
        let (_, config) = qingshan();
        let v = values_of(&config);
        assert_eq!(rows(&v, "slot", MAX_SLOTS), 3);
        assert_eq!(rows(&v, "tier", MAX_TIERS), 5);
        assert_eq!(rows(&Values::new(), "slot", MAX_SLOTS), 1);
    }
}
