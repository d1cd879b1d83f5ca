//! The form model, its JSON and the validator, on one survey that uses every type.

use super::answers::{
    calculated, clean, is_shown, validate, Answer, Answers, FieldError, FieldProblem, Patterns,
};
use super::definition::{check_form, Column, DefinitionProblem};
use super::form::{Choice, Field, Form, Limit, Pattern, Text, Type};
use crate::date::Date;
use crate::json;
use crate::Lang;

/// Patterns of the tests: "digits only" and "starts with 3幢" by hand, anything else
/// is not a pattern (as a regex engine would refuse it).
struct Simple;

impl Patterns for Simple {
    fn matches(&self, regex: &str, text: &str) -> Option<bool> {
        match regex {
            "^[0-9]+$" => Some(text.bytes().all(|b| b.is_ascii_digit())),
            "^3幢" => Some(text.starts_with("3幢")),
            _ => None,
        }
    }
}

const TODAY: &str = "2026-12-01";

fn choice(name: &str, zh: &str) -> Choice {
    Choice {
        name: name.into(),
        label: Text::zh(zh),
    }
}

/// 长者需求调查: every type, skip logic, a constraint, a calculation, a repeat and a
/// question after it.
fn survey() -> Form {
    let mut age = Field::new("age", Type::Integer, "您的年龄");
    age.required = true;
    age.min = Some(Limit::Number(60.0));
    age.max = Some(Limit::Number(120.0));
    let mut needs = Field::new("needs", Type::SelectMultiple, "需要哪些服务");
    needs.choices = vec![
        choice("meal", "助餐"),
        choice("visit", "上门探访"),
        choice("walk", "陪同散步"),
    ];
    needs.max = Some(Limit::Number(2.0));
    let mut visits = Field::new("visits", Type::Integer, "每周探访几次");
    visits.relevant = Some("selected(${needs}, 'visit')".into());
    visits.required = true;
    visits.constraint = Some(". >= 1 and . <= 7".into());
    visits.constraint_message = Some(Text {
        zh: "一周 1 到 7 次".into(),
        en: "1 to 7 a week".into(),
    });
    let mut double = Field::new("double_visits", Type::Calculate, "");
    double.calculation = Some("${visits} * 2".into());
    let mut code = Field::new("room", Type::Text, "门牌号");
    code.pattern = Some(Pattern {
        regex: "^3幢".into(),
        message: Text::zh("门牌号以“3幢”开头"),
    });
    code.max = Some(Limit::Number(20.0));
    let mut since = Field::new("since", Type::Date, "何时开始独居");
    since.max = Some(Limit::Date(Date::parse(TODAY).unwrap()));
    let mut kind = Field::new("housing", Type::SelectOne, "住房");
    kind.choices = vec![choice("own", "自有"), choice("rent", "租住")];
    let mut member_age = Field::new("member_age", Type::Integer, "年龄");
    member_age.required = true;
    let mut elder = Field::new("member_elder", Type::Calculate, "");
    elder.calculation = Some("if(${member_age} >= 60, 'yes', 'no')".into());
    let mut member_phone = Field::new("member_phone", Type::Phone, "电话");
    member_phone.relevant = Some("${member_age} >= 18".into());
    let mut members = Field::new("members", Type::Repeat, "同住的家人");
    members.max = Some(Limit::Number(3.0));
    members.fields = vec![
        Field::new("member_name", Type::Text, "称呼"),
        member_age,
        elder,
        member_phone,
    ];
    let mut group = Field::new("living", Type::Group, "居住情况");
    group.fields = vec![kind, since];
    Form {
        id: "needs_2026".into(),
        version: "1".into(),
        title: Text {
            zh: "长者需求调查".into(),
            en: "Elders' needs".into(),
        },
        description: Some(Text::zh("用于安排助餐和探访")),
        fields: vec![
            Field::new("intro", Type::Note, "请老人或家属填写"),
            age,
            needs,
            visits,
            double,
            code,
            group,
            Field::new("arrived", Type::Time, "几点到家"),
            Field::new("alone", Type::YesNo, "是否独居"),
            Field::new("mood", Type::Rating, "心情"),
            Field::new("weight", Type::Decimal, "体重（公斤）"),
            Field::new("story", Type::LongText, "想说的话"),
            members,
            Field::new("after", Type::Text, "最后一题"),
        ],
    }
}

