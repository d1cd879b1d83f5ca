//! Forms on the server (issue 15): an XLSForm imported from `.xlsx` and from CSV into
//! the same form, an unsupported feature refused at its place, a form published by an
//! organisation and answered from a phone through the outbox path (once, hidden
//! answers blank), its answers counted and exported (repeats in their own CSV), a
//! respondent's answer deleted on request (audited), and another organisation kept out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use common::meals::{envelope, refusal};
use common::*;
use linli_core::forms::xlsform::{import, ImportProblem};
use linli_core::json::{self, Value};
use linli_core::sync::wire::SubmissionId;
use linli_core::Role;
use linli_server::app::Site;
use linli_server::forms::import::{read_csv, read_xlsx};
use linli_server::{router, Actor, AppState, Store};

const T: i64 = 1_796_083_200_000;
const FIXTURES: &str = "tests/fixtures/forms";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

fn csv_sheets() -> Vec<linli_core::forms::xlsform::Sheet> {
    ["survey", "choices", "settings"]
        .into_iter()
        .map(|n| read_csv(n, &fixture(&format!("{n}.csv"))).unwrap())
        .collect()
}

#[test]
fn an_xlsform_reads_the_same_from_xlsx_and_from_its_sheets_as_csv() {
    let from_xlsx = import(&read_xlsx(&fixture("household.xlsx")).unwrap(), "f", "x").unwrap();
    let from_csv = import(&csv_sheets(), "f", "x").unwrap();
    assert_eq!(from_xlsx, from_csv);
    // A version typed as a number and TRUE typed as a truth value read as text.
    assert_eq!(from_xlsx.version, "2026120101");
    assert!(from_xlsx.field("tenure").unwrap().required);
    assert_eq!(from_xlsx.field("members").unwrap().fields.len(), 3);
    assert_eq!(from_xlsx.title.en, "Household survey");
}

#[test]
fn an_unsupported_type_in_a_csv_sheet_is_refused_at_its_row() {
    let mut sheets = csv_sheets();
    let text = String::from_utf8(fixture("survey.csv"))
        .unwrap()
        .replace("integer,size,", "geopoint,size,");
    sheets[0] = read_csv("survey", text.as_bytes()).unwrap();
    let errors = import(&sheets, "f", "x").unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].row, errors[0].column.as_str()), (6, "type"));
    assert_eq!(
        errors[0].problem,
        ImportProblem::UnsupportedType("geopoint".into())
    );
    assert!(read_xlsx(b"not a workbook").is_err());
}

struct Town {
    store: Arc<Store>,
    app: Router,
    token: String,
    _db: TestDb,
}

async fn town() -> Town {
    town_built(None).await
}

/// A town whose server serves the build in `build` (the designer's page).
async fn town_built(build: Option<std::path::PathBuf>) -> Town {
    let db = temp_db();
    let store = open_store(&db).await;
    let clock = TestClock::at(T);
    let text = std::fs::read_to_string("../examples/qingshan/config.json").unwrap();
    let config = linli_core::config::parse(&text).unwrap();
    let site = Site::fixed(config);
    let site = Arc::new(match build {
        Some(dir) => site.with_build(dir),
        None => site,
    });
    let app = router(AppState {
        clock: clock.clock(),
        scenarios: linli_server::scenarios::registered(&site, Vec::new()),
        site,
        ..AppState::new(store.clone())
    });
    let sys = Actor::system();
    let unit = store
        .add_unit("3幢401", "3幢", &sys, T - 86_400_000)
        .await
        .unwrap();
    let code = store.issue_code(unit, &sys, T).await.unwrap();
    let (status, v) = call(
        &app,
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{code}", "device": "forms-phone"}}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v:?}");
    Town {
        store,
        app,
        token: field(&v, "token"),
        _db: db,
    }
}

