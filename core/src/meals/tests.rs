//! The meal rules, with the edges named.

use super::*;
use crate::json::Value;
use crate::Lang;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn dish(id: &str, price: Fen, tags: &[Tag], allergens: &[&str], limit: Option<u32>) -> Dish {
    Dish::new(id, id, price, tags, allergens, limit)
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

fn order(lines: &[(&str, u32)]) -> MealOrder {
    MealOrder {
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
    o: &MealOrder,
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
            already_ordered: false,
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
    let confirmed = MealOrder {
        confirmed_conflicts: true,
        ..o
    };
    assert!(check(&confirmed, beijing(8, 0, 0), &[], &e, &[]).is_ok());
}

#[test]
fn same_as_last_time_drops_dishes_not_on_the_new_menu_and_says_which() {
    let last = MealOrder {
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
    let by_daughter = MealOrder {
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
    let other_day = MealOrder {
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

#[test]
fn a_second_order_for_the_same_meal_is_refused() {
    let (m, s, t, e) = (menu(), lunch(), tier(Subsidy::Fixed(0)), elder());
    let cx = Context {
        menu: &m,
        slot: &s,
        elder: &e,
        tier: &t,
        ordered: &[],
        proxies: &[],
        already_ordered: true,
        now: beijing(8, 0, 0),
        offset_minutes: 480,
    };
    assert_eq!(
        validate(&order(&[("pork", 1)]), &cx),
        Err(OrderError::AlreadyOrdered)
    );
}

#[test]
fn the_server_takes_an_order_made_in_time_within_the_grace() {
    let day = date("2026-12-01");
    let made = beijing(9, 29, 0);
    assert_eq!(
        check_arrival(made, beijing(9, 29, 30), day, &lunch(), 480),
        Ok(())
    );
    assert_eq!(
        check_arrival(made, beijing(9, 44, 59), day, &lunch(), 480),
        Ok(())
    );
    let closed_at = beijing(9, 30, 0);
    assert_eq!(
        check_arrival(made, beijing(9, 45, 0), day, &lunch(), 480),
        Err(OrderError::PastCutoff { closed_at })
    );
    // Made after the cut-off (by the device's clock): no grace.
    assert_eq!(
        check_arrival(beijing(9, 31, 0), beijing(9, 31, 1), day, &lunch(), 480),
        Err(OrderError::PastCutoff { closed_at })
    );
}

#[test]
fn cancelling_needs_a_received_order_before_the_cut_off() {
    let day = date("2026-12-01");
    assert_eq!(
        check_cancel(Status::Received, beijing(9, 29, 59), day, &lunch(), 480),
        Ok(())
    );
    assert_eq!(
        check_cancel(Status::Received, beijing(9, 30, 0), day, &lunch(), 480),
        Err(OrderError::PastCutoff {
            closed_at: beijing(9, 30, 0)
        })
    );
    for done in [Status::Delivered, Status::Cancelled] {
        assert_eq!(
            check_cancel(done, beijing(8, 0, 0), day, &lunch(), 480),
            Err(OrderError::Closed)
        );
    }
}

#[test]
fn addresses_are_masked_but_the_building() {
    assert_eq!(mask_address("3幢2单元401"), "3幢*****1");
    assert_eq!(mask_address("青山三区12栋101"), "青山三区12栋**1");
    assert_eq!(mask_address("ab"), "*b");
    assert_eq!(mask_address("长者公寓"), "长者*寓");
}

#[test]
fn an_order_round_trips_and_bad_payloads_are_located() {
    let mut o = order(&[("tofu", 2), ("fish", 1)]);
    o.note = "不要辣".into();
    o.fulfilment = Fulfilment::Pickup;
    let back = MealOrder::from_value(&o.to_value(), 7).unwrap();
    assert_eq!(back, o);

    type Members = Vec<(String, Value)>;
    let bad = |edit: &dyn Fn(&mut Members)| {
        let mut v = o.to_value();
        if let Value::Object(m) = &mut v {
            edit(m);
        }
        MealOrder::from_value(&v, 7).unwrap_err().to_string()
    };
    let set = |key: &'static str, value: Value| {
        move |m: &mut Members| {
            m.iter_mut().find(|(k, _)| k == key).unwrap().1 = value.clone();
        }
    };
    assert_eq!(
        bad(&set("date", Value::String("12/01".into()))),
        "date: \"12/01\" is not a YYYY-MM-DD date"
    );
    assert_eq!(
        bad(&set("fulfilment", Value::String("drone".into()))),
        "fulfilment: unknown way \"drone\""
    );
    let lines = Value::Array(vec![
        Value::object(vec![
            ("dish", Value::String("tofu".into())),
            ("qty", Value::Number(1.0)),
        ]),
        Value::object(vec![
            ("dish", Value::String("fish".into())),
            ("qty", Value::Number(1.5)),
        ]),
    ]);
    assert_eq!(
        bad(&set("lines", lines)),
        "lines[1].qty: expected a whole number from 0 to 2^53"
    );
    assert_eq!(
        bad(&|m| m.push(("price".into(), Value::Number(0.0)))),
        "price: unknown field"
    );
    assert_eq!(bad(&|m| m.retain(|(k, _)| k != "slot")), "slot: is missing");
}

#[test]
fn profiles_without_consent_carry_no_dietary_data() {
    let p = Profile {
        elder: "e1".into(),
        consent: true,
        needs: vec![Tag::Halal],
        allergies: vec!["花生".into()],
    };
    assert_eq!(Profile::from_value(&p.to_value()).unwrap(), p);
    let sneaky = Profile {
        consent: false,
        ..p
    };
    assert_eq!(
        Profile::from_value(&sneaky.to_value())
            .unwrap_err()
            .to_string(),
        "consent: dietary data needs consent"
    );
    let withdrawn = Profile {
        needs: vec![],
        allergies: vec![],
        ..sneaky
    };
    assert_eq!(
        Profile::from_value(&withdrawn.to_value()).unwrap(),
        withdrawn
    );
}

#[test]
fn a_board_round_trips() {
    let id = crate::sync::wire::SubmissionId::from_random([7; 16]);
    let board = Board {
        elders: vec![BoardElder {
            elder: Elder {
                needs: vec![Tag::Soft],
                allergies: vec!["鱼".into()],
                ..elder()
            },
            name: "张桂英".into(),
            address: mask_address("3幢2单元401"),
            own: false,
            consent: true,
        }],
        menus: vec![BoardMenu {
            menu: menu(),
            ordered: vec![("fish".into(), 4)],
        }],
        orders: vec![BoardOrder {
            id: id.clone(),
            order: MealOrder {
                placed_by: 0,
                ..order(&[("tofu", 1)])
            },
            status: Status::Delivered,
            price: Price {
                list: 800,
                subsidy: 300,
                pay: 500,
            },
            placed_by: "5幢1单元302".into(),
        }],
        now: 1_764_000_000_000,
    };
    let back = Board::from_value(&board.to_value()).unwrap();
    assert_eq!(back, board);
    assert_eq!(
        back.menu(date("2026-12-01"), "lunch").unwrap().ordered[0].1,
        4
    );
    assert!(back.menu(date("2026-12-02"), "lunch").is_none());
    assert_eq!(
        Cancel::from_value(&Cancel { order: id.clone() }.to_value())
            .unwrap()
            .order,
        id
    );
}

#[test]
fn declared_board_keeps_its_wire_names_and_locates_errors_inside_flattened_parts() {
    let mut board = Board {
        elders: vec![BoardElder {
            elder: elder(),
            name: "张桂英".into(),
            address: String::new(),
            own: true,
            consent: false,
        }],
        menus: vec![BoardMenu {
            menu: menu(),
            ordered: Vec::new(),
        }],
        orders: vec![BoardOrder {
            id: crate::sync::wire::SubmissionId::from_random([7; 16]),
            order: MealOrder {
                placed_by: 0,
                ..order(&[("tofu", 1)])
            },
            status: Status::Received,
            price: Price {
                list: 800,
                subsidy: 300,
                pay: 500,
            },
            placed_by: String::new(),
        }],
        now: 1,
    };
    board.menus[0].menu.dishes[0].photo = Some("/media/fish.jpg".into());
    let text = crate::json::to_string(&board.to_value());
    // Renamed and flattened fields are where the 2026-12 wire put them.
    for member in ["\"limit\":", "\"unit\":", "\"photo\":\"/media/fish.jpg\""] {
        assert!(text.contains(member), "{member} missing from {text}");
    }
    assert!(!text.contains("daily_limit") && !text.contains("unit_id"));
    let located = |from: &str, to: &str| {
        let bad = crate::json::from_str(&text.replacen(from, to, 1)).unwrap();
        let e = Board::from_value(&bad).unwrap_err();
        format!("{}: {}", e.field, e.message)
    };
    // A member the elder does not know is refused by the flattened elder.
    assert_eq!(
        located("\"own\":", "\"owner\":true,\"own\":"),
        "elders[0].owner: unknown field"
    );
    assert_eq!(
        located("\"unit\":7", "\"unit\":\"7\""),
        "elders[0].unit: expected number, found string"
    );
    assert_eq!(
        located("\"limit\":null", "\"limit\":100001"),
        "menus[0].dishes[0].limit: is more than 100000"
    );
    assert_eq!(
        located("\"pay\":", "\"pay\":-"),
        "orders[0].price.pay: expected a whole number from 0 to 2^53"
    );
}

#[test]
fn reasons_name_the_dish_and_the_time() {
    let m = menu();
    let sold = OrderError::SoldOut {
        dish: "fish".into(),
        left: 2,
    };
    assert_eq!(sold.text(Lang::ZhCn, Some(&m), 480), "“fish”只剩 2 份");
    let none = OrderError::SoldOut {
        dish: "fish".into(),
        left: 0,
    };
    assert_eq!(none.text(Lang::ZhCn, Some(&m), 480), "“fish”已售完");
    assert_eq!(none.text(Lang::En, Some(&m), 480), "“fish” is sold out");
    assert_eq!(sold.code(), "sold_out");
    let late = OrderError::PastCutoff {
        closed_at: beijing(9, 30, 0),
    };
    assert_eq!(
        late.text(Lang::ZhCn, None, 480),
        "已过订餐截止时间（2026-12-01 09:30）"
    );
    assert_eq!(
        late.text(Lang::En, None, 480),
        "Ordering closed at 2026-12-01 09:30"
    );
}

#[test]
fn yuan_is_formatted_and_parsed_in_whole_fen() {
    assert_eq!(yuan(1250), "12.50");
    assert_eq!(yuan(5), "0.05");
    for (t, fen) in [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("¥0.05", 5),
        (" 8 ", 800),
    ] {
        assert_eq!(parse_yuan(t), Some(fen), "{t}");
    }
    for t in ["", "12.505", "-1", "1,5", "abc", ".5", "1e3"] {
        assert_eq!(parse_yuan(t), None, "{t}");
    }
}

#[test]
fn a_narrowed_elder_gets_the_same_warnings_on_these_menus_and_shows_nothing_else() {
    let full = Elder {
        needs: vec![Tag::Soft, Tag::LowSalt, Tag::Halal],
        allergies: vec!["鱼".into(), "花生".into(), "海鲜".into()],
        ..elder()
    };
    let m = menu();
    let narrow = narrowed_to(&full, &[&m]);
    // Pork has no tags, so every need decides something; 花生 and 海鲜 are in no dish
    // and are not shown.
    assert_eq!(narrow.allergies, vec!["鱼".to_owned()]);
    assert_eq!(narrow.needs, vec![Tag::Soft, Tag::LowSalt, Tag::Halal]);
    for d in &m.dishes {
        let o = order(&[(d.id.as_str(), 1)]);
        assert_eq!(
            conflicts(&o, &m, &narrow),
            conflicts(&o, &m, &full),
            "{}",
            d.id
        );
    }
    // A need every dish meets is not shown either.
    let soft_only = Menu {
        dishes: vec![m.dishes[0].clone()],
        ..m.clone()
    };
    let narrow = narrowed_to(&full, &[&soft_only]);
    assert_eq!(narrow.needs, vec![Tag::Halal]);
    assert!(narrow.allergies.is_empty());
    assert!(narrowed_to(&full, &[]).needs.is_empty());
}

#[test]
fn one_dish_on_two_lines_is_refused_so_no_limit_is_checked_per_line() {
    // 20 + 20 of a dish limited to 30 a day: each line alone would pass.
    let twice = order(&[("pork", 20), ("pork", 20)]);
    assert_eq!(
        check(&twice, beijing(8, 0, 0), &[], &elder(), &[]),
        Err(OrderError::DuplicateDish("pork".into()))
    );
    let apart = order(&[("pork", 1), ("tofu", 1), ("pork", 1)]);
    assert_eq!(
        check(&apart, beijing(8, 0, 0), &[], &elder(), &[]),
        Err(OrderError::DuplicateDish("pork".into()))
    );
    assert!(check(
        &order(&[("pork", 2), ("tofu", 1)]),
        beijing(8, 0, 0),
        &[],
        &elder(),
        &[]
    )
    .is_ok());
    let text = OrderError::DuplicateDish("pork".into()).text(Lang::ZhCn, Some(&menu()), 480);
    assert!(text.contains("pork"), "{text}");
}

#[test]
fn more_than_twenty_portions_of_a_dish_without_a_limit_is_refused() {
    assert!(check(
        &order(&[("tofu", MAX_PORTIONS)]),
        beijing(8, 0, 0),
        &[],
        &elder(),
        &[]
    )
    .is_ok());
    assert_eq!(
        check(
            &order(&[("tofu", MAX_PORTIONS + 1)]),
            beijing(8, 0, 0),
            &[],
            &elder(),
            &[]
        ),
        Err(OrderError::TooMany {
            dish: "tofu".into(),
            max: MAX_PORTIONS
        })
    );
    // The wire refuses it too, with the same number.
    let mut v = order(&[("tofu", MAX_PORTIONS + 1)]).to_value();
    assert!(MealOrder::from_value(&v, 7).is_err());
    v = order(&[("tofu", MAX_PORTIONS)]).to_value();
    assert!(MealOrder::from_value(&v, 7).is_ok());
}

#[test]
fn portions_left_and_the_steppers_maximum_come_from_one_rule() {
    let m = menu();
    let fish = m.dish("fish").unwrap();
    let tofu = m.dish("tofu").unwrap();
    let pork = m.dish("pork").unwrap();
    let ordered = vec![
        ("fish".to_owned(), 3),
        ("fish".to_owned(), 4),
        ("pork".to_owned(), 2),
    ];
    assert_eq!(portions_left(fish, &ordered), Some(3));
    assert_eq!(portions_left(tofu, &ordered), None);
    assert_eq!(portions_left(pork, &ordered), Some(28));
    assert_eq!(
        portions_left(fish, &[("fish".to_owned(), u32::MAX)]),
        Some(0)
    );
    assert_eq!(max_portions(fish, &ordered), 3);
    assert_eq!(max_portions(tofu, &ordered), MAX_PORTIONS);
    assert_eq!(max_portions(pork, &ordered), MAX_PORTIONS);
}

#[test]
fn a_dishs_conflicts_are_the_orders_conflicts_for_that_dish() {
    let m = menu();
    let e = Elder {
        needs: vec![Tag::Soft],
        allergies: vec!["鱼".into()],
        ..elder()
    };
    let fish = m.dish("fish").unwrap();
    assert_eq!(
        dish_conflicts(fish, &e),
        vec![
            ConflictReason::Allergen("鱼".into()),
            ConflictReason::Lacks(Tag::Soft)
        ]
    );
    assert!(dish_conflicts(m.dish("tofu").unwrap(), &e).is_empty());
    let whole = conflicts(&order(&[("fish", 1), ("tofu", 1)]), &m, &e);
    let reasons: Vec<ConflictReason> = whole.into_iter().map(|c| c.reason).collect();
    assert_eq!(reasons, dish_conflicts(fish, &e));
}

#[test]
fn today_is_the_date_in_the_deployments_zone() {
    use crate::date::date_at;
    // 2026-12-01 23:59:59 and 2026-12-02 00:00:00 in Beijing.
    let last = beijing(23, 59, 59);
    assert_eq!(date_at(last, 480), Some(date("2026-12-01")));
    assert_eq!(date_at(last + 1_000, 480), Some(date("2026-12-02")));
    // The same instant is still 12-01 in UTC until 08:00 UTC.
    assert_eq!(date_at(last + 1_000, 0), Some(date("2026-12-01")));
}