fn answers(pairs: &[(&str, &str)]) -> Answers {
    Answers(
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), Answer::Value((*v).to_owned())))
            .collect(),
    )
}

fn problems(form: &Form, a: &Answers) -> Vec<(String, FieldProblem)> {
    validate(form, a, TODAY, &Simple)
        .into_iter()
        .map(|FieldError { path, problem }| (path, problem))
        .collect()
}

#[test]
fn the_survey_is_a_sound_definition_and_its_json_reads_back_the_same() {
    let form = survey();
    assert_eq!(check_form(&form), Vec::new());
    let text = json::to_string(&form.to_value());
    let back = Form::from_value(&json::from_str(&text).unwrap()).unwrap();
    assert_eq!(back, form);
}

#[test]
fn json_errors_say_where_and_unknown_members_are_refused() {
    let bad = r#"{"format":1,"id":"f","version":"1","title":{"zh":"表"},
        "fields":[{"name":"a","type":"text","label":{"zh":"甲"}},
                  {"name":"b","type":"select_one","label":{"zh":"乙"},
                   "choices":[{"name":"x","label":{"zh":""}}]}]}"#;
    let e = Form::from_value(&json::from_str(bad).unwrap()).unwrap_err();
    assert_eq!(e.field, "fields[1].choices[0].label.zh");
    let unknown = r#"{"format":1,"id":"f","version":"1","title":{"zh":"表"},
        "fields":[{"name":"a","type":"text","label":{"zh":"甲"},"appearance":"multiline"}]}"#;
    let e = Form::from_value(&json::from_str(unknown).unwrap()).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.message.as_str()),
        ("fields[0].appearance", "unknown field")
    );
    let later = r#"{"format":2,"id":"f","version":"1","title":{"zh":"表"},"fields":[]}"#;
    assert_eq!(
        Form::from_value(&json::from_str(later).unwrap())
            .unwrap_err()
            .field,
        "format"
    );
    let kind = r#"{"format":1,"id":"f","version":"1","title":{"zh":"表"},
        "fields":[{"name":"a","type":"geopoint","label":{"zh":"甲"}}]}"#;
    let e = Form::from_value(&json::from_str(kind).unwrap()).unwrap_err();
    assert_eq!(e.field, "fields[0].type");
    assert!(e.message.contains("geopoint"), "{e}");
}

#[test]
fn columns_that_do_not_fit_their_type_are_located() {
    let mut form = survey();
    form.fields[1].choices = vec![choice("x", "甲")]; // age: an integer with choices
    form.fields[2].choices.push(choice("meal", "又是助餐")); // needs: twice
    form.fields[5].min = Some(Limit::Date(Date::parse(TODAY).unwrap())); // room: a date on a length
    form.fields[7].pattern = form.fields[5].pattern.clone(); // arrived: a pattern on a time
    form.fields[6].fields.clear(); // living: an empty group
    form.fields[10].min = Some(Limit::Number(90.0)); // weight 90..
    form.fields[10].max = Some(Limit::Number(30.0)); // ..30
    let found: Vec<(String, &str, DefinitionProblem)> = check_form(&form)
        .into_iter()
        .map(|e| (e.path, e.column.id(), e.problem))
        .collect();
    assert_eq!(
        found,
        [
            ("age".into(), "choices", DefinitionProblem::NotForType),
            (
                "needs".into(),
                "choices",
                DefinitionProblem::DuplicateChoice("meal".into())
            ),
            ("room".into(), "min", DefinitionProblem::BadLimit),
            ("living".into(), "fields", DefinitionProblem::NoFields),
            ("arrived".into(), "pattern", DefinitionProblem::NotForType),
            ("weight".into(), "min", DefinitionProblem::MinAboveMax),
        ]
    );
    assert_eq!(Column::Min.id(), "min");
}

