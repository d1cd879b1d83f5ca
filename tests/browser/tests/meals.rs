//! The meal ordering widget mounted alone, as a developer would compose it into their
//! own Yew app: no shell, no storage, no server.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use linli_core::config::{self, MealsConfig};
use linli_core::date::Date;
use linli_core::meals::{
    Board, BoardElder, BoardMenu, Dish, Elder, Fulfilment, Line, MealOrder, Menu, Profile, Tag,
};
use linli_core::Lang;
use linli_widgets::meals::{MealOrdering, Refused};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn meals_config() -> Rc<MealsConfig> {
    let text = include_str!("../../../examples/qingshan/config.json");
    Rc::new(config::parse(text).unwrap().meals.unwrap())
}

/// Today in China and the day after, by the browser's clock.
fn days(now: f64) -> (Date, Date) {
    let today = Date::from_unix_days((now as i64 / 60_000 + 480).div_euclid(1_440)).unwrap();
    (today, today.add_days(1).unwrap())
}

fn board(now: f64) -> Rc<Board> {
    let (today, tomorrow) = days(now);
    let dishes = vec![
        Dish::new("fish", "清蒸鲈鱼", 1500, &[Tag::Soft], &["鱼"], Some(30)),
        Dish::new("congee", "南瓜小米粥", 300, &[Tag::Soft], &[], None),
        Dish::new("tofu", "肉末豆腐", 900, &[Tag::Soft], &[], Some(3)),
    ];
    let menu = |date, slot: &str| BoardMenu {
        menu: Menu {
            date,
            slot: slot.into(),
            dishes: dishes.clone(),
        },
        ordered: vec![("tofu".into(), 2)],
    };
    Rc::new(Board {
        elders: vec![BoardElder {
            elder: Elder {
                id: "e1".into(),
                unit_id: 7,
                tier: "80plus".into(),
                needs: vec![Tag::Soft],
                allergies: vec!["鱼".into()],
                fulfilment: Fulfilment::Delivery,
            },
            name: "张桂英".into(),
            address: "1幢*****1".into(),
            own: false,
            consent: true,
        }],
        // Today's lunch (09:30) has closed by the late clock used below; tomorrow's is open.
        menus: vec![
            menu(today, "lunch"),
            menu(tomorrow, "lunch"),
            menu(tomorrow, "dinner"),
        ],
        orders: Vec::new(),
        now: now as i64,
    })
}

struct Mounted {
    root: web_sys::Element,
    handle: yew::AppHandle<Host>,
    orders: Rc<RefCell<Vec<MealOrder>>>,
    profiles: Rc<RefCell<Vec<Profile>>>,
}

#[derive(Properties, PartialEq)]
struct HostProps {
    board: Rc<Board>,
    now: f64,
    orders: Rc<RefCell<Vec<MealOrder>>>,
    profiles: Rc<RefCell<Vec<Profile>>>,
}

/// A host as an app embedding the widget would be: it keeps what the widget emits, and
/// says when it has stored it (the `commit` button moves the emitted orders into
/// `pending`, as an outbox that committed them would) or that storing failed (`fail`).
#[function_component]
fn Host(p: &HostProps) -> Html {
    let pending = use_state(|| Rc::new(Vec::<MealOrder>::new()));
    let save_error = use_state(|| None::<AttrValue>);
    let on_order = {
        let orders = p.orders.clone();
        Callback::from(move |o| orders.borrow_mut().push(o))
    };
    let on_profile = {
        let profiles = p.profiles.clone();
        Callback::from(move |pr| profiles.borrow_mut().push(pr))
    };
    let commit = {
        let (pending, orders) = (pending.clone(), p.orders.clone());
        Callback::from(move |_: MouseEvent| pending.set(Rc::new(orders.borrow().clone())))
    };
    let fail = {
        let save_error = save_error.clone();
        Callback::from(move |_: MouseEvent| save_error.set(Some("手机存储已满或不可用".into())))
    };
    // The server refused what was sent: the host's outbox holds it as refused.
    let refused = use_state(|| Rc::new(Vec::<Refused>::new()));
    let refuse = {
        let (refused, pending, orders) = (refused.clone(), pending.clone(), p.orders.clone());
        Callback::from(move |_: MouseEvent| {
            pending.set(Rc::new(Vec::new()));
            let list = orders
                .borrow()
                .iter()
                .map(|o| Refused {
                    id: linli_core::sync::wire::SubmissionId::from_random([5; 16]),
                    order: o.clone(),
                    reason: "已过订餐截止时间（2026-12-02 09:30）".into(),
                })
                .collect();
            refused.set(Rc::new(list));
        })
    };
    let on_dismiss = {
        let refused = refused.clone();
        Callback::from(move |_| refused.set(Rc::new(Vec::new())))
    };
    html! {
        <>
            <button type="button" data-testid="commit" onclick={commit}>{ "commit" }</button>
            <button type="button" data-testid="fail" onclick={fail}>{ "fail" }</button>
            <button type="button" data-testid="refuse" onclick={refuse}>{ "refuse" }</button>
            <MealOrdering board={p.board.clone()} config={meals_config()} now={p.now} lang={Lang::ZhCn}
                pending={(*pending).clone()} refused={(*refused).clone()} {on_order} {on_profile} {on_dismiss}
                save_error={(*save_error).clone()} />
        </>
    }
}

