//! Config parsing: the valid shape, and every class of invalid with its message.
#![cfg(feature = "json")]

use super::*;

const VALID: &str = r##"{
  "id": "qingshan",
  "name": {"zh-CN": "青山街道", "en": "Qingshan Sub-district"},
  "logo": "assets/logo.svg",
  "theme": {"primary": "#B3261E", "on_primary": "#FFFFFF"},
  "hotline": "0571-8888 1234",
  "privacy": {"zh-CN": "我们只收集必要的信息。"},
  "scenarios": ["meals", "feedback"],
  "notices": [
    {"id": "n-1", "date": "2026-11-01", "title": "停水通知", "body": {"zh-CN": "周三停水。", "en": "No water on Wednesday."}},
    {"id": "n-2", "date": "2026-11-20", "title": {"zh-CN": "义诊"}, "body": "周六义诊。"}
  ],
  "default_language": "zh-CN",
  "server_url": null,
  "meals": {
    "days_ahead": 2,
    "slots": [{"id": "lunch", "name": {"zh-CN": "午餐", "en": "Lunch"}, "cutoff": "09:30"},
              {"id": "dinner", "name": "晚餐", "cutoff": "15:00", "days_before": 0}],
    "tiers": [{"id": "80plus", "name": "80岁以上", "subsidy": {"percent": 50}},
              {"id": "60to69", "name": "60–69岁", "subsidy": {"fixed": 200}}]
  },
  "feedback": {
    "handlers": [{"id": "property", "name": "物业服务中心"},
                 {"id": "grid-1", "name": {"zh-CN": "第一网格", "en": "Grid 1"}, "kind": "grid"}],
    "categories": [{"id": "lighting", "name": "路灯照明", "handler": "property",
                    "limits": {"dispatch": 1, "reply": 3, "close": 5}},
                   {"id": "other", "name": "其他"}],
    "places": ["1幢", "南门"],
    "holidays": ["2026-10-01"],
    "workdays": ["2026-10-10"]
  }
}"##;

/// VALID with one top-level field replaced (or removed, with `None`).
fn with(field: &str, replacement: Option<&str>) -> String {
    let mut value: serde_json::Value = serde_json::from_str(VALID).unwrap();
    let obj = value.as_object_mut().unwrap();
    match replacement {
        Some(r) => {
            obj.insert(field.into(), serde_json::from_str(r).unwrap());
        }
        None => {
            obj.remove(field);
        }
    }
    value.to_string()
}

fn errors(text: &str) -> Vec<String> {
    parse(text)
        .unwrap_err()
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect()
}

fn single_error(text: &str) -> String {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    errs.into_iter().next().unwrap()
}

#[test]
fn valid_config_parses_with_every_field() {
    let c = parse(VALID).unwrap();
    assert_eq!(c.id, "qingshan");
    assert_eq!(c.name.get(Lang::ZhCn), "青山街道");
    assert_eq!(c.name.get(Lang::En), "Qingshan Sub-district");
    assert_eq!(c.theme.primary, Colour::rgb(0xb3, 0x26, 0x1e));
    assert_eq!(c.theme.on_primary, Colour::WHITE);
    assert_eq!(c.scenarios, vec![Scenario::Meals, Scenario::Feedback]);
    assert_eq!(c.notices.len(), 2);
    assert_eq!(c.default_language, Lang::ZhCn);
    assert_eq!(c.server_url, None);
}

#[test]
fn hotline_becomes_a_dialable_link() {
    assert_eq!(parse(VALID).unwrap().hotline_uri(), "tel:057188881234");
}

#[test]
fn english_falls_back_to_chinese_where_missing() {
    let c = parse(VALID).unwrap();
    assert_eq!(c.privacy.get(Lang::En), "我们只收集必要的信息。");
    assert_eq!(c.notices[1].title.get(Lang::En), "义诊");
}

#[test]
fn notices_are_listed_newest_first() {
    let c = parse(VALID).unwrap();
    let ids: Vec<&str> = c
        .notices_newest_first()
        .iter()
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(ids, ["n-2", "n-1"]);
}

#[test]
fn optional_fields_take_defaults() {
    let text = with("notices", None);
    let text = {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let o = v.as_object_mut().unwrap();
        o.remove("default_language");
        o.remove("server_url");
        o.get_mut("theme")
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("on_primary");
        v.to_string()
    };
    let c = parse(&text).unwrap();
    assert!(c.notices.is_empty());
    assert_eq!(c.default_language, Lang::ZhCn);
    assert_eq!(c.theme.on_primary, Colour::WHITE);
}

