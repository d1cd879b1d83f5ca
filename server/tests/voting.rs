//! Owners' assembly voting on the server (issue 12): a whole vote from draft to a
//! published result that `vote tally` recomputes from the exported files, one ballot
//! per owner under concurrency, the window and its grace, paper ballots, the roster
//! and its corrections, and what owners may see.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use common::meals::{envelope, refusal};
use common::*;
use linli_core::json::{self, Value};
use linli_core::sync::wire::SubmissionId;
use linli_core::voting::{Ballot, Choice, Matter, Stage, Unit, VotingBoard};
use linli_core::Role;
use linli_server::app::Site;
use linli_server::voting::store::{Paper, RosterFix};
use linli_server::voting::{files, tally_json, NewVote, VoteError};
use linli_server::{router, Actor, AppState, Store};

/// The tests' now (as `common::T0`).
const T: i64 = 1_796_083_200_000;
const HOUR: i64 = 3_600_000;
const MIN: i64 = 60_000;

const ROSTER: &str = "房号,业主,面积,开发商持有\n\
1幢101,张三,89.56,否\n\
1幢102,张 三,60.00,否\n\
2幢201,李四,120.50,否\n\
3幢301,王五,95.00,否\n\
9幢901,,75.00,是\n\
9幢902,,80.00,是\n";

struct Estate {
    store: Arc<Store>,
    clock: TestClock,
    app: Router,
    /// Devices by household: 1幢101, 1幢102 (both 张三's), 2幢201, 3幢301, 5幢501
    /// (not on the roster) and 9幢901 (the developer's on the roster).
    tokens: Vec<(String, String)>,
    vote: i64,
    _db: TestDb,
}

impl Estate {
    fn token(&self, unit: &str) -> &str {
        &self.tokens.iter().find(|(u, _)| u == unit).unwrap().1
    }
}

fn app_state(store: Arc<Store>, clock: &TestClock) -> AppState {
    let text = std::fs::read_to_string("../examples/qingshan/config.json").unwrap();
    let config = linli_core::config::parse(&text).unwrap();
    let site = Arc::new(Site::fixed(config));
    AppState {
        clock: clock.clock(),
        scenarios: linli_server::scenarios::registered(&site, Vec::new()),
        site,
        ..AppState::new(store)
    }
}