fn mount(board: Rc<Board>, now: f64) -> Mounted {
    // Exactly what the meals README lists: no shell stylesheet hides a missing rule.
    install_styles(&[
        TOKENS, BASE, READ_ALOUD, BUTTON, NOTICE, STEPPER, CHOICES, MEALS,
    ]);
    let root = mount_point();
    let orders = Rc::new(RefCell::new(Vec::new()));
    let profiles = Rc::new(RefCell::new(Vec::new()));
    let props = HostProps {
        board,
        now,
        orders: orders.clone(),
        profiles: profiles.clone(),
    };
    let handle = yew::Renderer::<Host>::with_root_and_props(root.clone(), props).render();
    Mounted {
        root,
        handle,
        orders,
        profiles,
    }
}

/// Chooses a day, then one of its meals.
/// The fixture board mounted now, with tomorrow's lunch chosen.
async fn tomorrows_lunch() -> (Mounted, Date) {
    let now = js_sys::Date::now();
    let (_, tomorrow) = days(now);
    let m = mount(board(now), now);
    wait_for(&m.root, ".ll-meal__dish").await;
    choose(&m.root, tomorrow, "lunch").await;
    (m, tomorrow)
}

async fn choose(root: &web_sys::Element, date: Date, slot: &str) {
    click(&button(root, &format!("[data-act=day][data-arg='{date}']")));
    settle().await;
    click(&button(
        root,
        &format!("[data-act=meal][data-arg='{date}|{slot}']"),
    ));
    settle().await;
}

fn button(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}: {}", root.inner_html()))
}

