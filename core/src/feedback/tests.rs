use super::*;
use crate::date::Date;
use crate::Lang;

fn handler(id: &str) -> Who {
    Who::Handler(id.into())
}

fn dispatch(to: &str) -> Action {
    Action::Dispatch { to: to.into() }
}

/// Runs steps from a new case, each by its actor, panicking on a refusal.
fn run(steps: &[(Action, Who)]) -> Case {
    steps.iter().fold(Case::new(), |case, (a, w)| {
        step(&case, a, w).unwrap_or_else(|e| panic!("{a:?} by {w:?}: {e:?}"))
    })
}

#[test]
fn the_whole_loop_runs_in_order_and_ends_rated() {
    let case = run(&[
        (dispatch("city-mgmt"), Who::Staff),
        (Action::Accept, handler("city-mgmt")),
        (Action::Reply, handler("city-mgmt")),
        (Action::Close, Who::Staff),
        (Action::Visit, Who::Staff),
        (Action::Rate(Rating::Satisfied), Who::Resident),
    ]);
    assert_eq!(case.state, State::Rated);
    assert_eq!(case.rating, Some(Rating::Satisfied));
    assert_eq!((case.reopened, case.returned), (0, 0));
    assert!(case.state.finished());
}

#[test]
fn every_step_out_of_its_state_is_refused_with_the_state_named() {
    let actions = [
        (dispatch("a"), Who::Staff),
        (Action::Accept, handler("a")),
        (
            Action::Return {
                reason: "不归我们".into(),
            },
            handler("a"),
        ),
        (Action::Reply, handler("a")),
        (Action::Close, Who::Staff),
        (Action::Visit, Who::Staff),
        (Action::Rate(Rating::Satisfied), Who::Resident),
        (Action::Reopen, Who::Resident),
    ];
    // The states each action is legal from (with handler "a" assigned where one is).
    let legal: &[(&str, &[State])] = &[
        ("dispatch", &[State::Submitted]),
        ("accept", &[State::Dispatched]),
        ("return", &[State::Dispatched, State::InProgress]),
        ("reply", &[State::InProgress]),
        ("close", &[State::Replied]),
        ("visit", &[State::Closed]),
        ("rate", &[State::Closed, State::Visited]),
        ("reopen", &[State::Replied, State::Closed, State::Visited]),
    ];
    for state in State::ALL {
        let case = Case {
            state,
            handler: Some("a".into()),
            ..Case::new()
        };
        for (action, who) in &actions {
            let ok = legal
                .iter()
                .find(|(id, _)| *id == action.id())
                .is_some_and(|(_, from)| from.contains(&state));
            match step(&case, action, who) {
                Ok(_) => assert!(ok, "{action:?} from {state:?} should be refused"),
                Err(e) => {
                    assert!(!ok, "{action:?} from {state:?}: {e:?}");
                    assert_eq!(
                        e,
                        StepError::WrongState {
                            state,
                            action: action.id()
                        }
                    );
                    assert!(e.text(Lang::ZhCn).contains(Lang::ZhCn.t(state.text())));
                }
            }
        }
    }
}

#[test]
fn only_the_right_person_takes_each_step() {
    let dispatched = run(&[(dispatch("grid-3"), Who::Staff)]);
    let not_allowed = |case: &Case, a: Action, w: Who| {
        assert_eq!(
            step(case, &a, &w),
            Err(StepError::NotAllowed { action: a.id() }),
            "{a:?} by {w:?}"
        );
    };
    not_allowed(&Case::new(), dispatch("x"), Who::Resident);
    not_allowed(&Case::new(), dispatch("x"), handler("grid-3"));
    // Another handler may not take up, answer or return it.
    not_allowed(&dispatched, Action::Accept, handler("grid-4"));
    not_allowed(&dispatched, Action::Accept, Who::Staff);
    let working = run(&[
        (dispatch("grid-3"), Who::Staff),
        (Action::Accept, handler("grid-3")),
    ]);
    not_allowed(&working, Action::Reply, handler("grid-4"));
    not_allowed(&working, Action::Reply, Who::Resident);
    not_allowed(
        &working,
        Action::Return { reason: "x".into() },
        handler("grid-4"),
    );
    // Staff may answer for the handler.
    assert_eq!(
        step(&working, &Action::Reply, &Who::Staff).map(|c| c.state),
        Ok(State::Replied)
    );
    let replied = step(&working, &Action::Reply, &handler("grid-3")).unwrap();
    not_allowed(&replied, Action::Close, handler("grid-3"));
    not_allowed(&replied, Action::Reopen, Who::Staff);
}