#[test]
fn syntax_error_gives_line_and_column() {
    let e = single_error("{\n  \"id\": \"x\",\n}");
    assert!(e.starts_with("is not valid JSON (line 3, column 1)"), "{e}");
}

#[test]
fn top_level_must_be_an_object() {
    assert_eq!(single_error("[1]"), "expected an object, found an array");
}

#[test]
fn bad_primary_colour_is_located() {
    let e = single_error(&with("theme", Some(r##"{"primary": "#12"}"##)));
    assert_eq!(
        e,
        r##"theme.primary: "#12" is not a colour (use #RRGGBB or #RGB)"##
    );
}

#[test]
fn bad_text_colour_is_located() {
    let e = single_error(&with(
        "theme",
        Some(r##"{"primary": "#b3261e", "on_primary": "white"}"##),
    ));
    assert_eq!(
        e,
        r##"theme.on_primary: "white" is not a colour (use #RRGGBB or #RGB)"##
    );
}

#[test]
fn primary_with_too_little_contrast_is_refused() {
    // Vant's blue with white text: a popular choice that elders cannot read well.
    let e = single_error(&with("theme", Some(r##"{"primary": "#1989fa"}"##)));
    assert_eq!(
        e,
        "theme.primary: contrast with theme.on_primary (#ffffff) is 3.49:1, text needs at least 4.5:1"
    );
}

#[test]
fn contrast_boundary_four_and_a_half_passes() {
    // #767676 on white is 4.54:1; #777777 is 4.47:1.
    assert!(parse(&with("theme", Some(r##"{"primary": "#767676"}"##))).is_ok());
    assert!(parse(&with("theme", Some(r##"{"primary": "#777777"}"##))).is_err());
}

#[test]
fn light_brand_with_dark_text_is_accepted() {
    let c = parse(&with(
        "theme",
        Some(r##"{"primary": "#ffd54f", "on_primary": "#1a1a1a"}"##),
    ))
    .unwrap();
    assert_eq!(c.theme.on_primary, Colour::rgb(0x1a, 0x1a, 0x1a));
}

#[test]
fn unknown_scenario_is_located_by_index() {
    let e = single_error(&with("scenarios", Some(r#"["meals", "forms", "vot"]"#)));
    assert_eq!(
        e,
        r#"scenarios[2]: unknown scenario "vot" (known: meals, voting, feedback, forms)"#
    );
}

#[test]
fn duplicate_scenario_is_refused() {
    let e = single_error(&with("scenarios", Some(r#"["meals", "meals"]"#)));
    assert_eq!(e, r#"scenarios[1]: "meals" appears more than once"#);
}

#[test]
fn unknown_field_suggests_the_near_name() {
    let e = single_error(&with("hotlnie", Some(r#""12345""#)));
    assert_eq!(e, r#"hotlnie: unknown field; did you mean "hotline"?"#);
    let e = single_error(&with("colour", Some("1")));
    assert_eq!(e, "colour: unknown field");
}

#[test]
fn unknown_nested_field_is_located() {
    let e = single_error(&with(
        "name",
        Some(r#"{"zh-CN": "青山街道", "zh_TW": "青山街道"}"#),
    ));
    assert!(e.starts_with("name.zh_TW: unknown field"), "{e}");
}

#[test]
fn missing_required_field_is_named() {
    assert_eq!(single_error(&with("hotline", None)), "hotline: is missing");
    let e = single_error(&with("name", Some(r#"{"en": "Qingshan"}"#)));
    assert_eq!(e, "name.zh-CN: is missing");
}

#[test]
fn wrong_type_says_expected_and_found() {
    assert_eq!(
        single_error(&with("scenarios", Some(r#""meals""#))),
        "scenarios: expected an array, found a string"
    );
    assert_eq!(
        single_error(&with("hotline", Some("12345"))),
        "hotline: expected a string, found a number"
    );
}

#[test]
fn blank_and_overlong_texts_are_refused() {
    assert_eq!(
        single_error(&with("name", Some(r#""   ""#))),
        "name: must not be empty"
    );
    let long = format!("\"{}\"", "街".repeat(41));
    assert_eq!(
        single_error(&with("name", Some(&long))),
        "name: is too long (at most 40 characters)"
    );
}

#[test]
fn notice_problems_are_located_inside_the_list() {
    let e = errors(&with(
        "notices",
        Some(
            r#"[{"id": "a", "date": "2026-02-30", "title": "t", "body": "b"},
                {"id": "a", "date": "2026-02-01", "title": "", "body": "b", "pinned": true}]"#,
        ),
    ));
    assert_eq!(
        e,
        vec![
            r#"notices[0].date: "2026-02-30" is not a valid date (use YYYY-MM-DD)"#.to_owned(),
            "notices[1].pinned: unknown field".to_owned(),
            r#"notices[1].id: "a" appears more than once"#.to_owned(),
            "notices[1].title: must not be empty".to_owned(),
        ]
    );
}

#[test]
fn bad_id_language_phone_url_and_logo_are_refused() {
    assert_eq!(
        single_error(&with("id", Some(r#""Qing Shan""#))),
        r#"id: "Qing Shan" may contain only lowercase letters, digits and hyphens"#
    );
    assert_eq!(
        single_error(&with("default_language", Some(r#""zh""#))),
        r#"default_language: "zh" is not a supported language (zh-CN, en)"#
    );
    assert_eq!(
        single_error(&with("hotline", Some(r#""call us""#))),
        r#"hotline: "call us" is not a phone number (digits, spaces, + and - only)"#
    );
    assert_eq!(
        single_error(&with("server_url", Some(r#""ftp://x""#))),
        r#"server_url: "ftp://x" is neither an http(s) URL nor a path starting with /"#
    );
    assert!(parse(&with("logo", Some(r#""https://cdn.example/l.png""#))).is_err());
    assert!(parse(&with("logo", Some(r#""C:/logo.png""#))).is_err());
    assert!(parse(&with("logo", Some(r#""/logo.png""#))).is_err());
    assert_eq!(
        single_error(&with("logo", Some(r#""../secret.png""#))),
        r#"logo: "../secret.png" must be a relative path inside the deployment folder"#
    );
}

#[test]
fn server_url_accepts_https_and_absolute_paths() {
    let c = parse(&with("server_url", Some(r#""https://api.example.cn""#))).unwrap();
    assert_eq!(c.server_url.as_deref(), Some("https://api.example.cn"));
    assert!(parse(&with("server_url", Some(r#""/api""#))).is_ok());
    assert!(parse(&with("server_url", Some(r#""//evil""#))).is_err());
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = r##"{"id": "x", "name": "n", "logo": "l.svg", "theme": {"primary": "#12"},
        "hotline": "1", "privacy": "p", "scenarios": ["vot"], "extra": 1}"##;
    let e = errors(text);
    assert_eq!(e.len(), 4, "{e:#?}");
    assert!(e[0].starts_with("extra: unknown field"));
    assert!(e[1].starts_with("theme.primary:"));
    assert!(e[2].starts_with("hotline:"));
    assert!(e[3].starts_with("scenarios[0]:"));
}

#[test]
fn messages_are_available_in_chinese() {
    let err = parse(&with("theme", Some(r##"{"primary": "#12"}"##))).unwrap_err();
    assert_eq!(
        err.errors[0].describe(Lang::ZhCn),
        r##"theme.primary: "#12" 不是颜色（应为 #RRGGBB 或 #RGB）"##
    );
}

#[test]
fn example_deployments_are_valid() {
    for name in ["qingshan", "hehua"] {
        let path = format!(
            "{}/../examples/{name}/config.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        parse(&text).unwrap_or_else(|e| panic!("{path}:\n{e}"));
    }
}

#[test]
fn meals_section_is_read() {
    let c = parse(VALID).unwrap();
    let m = c.meals.unwrap();
    assert_eq!(m.days_ahead, 2);
    assert_eq!(m.utc_offset_minutes, 480);
    let lunch = m.slot("lunch").unwrap();
    assert_eq!(lunch.slot.cutoff.minute_of_day, 570);
    assert_eq!(lunch.name.get(Lang::En), "Lunch");
    assert_eq!(
        m.tier("60to69").unwrap().tier.subsidy,
        crate::meals::Subsidy::Fixed(200)
    );
    assert_eq!(
        m.tier("80plus").unwrap().tier.subsidy,
        crate::meals::Subsidy::Percent(50)
    );
}

#[test]
fn meals_section_problems_are_located() {
    let bad = r#"{"days_ahead": 30, "slots": [{"id": "lunch", "name": "午餐", "cutoff": "9.30"},
        {"id": "lunch", "name": "晚餐", "cutoff": "24:00"}],
        "tiers": [{"id": "x", "name": "x", "subsidy": {"fixed": 1, "percent": 2}},
                  {"id": "y", "name": "y", "subsidy": {"percent": 101}}]}"#;
    assert_eq!(
        errors(&with("meals", Some(bad))),
        vec![
            "meals.days_ahead: must be a whole number from 0 to 14",
            "meals.slots[0].cutoff: \"9.30\" is not a time; write it like 09:30",
            "meals.slots[1].id: \"lunch\" appears more than once",
            "meals.slots[1].cutoff: \"24:00\" is not a time; write it like 09:30",
            "meals.tiers[0].subsidy: must have exactly one of fixed (an amount in fen) or percent (0–100)",
            "meals.tiers[1].subsidy.percent: must be a whole number from 0 to 100",
        ]
    );
}

#[test]
fn meals_scenario_needs_its_section() {
    assert_eq!(
        single_error(&with("meals", None)),
        "meals: the meals scenario is enabled, so a meals section (slots, cut-offs, subsidy tiers) is needed"
    );
}

#[test]
fn times_parse_and_format() {
    assert_eq!(parse_time("09:30"), Some(570));
    assert_eq!(parse_time("9:05"), Some(545));
    assert_eq!(parse_time("23:59"), Some(1439));
    for bad in ["24:00", "12:60", "12", "12:5", "ab:cd", ":30", "123:00"] {
        assert_eq!(parse_time(bad), None, "{bad}");
    }
    assert_eq!(format_time(570), "09:30");
}

#[cfg(feature = "feedback")]
#[test]
fn feedback_section_is_read_with_defaults_and_the_calendar() {
    let c = parse(VALID).unwrap();
    let f = c.feedback.unwrap();
    assert_eq!(f.handlers.len(), 2);
    assert_eq!(f.handlers[1].kind, HandlerKind::Grid);
    assert_eq!(
        f.category("lighting").unwrap().handler.as_deref(),
        Some("property")
    );
    assert_eq!(f.limits("other"), DEFAULT_LIMITS);
    assert_eq!(f.limits("gone"), DEFAULT_LIMITS);
    assert_eq!(f.places, ["1幢", "南门"]);
    assert_eq!(f.calendar.holidays.len(), 1);
    assert_eq!(f.calendar.workdays.len(), 1);
}

#[cfg(feature = "feedback")]
#[test]
fn feedback_is_required_when_offered_and_its_problems_are_located() {
    assert_eq!(
        single_error(&with("feedback", None)),
        "feedback: the feedback scenario is enabled, so a feedback section (handlers, categories) is needed"
    );
    let bad = r#"{"handlers": [{"id": "property", "name": "物业"}],
                  "categories": [{"id": "lighting", "name": "路灯", "handler": "police"}],
                  "holidays": ["2026-13-01"]}"#;
    let errs = errors(&with("feedback", Some(bad)));
    assert!(
        errs.iter()
            .any(|e| e.starts_with("feedback.categories[0].handler:") && e.contains("police")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.starts_with("feedback.holidays[0]:")),
        "{errs:?}"
    );
    let over = r#"{"handlers": [{"id": "a", "name": "甲"}], "categories": [{"id": "x", "name": "乙", "limits": {"reply": 61}}]}"#;
    assert!(single_error(&with("feedback", Some(over)))
        .starts_with("feedback.categories[0].limits.reply:"));
}

#[test]
fn the_evaluation_section_is_optional_and_checked() {
    let c = parse(&with("evaluation", None)).unwrap();
    assert_eq!(
        (c.evaluation.period_days, c.evaluation.min_ratings),
        (30, 5)
    );
    let c = parse(&with(
        "evaluation",
        Some(r#"{"period_days": 7, "min_ratings": 3}"#),
    ))
    .unwrap();
    assert_eq!((c.evaluation.period_days, c.evaluation.min_ratings), (7, 3));
    let e = errors(&with("evaluation", Some(r#"{"period_days": 0, "min": 3}"#)));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(
        e.iter().any(|e| e.contains("evaluation.period_days")),
        "{e:#?}"
    );
    assert!(e.iter().any(|e| e.contains("evaluation.min")), "{e:#?}");
}
