use super::*;
use crate::forms::definition::Column;

/// A sheet from lines of `|`-separated cells.
fn grid(name: &str, lines: &[&str]) -> Sheet {
    Sheet {
        name: name.into(),
        rows: lines
            .iter()
            .map(|l| l.split('|').map(|c| c.trim().to_owned()).collect())
            .collect(),
    }
}

/// A household survey in two languages with a group, a repeat, skip logic, a
/// calculation, a pattern and a question after the repeat.
fn household() -> Vec<Sheet> {
    vec![
        grid(
            "survey",
            &[
                "type | name | label::中文 (zh) | label::English (en) | hint::中文 (zh) | required | relevant | constraint | constraint_message::中文 (zh) | calculation | appearance | $kuid",
                "begin_group | home | 住户 | Household | | | | | | | field-list | a1",
                "text | room | 门牌号 | Room | 如 3幢2单元401 | yes | | regex(., '^[0-9]+幢') | 以楼号开头 | | | a2",
                "select_one tenure | tenure | 住房 | Housing | | true | | | | | | a3",
                "end_group | | | | | | | | | | | a4",
                "integer | size | 几口人 | People | | yes | | . >= 1 and . <= 12 | 1 到 12 人 | | | a5",
                "begin repeat | members | 家人 | Members | | | ${size} > 1 | | | | | a6",
                "text | member_name | 称呼 | Name | | | | | | | | a7",
                "integer | member_age | 年龄 | Age | | yes | | | | | | a8",
                "calculate | member_elder | | | | | | | | if(${member_age} >= 60, 1, 0) | | a9",
                "end repeat | | | | | | | | | | | a10",
                "",
                "select_multiple needs | needs | 需要 | Needs | | | | | | | | a11",
                "text | story | 想说的话 | Anything else | | | selected(${needs}, 'other') | | | | multiline | a12",
            ],
        ),
        grid(
            "choices",
            &[
                "list_name | name | label::中文 (zh) | label::English (en)",
                "tenure | own | 自有 | Owned",
                "tenure | rent | 租住 | Rented",
                "needs | meal | 助餐 | Meals",
                "needs | other | 其他 | Other",
            ],
        ),
        grid(
            "settings",
            &["form_title::中文 (zh) | form_title::English (en) | form_id | version", "入户调查 | Household survey | household | 2026120101"],
        ),
    ]
}

#[test]
fn a_two_language_form_with_groups_repeats_and_skip_logic_is_imported_whole() {
    let form = import(&household(), "file.xlsx", "imported").unwrap();
    assert_eq!(
        (form.id.as_str(), form.version.as_str()),
        ("household", "2026120101")
    );
    assert_eq!(
        (form.title.zh.as_str(), form.title.en.as_str()),
        ("入户调查", "Household survey")
    );
    let names: Vec<String> = form.all_fields().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        names,
        [
            "home",
            "home/room",
            "home/tenure",
            "size",
            "members",
            "members/member_name",
            "members/member_age",
            "members/member_elder",
            "needs",
            "story"
        ]
    );
    let room = form.field("room").unwrap();
    assert!(room.required);
    assert_eq!(room.hint.as_ref().unwrap().zh, "如 3幢2单元401");
    let pattern = room.pattern.as_ref().unwrap();
    assert_eq!(
        (pattern.regex.as_str(), pattern.message.zh.as_str()),
        ("^[0-9]+幢", "以楼号开头")
    );
    assert_eq!(room.constraint, None, "the regex became the pattern");
    let tenure = form.field("tenure").unwrap();
    assert_eq!(tenure.choices.len(), 2);
    assert_eq!(tenure.choices[1].label.en, "Rented");
    let members = form.field("members").unwrap();
    assert_eq!(
        (members.kind, members.relevant.as_deref()),
        (Type::Repeat, Some("${size} > 1"))
    );
    assert_eq!(form.field("member_elder").unwrap().kind, Type::Calculate);
    assert_eq!(form.field("story").unwrap().kind, Type::LongText);
    assert_eq!(
        form.field("size")
            .unwrap()
            .constraint_message
            .as_ref()
            .unwrap()
            .zh,
        "1 到 12 人"
    );
    assert_eq!(crate::forms::definition::check_form(&form), []);
}