#[test]
fn a_complete_answer_passes_and_every_type_refuses_what_it_is_not() {
    let form = survey();
    let good = answers(&[
        ("age", "72"),
        ("needs", "meal visit"),
        ("visits", "3"),
        ("room", "3幢2单元401"),
        ("housing", "rent"),
        ("since", "2020-05-01"),
        ("arrived", "17:30"),
        ("alone", "yes"),
        ("mood", "4"),
        ("weight", "61.5"),
        ("story", "希望有人陪我下棋"),
    ]);
    assert_eq!(problems(&form, &good), []);
    let with = |name: &str, value: &str| {
        let mut a = good.clone();
        a.set(name, Answer::Value(value.into()));
        problems(&form, &a)
    };
    let one = |name: &str, p: FieldProblem| vec![(name.to_owned(), p)];
    assert_eq!(with("age", ""), one("age", FieldProblem::Required));
    assert_eq!(with("age", "七十"), one("age", FieldProblem::NotInteger));
    assert_eq!(with("age", "72.5"), one("age", FieldProblem::NotInteger));
    assert_eq!(
        with("age", "59"),
        one("age", FieldProblem::BelowMin("60".into()))
    );
    assert_eq!(
        with("age", "121"),
        one("age", FieldProblem::AboveMax("120".into()))
    );
    assert_eq!(with("weight", "6x"), one("weight", FieldProblem::NotNumber));
    assert_eq!(
        with("weight", "1e3"),
        one("weight", FieldProblem::NotNumber),
        "no exponents"
    );
    assert_eq!(
        with("needs", "meal fly"),
        one("needs", FieldProblem::NotAChoice("fly".into()))
    );
    assert_eq!(
        with("needs", "meal meal"),
        one("needs", FieldProblem::ChoiceTwice("meal".into()))
    );
    assert_eq!(
        with("needs", "meal walk visit"),
        one("needs", FieldProblem::TooManyChoices("2".into()))
    );
    assert_eq!(
        with("housing", "hotel"),
        one("living/housing", FieldProblem::NotAChoice("hotel".into()))
    );
    assert_eq!(
        with("since", "2020-02-30"),
        one("living/since", FieldProblem::NotDate)
    );
    assert_eq!(
        with("since", "2027-01-01"),
        one("living/since", FieldProblem::AboveMax(TODAY.into()))
    );
    assert_eq!(
        with("arrived", "24:00"),
        one("arrived", FieldProblem::NotTime)
    );
    assert_eq!(with("alone", "maybe"), one("alone", FieldProblem::NotYesNo));
    assert_eq!(
        with("mood", "6"),
        one("mood", FieldProblem::AboveMax("5".into()))
    );
    assert_eq!(
        with("room", "5幢"),
        one("room", FieldProblem::Pattern(Text::zh("门牌号以“3幢”开头")))
    );
    assert_eq!(
        with("room", &"3幢".repeat(11)),
        one("room", FieldProblem::TooLong("20".into()))
    );
    assert_eq!(
        with("visits", "9"),
        one(
            "visits",
            FieldProblem::Constraint(Some(Text {
                zh: "一周 1 到 7 次".into(),
                en: "1 to 7 a week".into()
            }))
        )
    );
    assert_eq!(with("nowhere", "1"), one("nowhere", FieldProblem::Unknown));
    // Messages read as a resident would read them.
    assert_eq!(
        FieldProblem::BelowMin("60".into()).message(Lang::ZhCn),
        "不能小于 60"
    );
    assert_eq!(
        FieldProblem::Constraint(None).message(Lang::En),
        "This answer does not meet the form's rule: please check it"
    );
}

