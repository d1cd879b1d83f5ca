//! The meal rules, with the edges named.

use super::*;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn dish(id: &str, price: Fen, tags: &[Tag], allergens: &[&str], limit: Option<u32>) -> Dish {
    Dish {
        id: id.into(),
        name: id.into(),
        price,
        tags: tags.to_vec(),
        allergens: allergens.iter().map(|a| (*a).to_owned()).collect(),
        daily_limit: limit,
    }
}

fn menu() -> Menu {
    Menu {
        date: date("2026-12-01"),
        slot: "lunch".into(),
        dishes: vec![
            dish(
                "tofu",
                800,
                &[Tag::LowSalt, Tag::Soft, Tag::Vegetarian],
                &["大豆"],
                None,
            ),
            dish("fish", 1550, &[Tag::LowSalt], &["鱼"], Some(10)),
            dish("pork", 1200, &[], &[], Some(30)),
        ],
    }
}

fn lunch() -> Slot {
    Slot {
        id: "lunch".into(),
        cutoff: Cutoff {
            days_before: 0,
            minute_of_day: 9 * 60 + 30,
        },
    }
}

fn elder() -> Elder {
    Elder {
        id: "e1".into(),
        unit_id: 7,
        tier: "80+".into(),
        needs: vec![],
        allergies: vec![],
        fulfilment: Fulfilment::Delivery,
    }
}

fn order(lines: &[(&str, u32)]) -> Order {
    Order {
        elder: "e1".into(),
        date: date("2026-12-01"),
        slot: "lunch".into(),
        lines: lines
            .iter()
            .map(|(d, q)| Line {
                dish: (*d).into(),
                qty: *q,
            })
            .collect(),
        fulfilment: Fulfilment::Delivery,
        note: String::new(),
        placed_by: 7,
        confirmed_conflicts: false,
    }
}

fn tier(subsidy: Subsidy) -> Tier {
    Tier {
        id: "t".into(),
        subsidy,
    }
}

/// 2026-12-01 at hh:mm:ss Beijing time, in ms.
fn beijing(hh: i64, mm: i64, ss: i64) -> i64 {
    (date("2026-12-01").unix_days() * 86_400 + hh * 3_600 + mm * 60 + ss - 8 * 3_600) * 1_000
}

fn check(
    o: &Order,
    now: i64,
    ordered: &[(String, u32)],
    e: &Elder,
    proxies: &[i64],
) -> Result<Price, OrderError> {
    let (m, s, t) = (menu(), lunch(), tier(Subsidy::Fixed(300)));
    validate(
        o,
        &Context {
            menu: &m,
            slot: &s,
            elder: e,
            tier: &t,
            ordered,
            proxies,
            now,
            offset_minutes: 480,
        },
    )
}

#[test]
fn price_without_subsidy_is_the_sum_of_lines() {
    let p = price(
        &order(&[("tofu", 2), ("fish", 1)]),
        &menu(),
        &tier(Subsidy::Fixed(0)),
    )
    .unwrap();
    assert_eq!(
        p,
        Price {
            list: 3150,
            subsidy: 0,
            pay: 3150
        }
    );
}

#[test]
fn fixed_subsidy_never_exceeds_the_price() {
    let p = price(&order(&[("tofu", 1)]), &menu(), &tier(Subsidy::Fixed(300))).unwrap();
    assert_eq!(
        p,
        Price {
            list: 800,
            subsidy: 300,
            pay: 500
        }
    );
    let p = price(&order(&[("tofu", 1)]), &menu(), &tier(Subsidy::Fixed(1000))).unwrap();
    assert_eq!(
        p,
        Price {
            list: 800,
            subsidy: 800,
            pay: 0
        }
    );
}

#[test]
fn percent_subsidy_rounds_half_up_to_the_fen() {
    // 1550 × 25% = 387.5 → 388.
    let p = price(&order(&[("fish", 1)]), &menu(), &tier(Subsidy::Percent(25))).unwrap();
    assert_eq!(
        p,
        Price {
            list: 1550,
            subsidy: 388,
            pay: 1162
        }
    );
    // 1550 × 10% = 155 exactly.
    let p = price(&order(&[("fish", 1)]), &menu(), &tier(Subsidy::Percent(10))).unwrap();
    assert_eq!(p.subsidy, 155);
    let p = price(
        &order(&[("fish", 1)]),
        &menu(),
        &tier(Subsidy::Percent(100)),
    )
    .unwrap();
    assert_eq!(p.pay, 0);
    let p = price(&order(&[("fish", 1)]), &menu(), &tier(Subsidy::Percent(0))).unwrap();
    assert_eq!(p.subsidy, 0);
}

#[test]
fn pricing_refuses_unknown_dishes_and_overflow() {
    assert_eq!(
        price(&order(&[("cake", 1)]), &menu(), &tier(Subsidy::Fixed(0))),
        Err(OrderError::UnknownDish("cake".into()))
    );
    assert_eq!(
        price(
            &order(&[("fish", u32::MAX)]),
            &menu(),
            &tier(Subsidy::Fixed(0))
        ),
        Err(OrderError::Overflow)
    );
}

#[test]
fn cutoff_boundary_092959_ok_093000_refused() {
    assert!(check(
        &order(&[("tofu", 1)]),
        beijing(9, 29, 59),
        &[],
        &elder(),
        &[]
    )
    .is_ok());
    assert_eq!(
        check(
            &order(&[("tofu", 1)]),
            beijing(9, 30, 0),
            &[],
            &elder(),
            &[]
        ),
        Err(OrderError::PastCutoff {
            closed_at: beijing(9, 30, 0)
        })
    );
}