#[wasm_bindgen_test]
async fn a_click_through_order_emits_a_typed_meal_order() {
    let now = js_sys::Date::now();
    let (_, tomorrow) = days(now);
    let m = mount(board(now), now);
    let root = &m.root;
    wait_for(root, ".ll-meal__dish").await;
    assert_eq!(text(root, ".ll-meal__for"), "为张桂英订餐（代订）");
    // A helper is never asked for the elder's consent to dietary data.
    assert!(root.query_selector(".ll-meal__diet").unwrap().is_none());
    // Tomorrow's lunch.
    click(&button(
        root,
        &format!("[data-act=day][data-arg='{tomorrow}']"),
    ));
    settle().await;
    choose(root, tomorrow, "lunch").await;
    let plus = |dish: &str| button(root, &format!("[data-dish={dish}] [data-act=add]"));
    click(&plus("congee"));
    settle().await;
    click(&plus("congee"));
    settle().await;
    click(&plus("tofu"));
    settle().await;
    // Portions left: 3 - 2 ordered - 1 chosen = none more. The + stays focusable, says
    // it is at the limit, and a press says why instead of doing nothing.
    assert_eq!(
        plus("tofu").get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    click(&plus("tofu"));
    settle().await;
    assert_eq!(text(root, "[data-dish=tofu] .ll-stepper__value"), "1");
    assert!(text(root, ".ll-meal__message.ll-notice--problem").contains("只剩 1 份"));
    // 80+ pays half: 6.00 + 9.00 = 15.00, subsidy 7.50.
    assert_eq!(text(root, "[data-testid=meal-pay]"), "7.50 元");
    click(&button(root, "[data-act=way][data-arg=pickup]"));
    settle().await;
    type_into(root, "textarea", "少放盐");
    settle().await;
    let confirm = button(root, "[data-act=confirm]");
    assert_eq!(confirm.text_content().unwrap(), "确认订餐 · 自付 7.50 元");
    click(&confirm);
    settle().await;
    let orders = m.orders.borrow().clone();
    assert_eq!(
        orders,
        vec![MealOrder {
            elder: "e1".into(),
            date: tomorrow,
            slot: "lunch".into(),
            lines: vec![
                Line {
                    dish: "congee".into(),
                    qty: 2
                },
                Line {
                    dish: "tofu".into(),
                    qty: 1
                }
            ],
            fulfilment: Fulfilment::Pickup,
            note: "少放盐".into(),
            placed_by: 7,
            confirmed_conflicts: false,
        }]
    );
    // The stylesheets the README lists are enough: the confirm button is a real,
    // full-size button without the shell's stylesheet.
    assert!(computed_px(&confirm, "min-height") >= 44.0);
    // Emitted is not stored: no "saved" until the host says its outbox holds it.
    assert_eq!(text(root, ".ll-meal__message"), "正在保存到手机…");
    click(&button(root, "[data-testid=commit]"));
    settle().await;
    assert!(text(root, ".ll-meal__message").starts_with("已订好"));
    unmount(m.handle, m.root);
}

#[wasm_bindgen_test]
async fn a_failed_save_keeps_the_draft_and_says_what_to_do() {
    let (m, _) = tomorrows_lunch().await;
    let root = &m.root;
    click(&button(root, "[data-dish=congee] [data-act=add]"));
    settle().await;
    click(&button(root, "[data-act=confirm]"));
    settle().await;
    click(&button(root, "[data-testid=fail]"));
    settle().await;
    let message = text(root, ".ll-meal__message.ll-notice--problem");
    assert!(
        message.contains("订单还没有保存，也没有发出") && message.contains("手机存储已满或不可用"),
        "{message}"
    );
    assert!(!text(root, ".ll-meal").contains("已订好"));
    assert_eq!(
        text(root, "[data-dish=congee] .ll-stepper__value"),
        "1",
        "the draft is kept"
    );
    unmount(m.handle, m.root);
}

#[wasm_bindgen_test]
async fn an_unsuitable_dish_needs_the_tick_and_a_closed_meal_says_why() {
    let now = js_sys::Date::now();
    let (today, tomorrow) = days(now);
    // A clock late in the evening (China time) of today: today's meals have closed.
    let late = ((today.unix_days() * 1_440 + 23 * 60 - 480) * 60_000) as f64;
    let m = mount(board(late), late.max(now));
    let root = &m.root;
    wait_for(root, ".ll-meal__dish").await;
    choose(root, today, "lunch").await;
    assert_eq!(
        text(root, ".ll-meal__message.ll-notice--problem"),
        format!("已过订餐截止时间（{today} 09:30）")
    );
    assert!(root.query_selector("[data-act=confirm]").unwrap().is_none());

    choose(root, tomorrow, "lunch").await;
    assert!(text(root, "[data-dish=fish] .ll-meal__unsuitable").contains("对鱼过敏"));
    click(&button(root, "[data-dish=fish] [data-act=add]"));
    settle().await;
    click(&button(root, "[data-act=confirm]"));
    settle().await;
    assert_eq!(
        text(root, ".ll-meal__message.ll-notice--problem"),
        "有菜不适合老人的饮食禁忌，请确认后再订"
    );
    assert!(m.orders.borrow().is_empty());
    click(&button(root, ".ll-meal__confirm-conflicts input"));
    click(&button(root, "[data-act=confirm]"));
    settle().await;
    let orders = m.orders.borrow();
    assert_eq!(orders.len(), 1);
    assert!(orders[0].confirmed_conflicts);
    assert!(m.profiles.borrow().is_empty());
    drop(orders);
    unmount(m.handle, m.root);
}

#[wasm_bindgen_test]
async fn same_as_last_time_and_the_separate_consent() {
    let now = js_sys::Date::now();
    let (_, tomorrow) = days(now);
    let mut b = (*board(now)).clone();
    // The separate consent is asked of the elder's own household only.
    b.elders[0].own = true;
    b.elders[0].consent = false;
    b.elders[0].elder.needs.clear();
    b.elders[0].elder.allergies.clear();
    // Last time: fish and a dish this menu does not have.
    b.orders.push(linli_core::meals::BoardOrder {
        id: linli_core::sync::wire::SubmissionId::from_random([3; 16]),
        order: MealOrder {
            elder: "e1".into(),
            date: tomorrow.add_days(-7).unwrap(),
            slot: "lunch".into(),
            lines: vec![
                Line {
                    dish: "fish".into(),
                    qty: 1,
                },
                Line {
                    dish: "duck".into(),
                    qty: 1,
                },
            ],
            fulfilment: Fulfilment::DineIn,
            note: String::new(),
            placed_by: 7,
            confirmed_conflicts: false,
        },
        status: linli_core::meals::Status::Delivered,
        price: linli_core::meals::Price {
            list: 1500,
            subsidy: 750,
            pay: 750,
        },
        placed_by: "1幢201".into(),
    });
    let m = mount(Rc::new(b), now);
    let root = &m.root;
    wait_for(root, ".ll-meal__dish").await;
    choose(root, tomorrow, "lunch").await;
    click(&button(root, "[data-act=repeat]"));
    settle().await;
    assert_eq!(
        text(root, ".ll-meal__message"),
        "上次的duck这一餐没有，已去掉"
    );
    assert_eq!(text(root, "[data-dish=fish] .ll-stepper__value"), "1");
    assert_eq!(
        button(root, "[data-act=way][data-arg=dine_in]")
            .get_attribute("aria-checked")
            .as_deref(),
        Some("true")
    );
    assert!(text(root, ".ll-meal__history").contains("已送达"));

    // Nothing dietary is asked for until the resident agrees.
    assert!(root
        .query_selector(".ll-meal__diet input")
        .unwrap()
        .is_none());
    click(&button(root, "[data-act=diet]"));
    settle().await;
    click(&button(root, ".ll-meal__diet input[value=halal]"));
    type_into(root, ".ll-meal__diet input[name=allergies]", "花生、 虾");
    settle().await;
    click(&button(root, "[data-act=diet-save]"));
    settle().await;
    assert_eq!(
        text(root, ".ll-meal__diet [role=status]"),
        "已保存，发送到食堂后生效"
    );
    assert_eq!(
        m.profiles.borrow().clone(),
        vec![Profile {
            elder: "e1".into(),
            consent: true,
            needs: vec![Tag::Halal],
            allergies: vec!["花生".into(), "虾".into()]
        }]
    );
    unmount(m.handle, m.root);
}

#[wasm_bindgen_test]
async fn a_refusal_replaces_saved_where_the_order_was_made_and_can_be_dismissed() {
    let (m, _) = tomorrows_lunch().await;
    let root = &m.root;
    click(&button(root, "[data-dish=congee] [data-act=add]"));
    settle().await;
    click(&button(root, "[data-act=confirm]"));
    settle().await;
    click(&button(root, "[data-testid=commit]"));
    settle().await;
    assert!(text(root, ".ll-meal__message").starts_with("已订好"));
    click(&button(root, "[data-testid=refuse]"));
    settle().await;
    let message = text(root, ".ll-meal__message.ll-notice--problem");
    assert_eq!(
        message,
        "这份订单没有订上：已过订餐截止时间（2026-12-02 09:30）"
    );
    assert!(!text(root, ".ll-meal").contains("已订好"));
    assert!(text(root, ".ll-meal__order--refused").contains("没有订上"));
    click(&button(root, "[data-act=dismiss]"));
    settle().await;
    assert!(root
        .query_selector(".ll-meal__order--refused")
        .unwrap()
        .is_none());
    unmount(m.handle, m.root);
}

#[wasm_bindgen_test]
async fn the_stepper_stops_at_the_portion_cap_of_a_dish_without_a_daily_limit() {
    let (m, _) = tomorrows_lunch().await;
    let root = &m.root;
    let plus = || button(root, "[data-dish=congee] [data-act=add]");
    for _ in 0..linli_core::meals::MAX_PORTIONS {
        click(&plus());
        settle().await;
    }
    assert_eq!(text(root, "[data-dish=congee] .ll-stepper__value"), "20");
    assert_eq!(
        plus().get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    click(&plus());
    settle().await;
    assert_eq!(
        text(root, "[data-dish=congee] .ll-stepper__value"),
        "20",
        "21 cannot be chosen"
    );
    assert!(text(root, ".ll-meal__message.ll-notice--problem").contains("最多订 20 份"));
    unmount(m.handle, m.root);
}

#[wasm_bindgen_test]
async fn choosing_the_chosen_meal_again_keeps_the_draft() {
    let (m, tomorrow) = tomorrows_lunch().await;
    let root = &m.root;
    click(&button(root, "[data-dish=congee] [data-act=add]"));
    settle().await;
    // A tap on the day and the meal already chosen (or an arrow key on a lone option)
    // chooses nothing new, so the dishes stay.
    choose(root, tomorrow, "lunch").await;
    assert_eq!(text(root, "[data-dish=congee] .ll-stepper__value"), "1");
    let lunch = button(
        root,
        &format!("[data-act=meal][data-arg='{tomorrow}|lunch']"),
    );
    assert_eq!(lunch.get_attribute("aria-checked").as_deref(), Some("true"));
    unmount(m.handle, m.root);
}