async fn answer(t: &Town, id: &SubmissionId, version: u32, answers: &str) -> (StatusCode, Value) {
    let payload = format!(r#"{{"form": "household", "version": {version}, "answers": {answers}}}"#);
    let body = envelope(id, "form_answer", json::from_str(&payload).unwrap(), T);
    call(&t.app, post("/api/v1/submissions", Some(&t.token), &body)).await
}

/// The form's row id, from the page the import redirected to.
fn id_from(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_organisation_imports_publishes_collects_exports_and_deletes_on_request() {
    let t = town().await;
    let org = staff(&t.store, "shegong", Role::Organisation, T).await;
    // Import the workbook.
    let xlsx = fixture("household.xlsx");
    let (status, headers, body) = fetch(
        &t.app,
        multipart_post(
            "/staff/forms/import",
            &org,
            &[("xlsx", Some("household.xlsx"), &xlsx)],
            true,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let form = id_from(headers["location"].to_str().unwrap());
    // Not yet published: residents see no form, and an answer is refused.
    let (status, v) = call(&t.app, get("/api/v1/forms", Some(&t.token))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json::to_string(&v), r#"{"forms":[]}"#);
    let first = SubmissionId::from_random([1; 16]);
    let (status, v) = answer(&t, &first, 1, r#"{"room": "3幢401"}"#).await;
    assert_eq!(refusal(status, &v).0, "form_closed");
    // Publish.
    let (status, _, body) = fetch(
        &t.app,
        page_post(&format!("/staff/forms/{form}/publish"), &org, ""),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("已发布第 1 版"), "{body}");
    // The same draft published again (a second tap) is still version 1.
    let (_, _, again) = fetch(
        &t.app,
        page_post(&format!("/staff/forms/{form}/publish"), &org, ""),
    )
    .await;
    assert!(again.contains("已发布第 1 版"), "{again}");
    let (_, v) = call(&t.app, get("/api/v1/forms", Some(&t.token))).await;
    assert!(json::to_string(&v).contains(r#""version":"1""#), "{v:?}");
    // A bad answer is refused with the question and the reason, in Chinese.
    let (status, v) = answer(
        &t,
        &first,
        1,
        r#"{"room": "三幢", "tenure": "own", "size": "1"}"#,
    )
    .await;
    let (rule, message) = refusal(status, &v);
    assert_eq!(rule, "form_invalid");
    assert!(
        message.contains("home/room") && message.contains("以楼号开头"),
        "{message}"
    );
    // A good one, with a story typed while "other" was picked and then unpicked.
    let good = r#"{"room": "3幢401", "tenure": "rent", "size": "2", "needs": "meal",
        "story": "typed then hidden",
        "members": [{"member_name": "老伴", "member_age": "70"}]}"#;
    let (status, v) = answer(&t, &first, 1, good).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    // The same submission again (its acknowledgement lost): stored once.
    let (status, _) = answer(&t, &first, 1, good).await;
    assert_eq!(status, StatusCode::OK);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM form_answers")
        .fetch_one(t.store.pool())
        .await
        .unwrap();
    assert_eq!(rows, 1);
    assert!(
        scan(&t.store, "typed then hidden").await.is_empty(),
        "a hidden answer is kept nowhere"
    );
    // Counts and the exports.
    let (status, _, page) = fetch(
        &t.app,
        page_get(&format!("/staff/forms/{form}/answers"), &org),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("共 1 份回答") && page.contains("<svg"),
        "{page}"
    );
    let (_, _, csv) = fetch(
        &t.app,
        page_get(&format!("/staff/forms/{form}/answers.csv"), &org),
    )
    .await;
    let mut lines = csv.lines();
    let head = lines.next().unwrap();
    assert!(
        head.contains("room") && head.ends_with("needs,story"),
        "{head}"
    );
    let row = lines.next().unwrap();
    assert!(
        row.contains("3幢401") && row.ends_with("meal,"),
        "story blank: {row}"
    );
    assert_eq!(lines.next(), None);
    let (_, _, members) = fetch(
        &t.app,
        page_get(&format!("/staff/forms/{form}/repeats/1.csv"), &org),
    )
    .await;
    assert!(
        members.contains(&format!("{},1,老伴,70,1", first.as_str())),
        "{members}"
    );
    // Another organisation sees neither the form nor its answers.
    let other = staff(&t.store, "other_org", Role::Organisation, T).await;
    let (status, _, _) = fetch(
        &t.app,
        page_get(&format!("/staff/forms/{form}/answers.csv"), &other),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, list) = fetch(&t.app, page_get("/staff/forms", &other)).await;
    assert!(!list.contains("入户调查"), "{list}");
    // Deleted on request, audited.
    let (status, _, page) = fetch(
        &t.app,
        page_post(
            &format!("/staff/forms/{form}/answers/{}/delete", first.as_str()),
            &org,
            "",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("这份回答已删除"));
    assert!(scan(&t.store, "3幢401")
        .await
        .iter()
        .all(|(c, _)| !c.starts_with("form_answers")));
    let audit = t.store.audit_entries().await.unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "forms.answer.deleted" && e.subject == first.as_str()));
    // Closed: answers refused.
    fetch(
        &t.app,
        page_post(&format!("/staff/forms/{form}/close"), &org, ""),
    )
    .await;
    let (status, v) = answer(&t, &SubmissionId::from_random([2; 16]), 1, good).await;
    assert_eq!(refusal(status, &v).0, "form_closed");
}

#[tokio::test]
async fn a_form_with_problems_is_not_published_and_an_import_error_is_shown_at_its_place() {
    let t = town().await;
    let org = staff(&t.store, "shegong", Role::Organisation, T).await;
    let survey = String::from_utf8(fixture("survey.csv"))
        .unwrap()
        .replace("${size} > 1", "${household_size} > 1");
    let (status, _, body) = fetch(
        &t.app,
        multipart_post(
            "/staff/forms/import",
            &org,
            &[
                ("survey", Some("survey.csv"), survey.as_bytes()),
                ("choices", Some("choices.csv"), &fixture("choices.csv")),
            ],
            true,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("没有导入") && body.contains("household_size"),
        "{body}"
    );
    // A new blank form, then a JSON with a skip rule reading a missing question.
    let (status, headers, _) = fetch(
        &t.app,
        page_post("/staff/forms", &org, "title=%E8%B0%83%E6%9F%A5&id=survey_1"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let form = id_from(headers["location"].to_str().unwrap());
    let bad = r#"{"format":1,"id":"survey_1","version":"0","title":{"zh":"调查"},"fields":[{"name":"a","type":"text","label":{"zh":"甲"},"relevant":"${b} = 1"}]}"#;
    let (status, _, page) = fetch(
        &t.app,
        multipart_post(
            &format!("/staff/forms/{form}/json"),
            &org,
            &[("json", None, bad.as_bytes())],
            true,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("用到的题目“b”不存在"), "{page}");
    let (status, _, page) = fetch(
        &t.app,
        page_post(&format!("/staff/forms/{form}/publish"), &org, ""),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("表单还有问题，没有发布"));
    // A kitchen account may not open forms at all.
    let cook = staff(&t.store, "cook", Role::Kitchen, T).await;
    let (status, _, _) = fetch(&t.app, page_get("/staff/forms", &cook)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_designer_saves_only_over_the_draft_it_loaded_and_serves_its_page_with_its_own_policy()
{
    let dir = temp_dir();
    let builder = dir.join(linli_site::DESIGNER_DIR);
    std::fs::create_dir_all(&builder).unwrap();
    let start = "import init from '/builder/b.js'; init();";
    std::fs::write(
        builder.join("index.html"),
        format!("<!doctype html><title>x</title><script type=module>{start}</script>"),
    )
    .unwrap();
    let t = town_built(Some(dir.to_path_buf())).await;
    let org = staff(&t.store, "shegong", Role::Organisation, T).await;
    let (status, headers, _) = fetch(
        &t.app,
        page_post("/staff/forms", &org, "title=%E8%B0%83%E6%9F%A5&id=survey_1"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let form = id_from(headers["location"].to_str().unwrap());

    // The page: the build's own, allowed to run exactly its start-up script and WASM.
    let (status, headers, page) = fetch(
        &t.app,
        page_get(&format!("/staff/forms/{form}/build"), &org),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(start));
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.contains(&linli_site::csp::hash_source(start))
            && policy.contains("'wasm-unsafe-eval'")
            && policy.contains("frame-ancestors 'none'")
            && !policy.contains("unsafe-inline"),
        "{policy}"
    );
    assert_eq!(headers["cache-control"], "no-store");

    // What it starts from: the draft, its time of change and the session's token.
    let (status, _, text) = fetch(
        &t.app,
        page_get(&format!("/staff/forms/{form}/draft.json"), &org),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let v = json::from_str(&text).unwrap();
    let loaded = number(&v, "updated_at");
    assert_eq!(field(&v, "csrf"), org.csrf);
    assert_eq!(field(&v, "today"), "2026-12-01");
    let mut draft = linli_core::forms::form::Form::from_value(member(&v, "form")).unwrap();

    // A skip rule picked in the designer, saved over the draft it loaded.
    let mut age =
        linli_core::forms::form::Field::new("age", linli_core::forms::form::Type::Integer, "年龄");
    age.required = true;
    draft.fields.insert(0, age);
    let rule = linli_core::forms::rule::Rule {
        any: false,
        conditions: vec![linli_core::forms::rule::Condition {
            field: "age".into(),
            compare: linli_core::forms::rule::Compare::GreaterOrEqual,
            value: "60".into(),
        }],
    };
    draft.fields[1].relevant = rule.expression(&draft);
    let save = |json: String, since: String| {
        multipart_post(
            &format!("/staff/forms/{form}/draft"),
            &org,
            &[
                ("json", None, json.into_bytes().leak()),
                ("updated_at", None, since.into_bytes().leak()),
            ],
            true,
        )
    };
    let text_of = |f: &linli_core::forms::form::Form| json::to_string(&f.to_value());
    let (status, v) = call(&t.app, save(text_of(&draft), loaded.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let saved = number(&v, "updated_at");
    assert!(saved > loaded);
    let row = t.store.forms_get(form).await.unwrap().unwrap();
    assert_eq!(
        row.draft.fields[1].relevant.as_deref(),
        Some("${age} >= 60")
    );

    // A second tab still holding the first load is refused, and nothing changes.
    let mut other = draft.clone();
    other.fields.clear();
    let (status, v) = call(&t.app, save(text_of(&other), loaded.to_string())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v:?}");
    assert!(field(&v, "error").contains("没有保存"), "{v:?}");
    let row = t.store.forms_get(form).await.unwrap().unwrap();
    assert_eq!(row.draft.fields.len(), 2);
    // Not JSON: refused with why, in the member's language.
    let (status, v) = call(&t.app, save("{".into(), saved.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&v, "error").starts_with("JSON 有误"), "{v:?}");
    // Without the session's token nothing is stored.
    let (status, _, _) = fetch(
        &t.app,
        multipart_post(
            &format!("/staff/forms/{form}/draft"),
            &org,
            &[("json", None, text_of(&other).as_bytes())],
            false,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Published from the saved draft.
    let (status, _, page) = fetch(
        &t.app,
        page_post(&format!("/staff/forms/{form}/publish"), &org, ""),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("已发布第 1 版"), "{page}");

    // Another organisation is not told the form exists; a kitchen may not design.
    let other_org = staff(&t.store, "yigong", Role::Organisation, T).await;
    for path in ["build", "draft.json"] {
        let (status, _, _) = fetch(
            &t.app,
            page_get(&format!("/staff/forms/{form}/{path}"), &other_org),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let cook = staff(&t.store, "cook", Role::Kitchen, T).await;
    let (status, _, _) = fetch(
        &t.app,
        page_get(&format!("/staff/forms/{form}/draft.json"), &cook),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_a_built_designer_its_page_says_so_and_the_json_route_still_works() {
    let t = town().await;
    let org = staff(&t.store, "shegong", Role::Organisation, T).await;
    let (_, headers, _) = fetch(
        &t.app,
        page_post("/staff/forms", &org, "title=%E8%B0%83%E6%9F%A5&id=survey_1"),
    )
    .await;
    let form = id_from(headers["location"].to_str().unwrap());
    let (status, headers, page) = fetch(
        &t.app,
        page_get(&format!("/staff/forms/{form}/build"), &org),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.contains("没有构建表单设计器"), "{page}");
    // The console's own strict policy, not a build's.
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("script-src 'self';"), "{policy}");
}

fn member<'v>(v: &'v Value, key: &str) -> &'v Value {
    match v {
        Value::Object(m) => &m.iter().find(|(k, _)| k == key).unwrap().1,
        _ => panic!("not an object: {v:?}"),
    }
}

fn number(v: &Value, key: &str) -> i64 {
    match member(v, key) {
        Value::Number(n) => *n as i64,
        other => panic!("{key}: {other:?}"),
    }
}