#[test]
fn cutoff_is_in_the_deployments_time_zone() {
    // 09:30 in Beijing is 01:30 UTC.
    let closes = cutoff_instant(date("2026-12-01"), lunch().cutoff, 480);
    assert_eq!(crate::date::format_timestamp(closes, 0), "2026-12-01 01:30");
    assert_eq!(
        crate::date::format_timestamp(closes, 480),
        "2026-12-01 09:30"
    );
}

#[test]
fn cutoff_the_evening_before_crosses_midnight_and_month_ends() {
    let breakfast = Slot {
        id: "breakfast".into(),
        cutoff: Cutoff {
            days_before: 1,
            minute_of_day: 20 * 60,
        },
    };
    // Breakfast on 1 December closes at 20:00 on 30 November, Beijing time.
    let closes = cutoff_instant(date("2026-12-01"), breakfast.cutoff, 480);
    assert_eq!(
        crate::date::format_timestamp(closes, 480),
        "2026-11-30 20:00"
    );
    assert!(check_cutoff(closes - 1, date("2026-12-01"), &breakfast, 480).is_ok());
    assert!(check_cutoff(closes, date("2026-12-01"), &breakfast, 480).is_err());
    // At 23:59 on the 30th it is closed, though in UTC it is still the 30th's afternoon.
    assert!(check_cutoff(
        beijing(0, 0, 0) - 60_000,
        date("2026-12-01"),
        &breakfast,
        480
    )
    .is_err());
}

#[test]
fn sold_out_dishes_are_refused_with_what_is_left() {
    let ordered = vec![("fish".to_owned(), 8)];
    assert!(check(
        &order(&[("fish", 2)]),
        beijing(8, 0, 0),
        &ordered,
        &elder(),
        &[]
    )
    .is_ok());
    assert_eq!(
        check(
            &order(&[("fish", 3)]),
            beijing(8, 0, 0),
            &ordered,
            &elder(),
            &[]
        ),
        Err(OrderError::SoldOut {
            dish: "fish".into(),
            left: 2
        })
    );
    // No limit, no refusal.
    let lots = vec![("tofu".to_owned(), 10_000)];
    assert!(check(
        &order(&[("tofu", 5)]),
        beijing(8, 0, 0),
        &lots,
        &elder(),
        &[]
    )
    .is_ok());
}

#[test]
fn conflicting_dishes_need_an_explicit_confirmation() {
    let e = Elder {
        needs: vec![Tag::LowSalt],
        allergies: vec!["鱼".into()],
        ..elder()
    };
    let o = order(&[("fish", 1), ("pork", 1), ("tofu", 1)]);
    let Err(OrderError::Unconfirmed(found)) = check(&o, beijing(8, 0, 0), &[], &e, &[]) else {
        panic!("conflicts were not reported")
    };
    assert_eq!(
        found,
        vec![
            Conflict {
                dish: "fish".into(),
                reason: ConflictReason::Allergen("鱼".into())
            },
            Conflict {
                dish: "pork".into(),
                reason: ConflictReason::Lacks(Tag::LowSalt)
            },
        ]
    );
    let confirmed = Order {
        confirmed_conflicts: true,
        ..o
    };
    assert!(check(&confirmed, beijing(8, 0, 0), &[], &e, &[]).is_ok());
}

#[test]
fn same_as_last_time_drops_dishes_not_on_the_new_menu_and_says_which() {
    let last = Order {
        confirmed_conflicts: true,
        note: "少放辣".into(),
        ..order(&[("tofu", 1), ("duck", 2), ("fish", 1)])
    };
    let mut tomorrow = menu();
    tomorrow.date = date("2026-12-02");
    tomorrow.dishes.retain(|d| d.id != "fish");
    let (again, dropped) = repeat(&last, &tomorrow);
    assert_eq!(dropped, ["duck", "fish"]);
    assert_eq!(
        again.lines,
        vec![Line {
            dish: "tofu".into(),
            qty: 1
        }]
    );
    assert_eq!(again.date, date("2026-12-02"));
    assert_eq!(again.note, "少放辣");
    assert!(
        !again.confirmed_conflicts,
        "warnings must be confirmed again for a new menu"
    );
}

#[test]
fn only_the_elders_household_or_a_linked_proxy_may_order() {
    let o = order(&[("tofu", 1)]);
    assert!(check(&o, beijing(8, 0, 0), &[], &elder(), &[]).is_ok());
    let by_daughter = Order {
        placed_by: 42,
        ..o.clone()
    };
    assert!(check(&by_daughter, beijing(8, 0, 0), &[], &elder(), &[42]).is_ok());
    assert_eq!(
        check(&by_daughter, beijing(8, 0, 0), &[], &elder(), &[]),
        Err(OrderError::NotAuthorized)
    );
}

#[test]
fn empty_zero_and_wrong_menu_orders_are_refused() {
    assert_eq!(
        check(&order(&[]), beijing(8, 0, 0), &[], &elder(), &[]),
        Err(OrderError::Empty)
    );
    assert_eq!(
        check(&order(&[("tofu", 0)]), beijing(8, 0, 0), &[], &elder(), &[]),
        Err(OrderError::ZeroQuantity("tofu".into()))
    );
    let other_day = Order {
        date: date("2026-12-02"),
        ..order(&[("tofu", 1)])
    };
    assert_eq!(
        check(&other_day, beijing(8, 0, 0), &[], &elder(), &[]),
        Err(OrderError::WrongMenu)
    );
}

#[test]
fn tags_round_trip() {
    for t in Tag::ALL {
        assert_eq!(Tag::from_id(t.id()), Some(t));
    }
}