fn errors_of(sheets: &[Sheet]) -> Vec<(String, usize, String, ImportProblem)> {
    import(sheets, "f", "imported")
        .unwrap_err()
        .into_iter()
        .map(|e| (e.sheet, e.row, e.column, e.problem))
        .collect()
}

#[test]
fn each_unsupported_feature_is_refused_at_its_sheet_row_and_column() {
    let mut sheets = household();
    sheets[0].rows[0].push("repeat_count".into());
    sheets[0].rows[0].push("label::Français (fr)".into());
    sheets[0].rows[3][0] = "geopoint".into();
    sheets[0].rows[5][7] = "regex(., '^1') and jr:choice-name(., 'x')".into();
    sheets[0].rows[13][10] = "minimal".into();
    sheets[1].rows[0].push("filter".into());
    let found = errors_of(&sheets);
    assert_eq!(
        found
            .iter()
            .map(|(s, r, c, _)| (s.as_str(), *r, c.as_str()))
            .collect::<Vec<_>>(),
        [
            ("choices", 1, "filter"),
            ("survey", 1, "repeat_count"),
            ("survey", 1, "label::Français (fr)"),
            ("survey", 4, "type"),
            ("survey", 6, "constraint"),
            ("survey", 14, "appearance"),
        ]
    );
    assert_eq!(found[2].3, ImportProblem::UnsupportedLanguage("fr".into()));
    assert_eq!(
        found[3].3,
        ImportProblem::UnsupportedType("geopoint".into())
    );
    assert!(matches!(&found[4].3, ImportProblem::Expression(e) if e.at > 0));
    assert_eq!(
        found[5].3,
        ImportProblem::UnsupportedAppearance("minimal".into())
    );
}

#[test]
fn unbalanced_groups_unknown_lists_and_broken_references_are_located() {
    let mut sheets = household();
    sheets[0].rows[4][0] = "end_repeat".into(); // ends the group as a repeat
    sheets[0].rows[12][0] = "select_multiple wants".into();
    let found = errors_of(&sheets);
    let places: Vec<(usize, &ImportProblem)> = found.iter().map(|(_, r, _, p)| (*r, p)).collect();
    assert_eq!(
        places,
        [
            (2, &ImportProblem::NotEnded("home".into())),
            (5, &ImportProblem::UnmatchedEnd),
            (13, &ImportProblem::UnknownList("wants".into())),
        ]
    );
    let mut sheets = household();
    sheets[0].rows[6][6] = "${household_size} > 1".into();
    let found = errors_of(&sheets);
    assert_eq!(
        found,
        [(
            "survey".into(),
            7,
            Column::Relevant.id().into(),
            ImportProblem::Definition(crate::forms::definition::DefinitionProblem::Missing(
                "household_size".into()
            ))
        )]
    );
    assert_eq!(
        errors_of(&[]),
        [("survey".into(), 0, String::new(), ImportProblem::NoSheet)]
    );
}

#[test]
fn a_duplicate_name_is_reported_at_the_duplicates_row() {
    let mut sheets = household();
    sheets[0].rows[13][1] = "size".into(); // story renamed to an earlier question's name
    let found = errors_of(&sheets);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, 14);
    assert_eq!(
        found[0].3,
        ImportProblem::Definition(crate::forms::definition::DefinitionProblem::Duplicate(
            "size".into()
        ))
    );
}

#[test]
fn settings_ids_and_the_default_language_are_read_or_refused() {
    let mut sheets = household();
    sheets[2].rows[1][2] = "入户 调查".into();
    let found = errors_of(&sheets);
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2.as_str()),
        ("settings", 2, "form_id")
    );
    // English as the default language: a plain label is English.
    let sheets = vec![
        grid(
            "survey",
            &[
                "type | name | label | label::中文 (zh)",
                "text | who | Your name | 您的称呼",
            ],
        ),
        grid("settings", &["default_language", "English (en)"]),
    ];
    let form = import(&sheets, "f", "fallback").unwrap();
    let who = form.field("who").unwrap();
    assert_eq!(
        (who.label.zh.as_str(), who.label.en.as_str()),
        ("您的称呼", "Your name")
    );
    assert_eq!(form.id, "fallback");
}