#[test]
fn a_hidden_field_is_not_checked_counts_as_empty_and_is_not_kept() {
    let form = survey();
    // Visits typed while "visit" was picked, then "visit" unpicked.
    let a = answers(&[("age", "72"), ("needs", "meal"), ("visits", "99")]);
    assert_eq!(
        problems(&form, &a),
        [],
        "a hidden field's answer is not checked"
    );
    assert!(!is_shown(&form, &a, "visits", TODAY));
    assert_eq!(
        calculated(&form, &a, "double_visits", TODAY),
        "",
        "never the answer typed before it was hidden"
    );
    let kept = clean(&form, &a, TODAY);
    assert_eq!(kept, answers(&[("age", "72"), ("needs", "meal")]));
    // Shown again, it counts.
    let b = answers(&[("age", "72"), ("needs", "meal visit"), ("visits", "3")]);
    assert!(is_shown(&form, &b, "visits", TODAY));
    assert_eq!(calculated(&form, &b, "double_visits", TODAY), "6");
}

#[test]
fn repeats_are_checked_per_answer_set_with_their_own_skip_logic() {
    let form = survey();
    let member = |name: &str, age: &str, phone: &str| {
        answers(&[
            ("member_name", name),
            ("member_age", age),
            ("member_phone", phone),
        ])
    };
    let mut a = answers(&[("age", "80")]);
    a.set(
        "members",
        Answer::Repeat(vec![
            member("女儿", "45", "138 1234 5678"),
            member("孙子", "9", "abc"),
            member("老伴", "", ""),
        ]),
    );
    assert_eq!(
        problems(&form, &a),
        [("members[3]/member_age".to_owned(), FieldProblem::Required)],
        "the child's phone is hidden by its own answer set's age, so not checked"
    );
    let kept = clean(&form, &a, TODAY);
    let sets = kept.repeat("members");
    assert_eq!(sets[0].text("member_phone"), "13812345678", "normalised");
    assert_eq!(
        sets[1].get("member_phone"),
        None,
        "hidden in that set: no answer"
    );
    let mut four = a.clone();
    four.set("members", Answer::Repeat(vec![member("甲", "70", ""); 4]));
    assert_eq!(
        problems(&form, &four),
        [(
            "members".to_owned(),
            FieldProblem::TooManyRepeats("3".into())
        )]
    );
    // JSON round trip of answers with a repeat.
    let back =
        Answers::from_value(&json::from_str(&json::to_string(&a.to_value())).unwrap()).unwrap();
    assert_eq!(back.repeat("members").len(), 3);
    let bad = json::from_str(r#"{"members":[{"member_age":3}]}"#).unwrap();
    assert_eq!(
        Answers::from_value(&bad).unwrap_err().field,
        "members[0].member_age"
    );
}

#[test]
fn the_export_has_a_column_per_field_repeats_in_their_own_table_and_hidden_answers_blank() {
    use super::export::{tables, Submitted};
    let form = survey();
    let mut first = answers(&[
        ("age", "72"),
        ("needs", "meal"),
        ("visits", "5"),
        ("after", "谢谢"),
    ]);
    first.set(
        "members",
        Answer::Repeat(vec![
            answers(&[
                ("member_name", "女儿"),
                ("member_age", "45"),
                ("member_phone", "13812345678"),
            ]),
            answers(&[
                ("member_name", "孙子"),
                ("member_age", "9"),
                ("member_phone", "13900000000"),
            ]),
        ]),
    );
    let second = answers(&[("age", "80"), ("needs", "visit"), ("visits", "2")]);
    let t = tables(
        &form,
        &[
            Submitted {
                id: "s-1",
                version: "1",
                at: "2026-12-01 09:30",
                answers: &first,
            },
            Submitted {
                id: "s-2",
                version: "2",
                at: "2026-12-01 10:00",
                answers: &second,
            },
        ],
        TODAY,
    );
    assert_eq!(t.len(), 2);
    let main = &t[0];
    assert_eq!(
        main.head,
        [
            "submission_id",
            "version",
            "submitted_at",
            "age",
            "needs",
            "visits",
            "double_visits",
            "room",
            "housing",
            "since",
            "arrived",
            "alone",
            "mood",
            "weight",
            "story",
            "members",
            "after"
        ]
    );
    let col = |row: &Vec<String>, name: &str| {
        row[main.head.iter().position(|h| h == name).unwrap()].clone()
    };
    assert_eq!(
        col(&main.rows[0], "visits"),
        "",
        "hidden by its skip rule: blank, not the 5 typed"
    );
    assert_eq!(col(&main.rows[0], "double_visits"), "");
    assert_eq!(col(&main.rows[0], "members"), "2");
    assert_eq!(
        col(&main.rows[0], "after"),
        "谢谢",
        "the field after the repeat keeps its column"
    );
    assert_eq!(col(&main.rows[1], "double_visits"), "4");
    let members = &t[1];
    assert_eq!(members.name, "members");
    assert_eq!(
        members.head,
        [
            "submission_id",
            "members_index",
            "member_name",
            "member_age",
            "member_elder",
            "member_phone"
        ]
    );
    assert_eq!(
        members.rows[0],
        ["s-1", "1", "女儿", "45", "no", "13812345678"]
    );
    assert_eq!(
        members.rows[1],
        ["s-1", "2", "孙子", "9", "no", ""],
        "a child's phone is hidden: blank"
    );
}

#[test]
fn a_field_inside_a_group_shown_by_that_field_is_a_cycle() {
    let mut group = Field::new("g", Type::Group, "组");
    group.relevant = Some("${x} = 1 or ${x} = 2".into());
    group.fields = vec![Field::new("x", Type::Integer, "甲")];
    let problems = check_form(&Form {
        fields: vec![group],
        ..survey()
    });
    assert!(
        problems
            .iter()
            .any(|p| p.path == "g/x" && matches!(p.problem, DefinitionProblem::Cycle(_))),
        "{problems:?}"
    );
}

#[test]
fn a_calculation_chain_that_doubles_at_every_step_ends_quickly() {
    // c1 = a + a, c2 = c1 + c1, …: 2^60 evaluations unbounded; the budget stops it.
    let mut fields = vec![Field::new("a", Type::Integer, "甲")];
    for i in 1..=60 {
        let mut c = Field::new(&format!("c{i}"), Type::Calculate, "");
        let before = if i == 1 {
            "a".to_owned()
        } else {
            format!("c{}", i - 1)
        };
        c.calculation = Some(format!("${{{before}}} + ${{{before}}}"));
        fields.push(c);
    }
    let form = Form { fields, ..survey() };
    assert_eq!(check_form(&form), []);
    let a = answers(&[("a", "1")]);
    assert_eq!(calculated(&form, &a, "c3", TODAY), "8");
    // The sixtieth is beyond the budget: empty, and the call returns.
    assert_eq!(calculated(&form, &a, "c60", TODAY), "");
}

#[test]
fn a_rating_has_stars_from_one_to_its_max_and_no_min() {
    let form = survey();
    let with = |v: &str| problems(&form, &answers(&[("age", "70"), ("mood", v)]));
    assert_eq!(
        with("0"),
        [("mood".to_owned(), FieldProblem::BelowMin("1".into()))]
    );
    assert_eq!(with("5"), []);
    assert_eq!(
        with("good"),
        [("mood".to_owned(), FieldProblem::NotInteger)]
    );
    let mut bad = survey();
    bad.fields[9].max = Some(Limit::Number(20.0));
    bad.fields[9].min = Some(Limit::Number(1.0));
    let found: Vec<(String, &str)> = check_form(&bad)
        .into_iter()
        .map(|e| (e.path, e.column.id()))
        .collect();
    assert_eq!(
        found,
        [("mood".to_owned(), "min"), ("mood".to_owned(), "max")]
    );
}