/// An estate with its roster imported into a vote on `matter`, opened for voting from
/// T+1h to T+10h with a 15-minute grace.
async fn estate(matter: Matter, changes_allowed: bool, secret: bool) -> Estate {
    let db = temp_db();
    let store = open_store(&db).await;
    let sys = Actor::system();
    let clock = TestClock::at(T);
    let app = router(app_state(store.clone(), &clock));
    let mut tokens = Vec::new();
    for label in ["1幢101", "1幢102", "2幢201", "3幢301", "5幢501", "9幢901"] {
        let unit = store
            .add_unit(label, &label[..4], &sys, T - HOUR)
            .await
            .unwrap();
        let code = store.issue_code(unit, &sys, T).await.unwrap();
        let (status, v) = call(
            &app,
            post(
                "/api/v1/devices",
                None,
                &format!(r#"{{"code": "{code}", "device": "d{unit}"}}"#),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{v:?}");
        tokens.push((label.to_owned(), field(&v, "token")));
    }
    let vote = store
        .create_vote(
            &NewVote {
                title: "更换物业服务企业".into(),
                body: "拟解聘现物业公司。".into(),
                matter,
                secret,
                changes_allowed,
                silent_follow: false,
                grace_ms: 15 * MIN,
            },
            &sys,
            T,
        )
        .await
        .unwrap();
    let units = files::roster(ROSTER.as_bytes()).unwrap();
    store.import_roster(vote, &units, &sys, T).await.unwrap();
    store
        .advance_vote(
            vote,
            Stage::Voting,
            Some((T + HOUR, T + 10 * HOUR)),
            &sys,
            T,
        )
        .await
        .unwrap();
    Estate {
        store,
        clock,
        app,
        tokens,
        vote,
        _db: db,
    }
}

fn paper<'a>(unit: &'a str, choice: Choice, at: i64, replace: Option<&'a str>) -> Paper<'a> {
    Paper {
        unit,
        choice,
        collected_at: at,
        replace,
    }
}

fn ballot(id: &SubmissionId, vote: i64, choice: &str, made: i64) -> String {
    let payload = json::from_str(&format!(r#"{{"vote": {vote}, "choice": "{choice}"}}"#)).unwrap();
    envelope(id, "vote_ballot", payload, made)
}

fn id(n: u32) -> SubmissionId {
    let mut bytes = [7u8; 16];
    bytes[..4].copy_from_slice(&n.to_be_bytes());
    SubmissionId::from_random(bytes)
}

async fn cast(e: &Estate, unit: &str, n: u32, choice: &str, made: i64) -> (StatusCode, Value) {
    call(
        &e.app,
        post(
            "/api/v1/submissions",
            Some(e.token(unit)),
            &ballot(&id(n), e.vote, choice, made),
        ),
    )
    .await
}

/// Casts `choice` from `unit` two hours in (voting open) and answers the receipt the
/// household's board then shows.
async fn counted(e: &Estate, unit: &str, choice: &str) -> String {
    e.clock.set(T + 2 * HOUR);
    let (status, v) = cast(e, unit, 1, choice, T + 2 * HOUR).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    board(e, unit).await.votes[0]
        .ballot
        .clone()
        .unwrap()
        .receipt
}

async fn board(e: &Estate, unit: &str) -> VotingBoard {
    let (status, v) = call(&e.app, get("/api/v1/voting", Some(e.token(unit)))).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    VotingBoard::from_value(&v).unwrap()
}

/// A closed vote's `roster.csv` and `ballots.csv` from the staff pages, read as `vote
/// tally` reads them.
async fn exported(app: &Router, session: &Session, vote: i64) -> (Vec<Unit>, Vec<Ballot>) {
    let mut files = Vec::new();
    for file in ["roster", "ballots"] {
        let path = format!("/staff/voting/{vote}/{file}.csv");
        let (status, _, body) = fetch(app, page_get(&path, session)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        files.push(body);
    }
    (
        files::roster(files[0].as_bytes()).unwrap(),
        files::ballots(files[1].as_bytes(), linli_core::Lang::ZhCn).unwrap(),
    )
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_whole_vote_is_published_and_recomputed_from_its_exported_files() {
    let e = estate(Matter::PropertyManager, false, false).await;
    // Before the window: refused, nothing stored.
    let (status, v) = cast(&e, "2幢201", 1, "agree", T).await;
    assert_eq!(refusal(status, &v).0, "vote_not_open");
    e.clock.set(T + 2 * HOUR);
    assert_eq!(
        cast(&e, "1幢101", 2, "agree", T + 2 * HOUR).await.0,
        StatusCode::OK
    );
    assert_eq!(
        cast(&e, "2幢201", 3, "oppose", T + 2 * HOUR).await.0,
        StatusCode::OK
    );
    // A household not on the roster is refused.
    let (status, v) = cast(&e, "5幢501", 4, "agree", T + 2 * HOUR).await;
    assert_eq!(refusal(status, &v).0, "not_on_roster");
    // Live turnout, never choices.
    let b = board(&e, "3幢301").await;
    let vote = b.vote(e.vote).unwrap();
    assert_eq!((vote.turnout.owners, vote.turnout.of_owners), (2, 4));
    assert_eq!(vote.turnout.area, 8956 + 6000 + 12050);
    assert!(vote.result.is_none() && vote.ballot.is_none());
    // 张三's ballot shows on both of his units, with its receipt.
    let mine = board(&e, "1幢102").await;
    let receipt = mine.vote(e.vote).unwrap().ballot.clone().unwrap().receipt;
    assert_eq!(receipt.len(), 10);

    // Staff enter 王五's paper ballot; closing before the grace has passed is refused.
    let sys = Actor::staff("clerk", Role::Staff);
    e.store
        .enter_paper(
            e.vote,
            &paper("3幢301", Choice::Agree, T + 3 * HOUR, None),
            &sys,
            T + 3 * HOUR,
        )
        .await
        .unwrap();
    assert!(matches!(
        e.store
            .advance_vote(e.vote, Stage::Closed, None, &sys, T + 10 * HOUR + 10 * MIN)
            .await,
        Err(VoteError::StillOpen)
    ));
    e.store
        .advance_vote(e.vote, Stage::Closed, None, &sys, T + 10 * HOUR + 16 * MIN)
        .await
        .unwrap();
    e.store
        .advance_vote(e.vote, Stage::Published, None, &sys, T + 11 * HOUR)
        .await
        .unwrap();

    // The exported files, read as `vote tally` reads them, give the published result.
    let session = staff(&e.store, "clerk", Role::Staff, T + 11 * HOUR).await;
    e.clock.set(T + 11 * HOUR);
    let (roster, ballots) = exported(&e.app, &session, e.vote).await;
    let recomputed = linli_core::voting::tally(
        Matter::PropertyManager,
        &roster,
        &ballots,
        Default::default(),
    )
    .unwrap();
    let stored = e.store.vote(e.vote).await.unwrap().unwrap().result.unwrap();
    assert_eq!(json::to_string(&tally_json(&recomputed)), stored);
    // 3 of 4 owners (the developer's two units are one owner) with 365.06 of 520.06 m²
    // took part; 张三 and 王五 agreed: 244.56 m² and 2 owners, more than half of both.
    assert_eq!(recomputed.participating.owners, 3);
    assert_eq!(recomputed.participating.area, 36_506);
    assert!(recomputed.quorum && recomputed.passed);

    let published = board(&e, "1幢101").await;
    let result = published.vote(e.vote).unwrap().result.clone().unwrap();
    assert!(
        result.passed && result.explanation_zh.contains("表决通过"),
        "{}",
        result.explanation_zh
    );
    assert_eq!(result.ballots.len(), 3);
    // A named vote lists units and choices.
    assert!(result
        .ballots
        .iter()
        .any(|b| b.unit == "1幢101" && b.choice == Choice::Agree));
    let page = fetch(
        &e.app,
        page_get(&format!("/staff/voting/{}", e.vote), &session),
    )
    .await;
    assert!(page.2.contains("data-result"), "{}", page.2);
}

#[tokio::test]
async fn one_ballot_counts_per_owner_whatever_the_concurrency() {
    let e = estate(Matter::Committee, false, true).await;
    e.clock.set(T + 2 * HOUR);
    let mut tasks = Vec::new();
    for n in 0..1_000u32 {
        let app = e.app.clone();
        let unit = if n % 2 == 0 { "1幢101" } else { "1幢102" };
        let token = e.token(unit).to_owned();
        let choice = if n % 3 == 0 { "agree" } else { "oppose" };
        let body = ballot(&id(n), e.vote, choice, T + 2 * HOUR);
        tasks.push(tokio::spawn(async move {
            call(&app, post("/api/v1/submissions", Some(&token), &body)).await
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        let (status, v) = t.await.unwrap();
        if status == StatusCode::OK {
            accepted += 1;
        } else {
            assert_eq!(refusal(status, &v).0, "already_voted");
        }
    }
    assert_eq!(accepted, 1);
    assert_eq!(
        count(&e.store, "SELECT COUNT(*) FROM vote_ballots").await,
        1
    );
}

#[tokio::test]
async fn with_changes_allowed_the_last_ballot_in_server_order_counts_and_every_one_is_audited() {
    let e = estate(Matter::Committee, true, false).await;
    e.clock.set(T + 2 * HOUR);
    let mut tasks = Vec::new();
    for n in 0..1_000u32 {
        let app = e.app.clone();
        let unit = if n % 2 == 0 { "1幢101" } else { "1幢102" };
        let token = e.token(unit).to_owned();
        let choice = ["agree", "oppose", "abstain"][n as usize % 3];
        let body = ballot(&id(n), e.vote, choice, T + 2 * HOUR);
        tasks.push(tokio::spawn(async move {
            call(&app, post("/api/v1/submissions", Some(&token), &body)).await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().0, StatusCode::OK);
    }
    let rows = e.store.vote_ballots(e.vote).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].changes, 999);
    // The counted choice is that of the last submission the server applied.
    let last: String = sqlx::query_scalar(
        "SELECT id FROM submissions WHERE kind = 'vote_ballot' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(e.store.pool())
    .await
    .unwrap();
    let n = (0..1_000u32).find(|n| id(*n).as_str() == last).unwrap();
    assert_eq!(
        rows[0].choice.id(),
        ["agree", "oppose", "abstain"][n as usize % 3]
    );
    let audited = count(
        &e.store,
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('vote.ballot', 'vote.ballot_change')",
    )
    .await;
    assert_eq!(audited, 1_000);
}

#[tokio::test]
async fn a_ballot_made_before_the_close_counts_within_the_grace_and_not_after() {
    let e = estate(Matter::Committee, false, false).await;
    // Made offline at 17:59, reaching the server at 18:10: counted and marked.
    e.clock.set(T + 10 * HOUR + 10 * MIN);
    let (status, v) = cast(&e, "1幢101", 1, "agree", T + 10 * HOUR - MIN).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let b = board(&e, "1幢101").await;
    let mine = b.vote(e.vote).unwrap().ballot.clone().unwrap();
    assert!(mine.late);
    assert_eq!(mine.made_at, T + 10 * HOUR - MIN);
    assert_eq!(mine.received_at, T + 10 * HOUR + 10 * MIN);
    // Made after the close: refused, even within the grace.
    let (status, v) = cast(&e, "2幢201", 2, "agree", T + 10 * HOUR + MIN).await;
    assert_eq!(refusal(status, &v).0, "vote_closed");
    // Made before the close but arriving after the grace: refused.
    e.clock.set(T + 10 * HOUR + 16 * MIN);
    let (status, v) = cast(&e, "3幢301", 3, "agree", T + 10 * HOUR - MIN).await;
    let (code, message) = refusal(status, &v);
    assert_eq!(code, "vote_closed");
    assert!(message.contains("截止"), "{message}");
    assert_eq!(
        count(&e.store, "SELECT COUNT(*) FROM vote_ballots").await,
        1
    );
    // The published result counts the late ballot.
    let sys = Actor::system();
    e.store
        .advance_vote(e.vote, Stage::Closed, None, &sys, e.clock.now())
        .await
        .unwrap();
    e.store
        .advance_vote(e.vote, Stage::Published, None, &sys, e.clock.now())
        .await
        .unwrap();
    let b = board(&e, "2幢201").await;
    assert_eq!(b.vote(e.vote).unwrap().result.as_ref().unwrap().late, 1);
}

#[tokio::test]
async fn paper_and_online_ballots_of_one_owner_refuse_each_other_unless_replaced_with_a_reason() {
    let e = estate(Matter::Committee, true, false).await;
    e.clock.set(T + 2 * HOUR);
    let clerk = Actor::staff("clerk", Role::Staff);
    // Online first (through 1幢102), then paper for 1幢101: the same owner.
    assert_eq!(
        cast(&e, "1幢102", 1, "agree", T + 2 * HOUR).await.0,
        StatusCode::OK
    );
    let refused = e
        .store
        .enter_paper(
            e.vote,
            &paper("1幢101", Choice::Oppose, T + 2 * HOUR, None),
            &clerk,
            T + 2 * HOUR,
        )
        .await;
    let Err(VoteError::HasBallot(existing)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        (existing.unit.as_str(), existing.source.as_str()),
        ("1幢102", "online")
    );
    // Replaced with a recorded reason.
    let b = e
        .store
        .enter_paper(
            e.vote,
            &paper(
                "1幢101",
                Choice::Oppose,
                T + 3 * HOUR,
                Some("业主到场改为纸质票"),
            ),
            &clerk,
            T + 3 * HOUR,
        )
        .await
        .unwrap();
    assert_eq!(
        (b.source.as_str(), b.choice, b.receipt),
        ("paper", Choice::Oppose, existing.receipt)
    );
    // Online after paper: refused, even with changes allowed.
    e.clock.set(T + 4 * HOUR);
    let (status, v) = cast(&e, "1幢101", 2, "agree", T + 4 * HOUR).await;
    let (code, message) = refusal(status, &v);
    assert_eq!(code, "paper_ballot_exists");
    assert!(message.contains("纸质"), "{message}");
    // The reason is kept with the ballot; the audit log names the replacement, not why.
    let rows = e.store.vote_ballots(e.vote).await.unwrap();
    assert_eq!(
        rows[0].replace_reason.as_deref(),
        Some("业主到场改为纸质票")
    );
    let replaced = count(
        &e.store,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'vote.paper_replace'",
    )
    .await;
    assert_eq!(replaced, 1);
}

#[tokio::test]
async fn the_vote_and_its_roster_freeze_when_voting_opens_and_each_correction_is_kept() {
    let db = temp_db();
    let store = open_store(&db).await;
    let clerk = Actor::staff("clerk", Role::Staff);
    let v = NewVote {
        title: "筹集维修资金".into(),
        body: String::new(),
        matter: Matter::RaiseFund,
        secret: false,
        changes_allowed: false,
        silent_follow: false,
        grace_ms: 0,
    };
    let vote = store.create_vote(&v, &clerk, T).await.unwrap();
    // No roster: voting cannot open.
    assert!(matches!(
        store
            .advance_vote(vote, Stage::Voting, Some((T, T + HOUR)), &clerk, T)
            .await,
        Err(VoteError::NoRoster)
    ));
    store
        .import_roster(vote, &files::roster(ROSTER.as_bytes()).unwrap(), &clerk, T)
        .await
        .unwrap();
    store
        .correct_roster(
            vote,
            &RosterFix {
                unit: "2幢201",
                area: Some(12_100),
                owner: Some("李四"),
                reason: "房产证面积为121.00",
            },
            &clerk,
            T + 1,
        )
        .await
        .unwrap();
    let c = store.corrections(vote).await.unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(
        (
            c[0].field.as_str(),
            c[0].before.as_str(),
            c[0].after.as_str(),
            c[0].by.as_str()
        ),
        ("area", "120.50", "121.00", "clerk")
    );
    // A window closing before it opens is refused.
    assert!(matches!(
        store
            .advance_vote(vote, Stage::Voting, Some((T + HOUR, T)), &clerk, T)
            .await,
        Err(VoteError::BadWindow)
    ));
    // The text and rules may still change.
    let edited = NewVote {
        body: "每平方米每月0.25元。".into(),
        ..v.clone()
    };
    store.update_vote(vote, &edited, &clerk, T).await.unwrap();
    store
        .advance_vote(vote, Stage::Voting, Some((T, T + HOUR)), &clerk, T)
        .await
        .unwrap();
    assert!(matches!(
        store
            .correct_roster(
                vote,
                &RosterFix {
                    unit: "2幢201",
                    area: Some(1),
                    owner: None,
                    reason: "x",
                },
                &clerk,
                T
            )
            .await,
        Err(VoteError::Frozen)
    ));
    assert!(matches!(
        store.import_roster(vote, &[], &clerk, T).await,
        Err(VoteError::Frozen)
    ));
    assert!(matches!(
        store.update_vote(vote, &v, &clerk, T).await,
        Err(VoteError::Frozen)
    ));
    assert_eq!(
        store.vote(vote).await.unwrap().unwrap().body,
        "每平方米每月0.25元。"
    );
    let roster: Vec<Unit> = store.vote_roster(vote).await.unwrap();
    assert_eq!(
        roster.iter().find(|u| u.unit == "2幢201").unwrap().area,
        12_100
    );
}

#[tokio::test]
async fn a_secret_vote_publishes_receipts_and_choices_never_units() {
    let e = estate(Matter::Committee, false, true).await;
    let receipt = counted(&e, "2幢201", "abstain").await;
    let sys = Actor::system();
    let later = T + 11 * HOUR;
    e.store
        .advance_vote(e.vote, Stage::Closed, None, &sys, later)
        .await
        .unwrap();
    e.store
        .advance_vote(e.vote, Stage::Published, None, &sys, later)
        .await
        .unwrap();
    let list = board(&e, "3幢301").await.votes[0]
        .result
        .clone()
        .unwrap()
        .ballots;
    assert_eq!(list.len(), 1);
    assert_eq!(
        (
            list[0].unit.as_str(),
            list[0].receipt.as_str(),
            list[0].choice
        ),
        ("", receipt.as_str(), Choice::Abstain)
    );
}

#[tokio::test]
async fn comments_are_taken_from_owners_on_the_roster_and_shown_with_their_building_only() {
    let e = estate(Matter::Committee, false, false).await;
    let comment = |n: u32, text: &str, reply: Option<i64>| {
        let reply = reply.map_or("null".to_owned(), |r| r.to_string());
        let payload = json::from_str(&format!(
            r#"{{"vote": {}, "text": "{text}", "reply_to": {reply}}}"#,
            e.vote
        ))
        .unwrap();
        envelope(&id(n), "vote_comment", payload, T)
    };
    let (status, v) = call(
        &e.app,
        post(
            "/api/v1/submissions",
            Some(e.token("2幢201")),
            &comment(1, "物业费会涨吗？", None),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let (status, v) = call(
        &e.app,
        post(
            "/api/v1/submissions",
            Some(e.token("5幢501")),
            &comment(2, "我也想问", None),
        ),
    )
    .await;
    assert_eq!(refusal(status, &v).0, "not_on_roster");
    let first = board(&e, "2幢201").await.votes[0].comments[0].clone();
    e.store
        .reply_to_vote(
            e.vote,
            "不会，合同价不变。",
            Some(first.id),
            &Actor::staff("clerk", Role::Staff),
            T + 1,
        )
        .await
        .unwrap();
    let seen = board(&e, "3幢301").await.votes[0].comments.clone();
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[0].author.as_str(), seen[0].mine), ("2幢", false));
    assert!(seen[1].staff && seen[1].reply_to == Some(first.id));
    assert!(board(&e, "2幢201").await.votes[0].comments[0].mine);
}

#[tokio::test]
async fn staff_create_a_vote_and_import_its_roster_through_the_pages_with_located_problems() {
    let db = temp_db();
    let store = open_store(&db).await;
    let clock = TestClock::at(T);
    let app = router(app_state(store.clone(), &clock));
    let clerk = staff(&store, "clerk", Role::Staff, T).await;
    let kitchen = staff(&store, "chef", Role::Kitchen, T).await;
    let form = "title=%E6%9B%B4%E6%8D%A2%E7%89%A9%E4%B8%9A&matter=4&body=x&grace=15&changes=on";
    // The kitchen may not run votes.
    let (status, _, _) = fetch(&app, page_post("/staff/voting", &kitchen, form)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, _) = fetch(&app, page_post("/staff/voting", &clerk, form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let at = headers[axum::http::header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let roster_path = format!("{at}/roster");
    // A roster saved by Chinese Excel (GB18030) with two problems: both located,
    // nothing imported.
    let bad = "房号,业主,面积\n1幢101,张三,89.56\n1幢101,李四,-3\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(bad);
    let upload = multipart_post(
        &roster_path,
        &clerk,
        &[("roster", Some("r.csv"), &gb)],
        true,
    );
    let (status, _, page) = fetch(&app, upload).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("第 3 行第 1 列：房号“1幢101”与第 2 行重复"),
        "{page}"
    );
    assert!(page.contains("第 3 行第 3 列：面积“-3”"), "{page}");
    let id: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
    assert!(store.vote_roster(id).await.unwrap().is_empty());
    let (gb, _, _) = encoding_rs::GB18030.encode(ROSTER);
    let upload = multipart_post(
        &roster_path,
        &clerk,
        &[("roster", Some("r.csv"), &gb)],
        true,
    );
    let (status, _, page) = fetch(&app, upload).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("已导入 6 户"), "{page}");
    assert_eq!(store.vote_roster(id).await.unwrap()[1].owner, "张 三");
    // Without the session's token: refused, nothing changed.
    let upload = multipart_post(
        &roster_path,
        &clerk,
        &[("roster", Some("r.csv"), b"x")],
        false,
    );
    assert_eq!(fetch(&app, upload).await.0, StatusCode::FORBIDDEN);
    // The exports are not there before the close (they would show partial results).
    let (status, _, _) = fetch(&app, page_get(&format!("{at}/ballots.csv"), &clerk)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A little linear congruential generator: reproducible random rosters without a crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[tokio::test]
async fn the_command_line_and_the_server_agree_on_random_rosters() {
    let db = temp_db();
    let store = open_store(&db).await;
    let clock = TestClock::at(T);
    let app = router(app_state(store.clone(), &clock));
    let clerk = staff(&store, "clerk", Role::Staff, T).await;
    let by = Actor::staff("clerk", Role::Staff);
    let mut rng = Lcg(12);
    for round in 0..12 {
        // 1–40 units, owners shared between units, some developer-held, areas from
        // 0.01 m² up.
        let units = 1 + rng.next(40);
        let mut csv = String::from("unit,owner,area,developer_held\n");
        for u in 0..units {
            let owner = format!("业主{}", rng.next(units.max(2) / 2 + 1));
            let developer = rng.next(8) == 0;
            let area = 1 + rng.next(30_000);
            csv.push_str(&format!(
                "{u}号,{},{}.{:02},{}\n",
                if developer { "" } else { &owner },
                area / 100,
                area % 100,
                if developer { "是" } else { "否" }
            ));
        }
        let roster = files::roster(csv.as_bytes()).unwrap();
        let matter = Matter::from_item(1 + rng.next(9) as u8).unwrap();
        let vote = store
            .create_vote(
                &NewVote {
                    title: format!("第{round}次"),
                    body: String::new(),
                    matter,
                    secret: round % 2 == 0,
                    changes_allowed: false,
                    silent_follow: round % 3 == 0,
                    grace_ms: 0,
                },
                &by,
                T,
            )
            .await
            .unwrap();
        store.import_roster(vote, &roster, &by, T).await.unwrap();
        store
            .advance_vote(vote, Stage::Voting, Some((T, T + HOUR)), &by, T)
            .await
            .unwrap();
        // Paper ballots for a random subset of units; a second unit of an owner who
        // has voted is refused, as the server must.
        for u in &roster {
            if rng.next(3) == 0 {
                continue;
            }
            let choice = [Choice::Agree, Choice::Oppose, Choice::Abstain][rng.next(3) as usize];
            match store
                .enter_paper(vote, &paper(&u.unit, choice, T + 1, None), &by, T + 1)
                .await
            {
                Ok(_) | Err(VoteError::HasBallot(_)) => {}
                Err(e) => panic!("{e:?}"),
            }
        }
        store
            .advance_vote(vote, Stage::Closed, None, &by, T + 2 * HOUR)
            .await
            .unwrap();
        store
            .advance_vote(vote, Stage::Published, None, &by, T + 2 * HOUR)
            .await
            .unwrap();
        // The console's clock stays at T: the session is fresh; the vote is closed.
        let (roster, ballots) = exported(&app, &clerk, vote).await;
        let rules = linli_core::voting::AssemblyRules {
            silent_follow_majority: round % 3 == 0,
        };
        let cli = linli_core::voting::tally(matter, &roster, &ballots, rules).unwrap();
        let stored = store.vote(vote).await.unwrap().unwrap().result.unwrap();
        assert_eq!(
            json::to_string(&tally_json(&cli)),
            stored,
            "round {round}: {csv}"
        );
    }
}

#[tokio::test]
async fn a_developer_held_unit_votes_only_on_paper_and_a_paper_ballot_counts_by_when_it_was_collected(
) {
    let e = estate(Matter::Committee, false, false).await;
    e.clock.set(T + 2 * HOUR);
    // Whoever lives in an unsold unit does not cast the developer's ballot.
    let (status, v) = cast(&e, "9幢901", 1, "agree", T + 2 * HOUR).await;
    assert_eq!(refusal(status, &v).0, "developer_held");
    let b = board(&e, "9幢901").await;
    assert!(!b.vote(e.vote).unwrap().eligible);
    let clerk = Actor::staff("clerk", Role::Staff);
    // In the grace: a paper ballot collected before the close counts, marked late.
    let in_grace = T + 10 * HOUR + 5 * MIN;
    let b = e
        .store
        .enter_paper(
            e.vote,
            &paper("9幢902", Choice::Oppose, T + 10 * HOUR - MIN, None),
            &clerk,
            in_grace,
        )
        .await
        .unwrap();
    assert_eq!(
        (b.made_at, b.received_at, b.late),
        (T + 10 * HOUR - MIN, in_grace, true)
    );
    // One collected after the close is refused.
    assert!(matches!(
        e.store
            .enter_paper(
                e.vote,
                &paper("2幢201", Choice::Agree, T + 10 * HOUR + MIN, None),
                &clerk,
                in_grace
            )
            .await,
        Err(VoteError::WrongStage)
    ));
}

#[tokio::test]
async fn a_household_posts_at_most_twenty_comments_on_a_vote() {
    let e = estate(Matter::Committee, false, false).await;
    for n in 0..21u32 {
        let payload =
            json::from_str(&format!(r#"{{"vote": {}, "text": "第{n}条"}}"#, e.vote)).unwrap();
        let body = envelope(&id(n), "vote_comment", payload, T);
        let (status, v) = call(
            &e.app,
            post("/api/v1/submissions", Some(e.token("2幢201")), &body),
        )
        .await;
        if n < 20 {
            assert_eq!(status, StatusCode::OK, "{v:?}");
        } else {
            assert_eq!(refusal(status, &v).0, "too_many_comments");
        }
    }
}

#[tokio::test]
async fn a_secret_votes_files_wait_for_its_publication_and_refusals_name_no_receipt() {
    let e = estate(Matter::Committee, false, true).await;
    let receipt = counted(&e, "1幢101", "agree").await;
    let session = staff(&e.store, "clerk", Role::Staff, T + 2 * HOUR).await;
    let refused = fetch(
        &e.app,
        page_post(
            &format!("/staff/voting/{}/paper", e.vote),
            &session,
            &format!("unit={}&choice=oppose", percent("1幢102")),
        ),
    )
    .await;
    assert_eq!(refused.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.2.contains("已有网上选票"), "{}", refused.2);
    assert!(
        !refused.2.contains(&receipt),
        "a secret ballot's receipt named to staff"
    );
    let sys = Actor::system();
    e.store
        .advance_vote(e.vote, Stage::Closed, None, &sys, T + 11 * HOUR)
        .await
        .unwrap();
    let path = format!("/staff/voting/{}/ballots.csv", e.vote);
    assert_eq!(
        fetch(&e.app, page_get(&path, &session)).await.0,
        StatusCode::NOT_FOUND
    );
    e.store
        .advance_vote(e.vote, Stage::Published, None, &sys, T + 11 * HOUR)
        .await
        .unwrap();
    assert_eq!(
        fetch(&e.app, page_get(&path, &session)).await.0,
        StatusCode::OK
    );
}