#[test]
fn a_returned_dispatch_goes_back_to_the_dispatcher_with_its_reason_and_is_counted() {
    let case = run(&[(dispatch("water"), Who::Staff)]);
    assert_eq!(
        step(
            &case,
            &Action::Return {
                reason: "  ".into()
            },
            &handler("water")
        ),
        Err(StepError::MissingReason)
    );
    let back = step(
        &case,
        &Action::Return {
            reason: "属于物业管理范围".into(),
        },
        &handler("water"),
    )
    .unwrap();
    assert_eq!(
        (back.state, back.handler.as_deref(), back.returned),
        (State::Submitted, None, 1)
    );
    // Dispatched again, to another handler.
    let again = step(&back, &dispatch("property"), &Who::Staff).unwrap();
    assert_eq!(again.handler.as_deref(), Some("property"));
}

#[test]
fn dissatisfied_or_not_solved_reopens_it_and_each_reopening_is_counted() {
    let closed = run(&[
        (dispatch("a"), Who::Staff),
        (Action::Accept, handler("a")),
        (Action::Reply, handler("a")),
        (Action::Close, Who::Staff),
    ]);
    let reopened = step(&closed, &Action::Rate(Rating::Dissatisfied), &Who::Resident).unwrap();
    assert_eq!(
        (
            reopened.state,
            reopened.handler.clone(),
            reopened.reopened,
            reopened.rating
        ),
        (State::Submitted, None, 1, None)
    );
    let replied = run(&[
        (dispatch("a"), Who::Staff),
        (Action::Accept, handler("a")),
        (Action::Reply, handler("a")),
    ]);
    let twice = step(&replied, &Action::Reopen, &Who::Resident).unwrap();
    assert_eq!(twice.reopened, 1);
    // Staff record a basically-satisfied rating given on the follow-up call.
    let visited = step(&closed, &Action::Visit, &Who::Staff).unwrap();
    let rated = step(
        &visited,
        &Action::Rate(Rating::BasicallySatisfied),
        &Who::Staff,
    )
    .unwrap();
    assert_eq!(
        (rated.state, rated.rating),
        (State::Rated, Some(Rating::BasicallySatisfied))
    );
    // A rated case is done: no more reopening.
    assert!(step(&rated, &Action::Reopen, &Who::Resident).is_err());
}

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// `text` (YYYY-MM-DD) at `hh:mm` Beijing time, ms.
fn at(text: &str, hh: i64, mm: i64) -> i64 {
    day(text).local_instant(hh * 60 + mm, 480)
}

#[test]
fn limits_count_working_days_across_weekends_holidays_and_make_up_days() {
    let plain = Calendar::default();
    // Recorded Thursday 2026-12-03 at 16:00; 3 working days: Fri, Mon, Tue → due at
    // the end of Tuesday 2026-12-08.
    assert_eq!(
        plain.deadline(at("2026-12-03", 16, 0), 3, 480),
        Some(at("2026-12-09", 0, 0))
    );
    // Recorded on a Saturday: counting starts Monday.
    assert_eq!(
        plain.deadline(at("2026-12-05", 10, 0), 1, 480),
        Some(at("2026-12-08", 0, 0))
    );
    // 元旦 2027-01-01 is a Friday holiday; a make-up working Sunday 2027-01-03.
    let cn = Calendar {
        holidays: vec![day("2027-01-01")],
        workdays: vec![day("2027-01-03")],
    };
    assert!(!cn.is_working_day(day("2027-01-01")));
    assert!(cn.is_working_day(day("2027-01-03")));
    assert!(!cn.is_working_day(day("2027-01-02")));
    // Recorded Thursday 2026-12-31: working days Sun 01-03, Mon 01-04 → due end of
    // Monday.
    assert_eq!(
        cn.deadline(at("2026-12-31", 9, 0), 2, 480),
        Some(at("2027-01-05", 0, 0))
    );
    // One working day shows the difference: Friday 01-01 without the holiday, the
    // make-up Sunday 01-03 with it.
    assert_eq!(
        plain.deadline(at("2026-12-31", 9, 0), 1, 480),
        Some(at("2027-01-02", 0, 0))
    );
    assert_eq!(
        cn.deadline(at("2026-12-31", 9, 0), 1, 480),
        Some(at("2027-01-04", 0, 0))
    );
}

#[test]
fn a_passed_limit_makes_the_case_overdue_until_it_is_closed() {
    let limits = Limits {
        dispatch: 1,
        reply: 3,
        close: 5,
    };
    let cal = Calendar::default();
    let recorded = at("2026-12-03", 16, 0);
    // Waiting for dispatch: 1 working day, due end of Friday.
    assert!(!limits.overdue(
        State::Submitted,
        recorded,
        at("2026-12-04", 23, 59),
        &cal,
        480
    ));
    assert!(limits.overdue(
        State::Submitted,
        recorded,
        at("2026-12-05", 0, 0),
        &cal,
        480
    ));
    // With a handler: 3 working days.
    assert!(!limits.overdue(
        State::InProgress,
        recorded,
        at("2026-12-08", 12, 0),
        &cal,
        480
    ));
    assert!(limits.overdue(
        State::InProgress,
        recorded,
        at("2026-12-09", 0, 0),
        &cal,
        480
    ));
    // Closed: no limit runs.
    assert!(!limits.overdue(State::Closed, recorded, at("2027-06-01", 0, 0), &cal, 480));
    assert_eq!(limits.running(State::Rated), None);
}

#[test]
fn corrections_are_history_and_counts_use_the_last_value() {
    let history = vec![
        Correction {
            field: Corrected::Category,
            before: "noise".into(),
            after: "property".into(),
            by: "wang".into(),
            why: "是电梯噪音，属物业".into(),
            at: 1,
        },
        Correction {
            field: Corrected::Place,
            before: "3幢".into(),
            after: "3幢2单元".into(),
            by: "wang".into(),
            why: "现场核实".into(),
            at: 2,
        },
        Correction {
            field: Corrected::Category,
            before: "property".into(),
            after: "elevator".into(),
            by: "li".into(),
            why: "电梯专项".into(),
            at: 3,
        },
    ];
    assert_eq!(current("noise", Corrected::Category, &history), "elevator");
    assert_eq!(current("3幢", Corrected::Place, &history), "3幢2单元");
    assert_eq!(current("3幢", Corrected::Place, &[]), "3幢");
}

#[test]
fn a_contact_phone_is_a_mainland_mobile_after_normalising() {
    for ok in [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "008613812345678",
        "8613812345678",
        "（138）1234 5678",
        "19912345678",
    ] {
        let want = if ok.starts_with("199") {
            "19912345678"
        } else {
            "13812345678"
        };
        assert_eq!(normalise_phone(ok).as_deref(), Ok(want), "{ok}");
    }
    for bad in [
        "",
        "1381234567",
        "138123456789",
        "12812345678",
        "23812345678",
        "0571-87654321",
        "1381234567x",
        "+1 138 1234 5678",
    ] {
        assert_eq!(normalise_phone(bad), Err(PhoneError::NotMobile), "{bad}");
    }
    assert_eq!(mask_phone("13812345678"), "138****5678");
    assert_eq!(mask_phone("abc"), "***");
}

fn report(extra: &str) -> crate::json::Value {
    crate::json::from_str(&format!(
        r#"{{"category": "lighting", "description": " 路灯不亮 ", "place": "1幢"{extra}}}"#
    ))
    .unwrap()
}

#[test]
fn a_report_reads_with_its_phone_normalised_and_photos_checked() {
    let r = ReportPayload::from_value(&report(
        r#", "phone": "+86 138-1234-5678", "photos": ["/9j/4AAQ"]"#,
    ))
    .unwrap();
    assert_eq!(r.description, "路灯不亮");
    assert_eq!(r.phone.as_deref(), Some("13812345678"));
    assert_eq!(r.photos.len(), 1);
    assert_eq!(r.photo_bytes(), 6);
    let none = ReportPayload::from_value(&report("")).unwrap();
    assert!(none.photos.is_empty() && none.phone.is_none());
    let back = ReportPayload::from_value(&r.to_value()).unwrap();
    assert_eq!(back, r);
}

#[test]
fn a_bad_report_is_refused_at_its_field() {
    let field = |extra: &str| ReportPayload::from_value(&report(extra)).unwrap_err().field;
    assert_eq!(field(r#", "phone": "12345""#), "phone");
    assert_eq!(field(r#", "photos": ["not base64!"]"#), "photos[0]");
    assert_eq!(
        field(r#", "photos": ["AAAA", "AAAA", "AAAA", "AAAA"]"#),
        "photos"
    );
    let huge = "A".repeat(MAX_PHOTO_BASE64 + 4);
    assert_eq!(field(&format!(r#", "photos": ["{huge}"]"#)), "photos[0]");
    assert_eq!(field(r#", "extra": 1"#), "extra");
    let blank: crate::json::Value =
        crate::json::from_str(r#"{"category": "x", "description": "  ", "place": "1幢"}"#).unwrap();
    assert_eq!(
        ReportPayload::from_value(&blank).unwrap_err().field,
        "description"
    );
}

#[test]
fn a_household_may_rate_or_reopen_only_where_the_loop_allows() {
    let mut c = MyCase {
        report: crate::sync::wire::SubmissionId::parse("0f8fad5b-d9cb-469f-a165-70867728950e")
            .unwrap(),
        number: 7,
        category: "lighting".into(),
        description: "路灯不亮".into(),
        place: "1幢".into(),
        state: State::Submitted,
        created_at: 0,
        overdue: false,
        reply: String::new(),
        rating: None,
        photos: 0,
        reopened: 0,
        steps: Vec::new(),
    };
    assert!(!c.may(&Action::Reopen));
    assert!(!c.may(&Action::Rate(Rating::Satisfied)));
    c.state = State::Replied;
    assert!(c.may(&Action::Reopen));
    assert!(!c.may(&Action::Rate(Rating::Satisfied)));
    c.state = State::Visited;
    assert!(c.may(&Action::Rate(Rating::Dissatisfied)));
    let board = FeedbackBoard { cases: vec![c] };
    assert_eq!(FeedbackBoard::from_value(&board.to_value()).unwrap(), board);
}
