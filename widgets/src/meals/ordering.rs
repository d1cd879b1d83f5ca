//! The ordering view: elder, day and meal, dish cards with steppers, the priced order
//! with one big confirm button, same-as-last-time, history with cancel, and the
//! separately consented diet card. Every decision is a `linli_core::meals` rule.
//!
//! Every button carries `data-act` (and `data-arg`); one click handler on the root
//! reads them. One closure instead of one per button keeps the widget small in the
//! residents' download.

use std::rc::Rc;

use linli_core::config::{format_time, MealsConfig};
use linli_core::date::Date;
use linli_core::meals::{
    conflicts, cutoff_instant, price, repeat, validate, Board, BoardElder, BoardMenu, BoardOrder,
    ConflictReason, Context, Fulfilment, Line, MealOrder, OrderError, Profile, Status, Tag,
};
use linli_core::sync::wire::SubmissionId;
use linli_core::{Lang, Text};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::base::ReadAloud;

/// Props of [`MealOrdering`].
#[derive(Properties, Clone)]
pub struct MealOrderingProps {
    /// What the household may see: elders, menus with portions taken, orders.
    pub board: Rc<Board>,
    /// The deployment's meal slots, tiers and time zone.
    pub config: Rc<MealsConfig>,
    /// Now, ms since the epoch, for drawing open and closed meals; confirming checks
    /// again against the later of this and the browser's clock.
    pub now: f64,
    /// Interface language.
    #[prop_or_default]
    pub lang: Lang,
    /// Orders made on this device and not yet acknowledged (shown as waiting).
    #[prop_or_default]
    pub pending: Rc<Vec<MealOrder>>,
    /// Orders whose cancellation waits to be sent.
    #[prop_or_default]
    pub cancelling: Rc<Vec<SubmissionId>>,
    /// A checked order the resident confirmed.
    pub on_order: Callback<MealOrder>,
    /// The resident cancels an order (by its submission id).
    #[prop_or_default]
    pub on_cancel: Callback<SubmissionId>,
    /// The resident consented and entered dietary needs and allergies.
    #[prop_or_default]
    pub on_profile: Callback<Profile>,
}

/// Shared data compares by identity: a new board is a new `Rc`, and comparing two
/// boards field by field would cost more code than it saves renders.
impl PartialEq for MealOrderingProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.board, &o.board)
            && Rc::ptr_eq(&self.config, &o.config)
            && Rc::ptr_eq(&self.pending, &o.pending)
            && Rc::ptr_eq(&self.cancelling, &o.cancelling)
            && self.now == o.now
            && self.lang == o.lang
            && self.on_order == o.on_order
            && self.on_cancel == o.on_cancel
            && self.on_profile == o.on_profile
    }
}

#[derive(Clone, Default, PartialEq)]
struct Draft {
    elder: usize,
    meal: Option<(Date, String)>,
    lines: Vec<Line>,
    way: Option<Fulfilment>,
    /// (is a problem, text) above the form.
    message: Option<(bool, String)>,
    diet_open: bool,
    /// Elders whose diet profile was just handed to `on_profile` (kept until the board
    /// says the server has it).
    diet_sent: Vec<String>,
}

impl Draft {
    fn qty(&self, dish: &str) -> u32 {
        self.lines
            .iter()
            .find(|l| l.dish == dish)
            .map_or(0, |l| l.qty)
    }

    /// A fresh order for another elder or meal.
    fn reset(&mut self) {
        self.lines.clear();
        self.way = None;
        self.message = None;
    }
}

/// Everything one render works out, shared by the view and the click handler.
struct View<'a> {
    p: &'a MealOrderingProps,
    d: &'a Draft,
    elder: &'a BoardElder,
    today: Option<Date>,
    /// Meals from today on.
    upcoming: Vec<&'a BoardMenu>,
    chosen: Option<&'a BoardMenu>,
    /// The order as drafted (for the chosen meal).
    order: Option<MealOrder>,
    /// The elder's last order, for "same as last time".
    last: Option<&'a MealOrder>,
}

impl<'a> View<'a> {
    fn new(p: &'a MealOrderingProps, d: &'a Draft) -> Option<View<'a>> {
        let board = &p.board;
        let elder = board.elders.get(d.elder).or(board.elders.first())?;
        let offset = p.config.utc_offset_minutes;
        let now = p.now as i64;
        let today = Date::from_unix_days((now.div_euclid(60_000) + offset).div_euclid(1_440));
        let upcoming: Vec<&BoardMenu> = board
            .menus
            .iter()
            .filter(|m| today.is_some_and(|t| m.menu.date >= t))
            .collect();
        let mut v = View {
            p,
            d,
            elder,
            today,
            chosen: None,
            order: None,
            last: None,
            upcoming,
        };
        v.chosen = d
            .meal
            .as_ref()
            .and_then(|(date, slot)| board.menu(*date, slot))
            .or_else(|| v.upcoming.iter().copied().find(|m| v.open(m, now)))
            .or_else(|| v.upcoming.first().copied());
        v.order = v.chosen.map(|m| MealOrder {
            elder: elder.elder.id.clone(),
            date: m.menu.date,
            slot: m.menu.slot.clone(),
            lines: d.lines.clone(),
            fulfilment: d.way.unwrap_or(elder.elder.fulfilment),
            note: String::new(),
            placed_by: elder.elder.unit_id,
            confirmed_conflicts: false,
        });
        v.last = p
            .pending
            .iter()
            .rfind(|o| o.elder == elder.elder.id)
            .or_else(|| {
                v.history()
                    .find(|o| o.status != Status::Cancelled)
                    .map(|o| &o.order)
            });
        Some(v)
    }

    fn lang(&self) -> Lang {
        self.p.lang
    }

    fn closes_at(&self, date: Date, slot: &str) -> Option<i64> {
        let s = self.p.config.slot(slot)?;
        Some(cutoff_instant(
            date,
            s.slot.cutoff,
            self.p.config.utc_offset_minutes,
        ))
    }

    fn open(&self, m: &BoardMenu, now: i64) -> bool {
        self.closes_at(m.menu.date, &m.menu.slot)
            .is_some_and(|c| now < c)
    }

    fn history(&self) -> impl Iterator<Item = &'a BoardOrder> {
        let id = &self.elder.elder.id;
        self.p
            .board
            .orders
            .iter()
            .filter(move |o| o.order.elder == *id)
    }

    fn dish_name(&self, id: &str) -> String {
        self.p
            .board
            .menus
            .iter()
            .find_map(|m| m.menu.dish(id))
            .map_or_else(|| id.to_owned(), |d| d.name.clone())
    }

    fn day(&self, date: Date) -> String {
        let lang = self.lang();
        match self.today.map(|t| date.unix_days() - t.unix_days()) {
            Some(0) => lang.t(Text::MealToday).to_owned(),
            Some(1) => lang.t(Text::MealTomorrow).to_owned(),
            _ => lang.fill(
                Text::MealDate,
                &[
                    ("month", &date.month.to_string()),
                    ("day", &date.day.to_string()),
                ],
            ),
        }
    }

    fn slot_name(&self, slot: &str) -> String {
        self.p
            .config
            .slot(slot)
            .map_or_else(|| slot.to_owned(), |s| s.name.get(self.lang()).to_owned())
    }

    fn money(&self, fen: u32) -> String {
        self.lang()
            .fill(Text::MealPrice, &[("yuan", &linli_core::meals::yuan(fen))])
    }

    /// Checks the drafted order at `now`; the order ready to queue, or the reason.
    fn check(&self, now: i64, note: String, confirmed: bool) -> Result<MealOrder, String> {
        let lang = self.lang();
        let offset = self.p.config.utc_offset_minutes;
        let (Some(order), Some(menu)) = (&self.order, self.chosen) else {
            return Err(lang.t(Text::MealNoMenu).to_owned());
        };
        let order = MealOrder {
            note,
            confirmed_conflicts: confirmed,
            ..order.clone()
        };
        let same =
            |o: &MealOrder| o.elder == order.elder && o.date == order.date && o.slot == order.slot;
        let (Some(slot), Some(tier)) = (
            self.p.config.slot(&order.slot),
            self.p.config.tier(&self.elder.elder.tier),
        ) else {
            return Err(lang.t(Text::MealErrWrongMenu).to_owned());
        };
        let cx = Context {
            menu: &menu.menu,
            slot: &slot.slot,
            elder: &self.elder.elder,
            tier: &tier.tier,
            ordered: &menu.ordered,
            proxies: &[],
            already_ordered: self.p.pending.iter().any(same)
                || self
                    .history()
                    .any(|o| o.status != Status::Cancelled && same(&o.order)),
            now,
            offset_minutes: offset,
        };
        validate(&order, &cx)
            .map(|_| order.clone())
            .map_err(|e| e.text(lang, Some(&menu.menu), offset))
    }
}

use linli_core::escape_html as esc;

/// Markup written as text: the static parts of the view are plain HTML strings (every
/// value escaped), which costs a fraction of the code `html!` generates per element.
fn raw(markup: String) -> Html {
    Html::from_html_unchecked(markup.into())
}

/// A toggle button; `label` is already markup.
fn pill(act: &str, arg: &str, pressed: bool, label: &str) -> String {
    format!(
        "<button type=\"button\" class=\"ll-pill\" data-act=\"{act}\" data-arg=\"{}\" aria-pressed=\"{pressed}\">{label}</button>",
        esc(arg)
    )
}

/// A labelled group of pills.
fn choice(legend: Text, lang: Lang, pills: String) -> String {
    let legend = esc(lang.t(legend));
    format!(
        "<div class=\"ll-meal__choice\" role=\"group\" aria-label=\"{legend}\"><span class=\"ll-meal__legend\" aria-hidden=\"true\">{legend}</span>{pills}</div>"
    )
}

/// The ordering view of the meals scenario. Emits a checked [`MealOrder`] on confirm;
/// the caller queues it (the shell puts it in the outbox).
///
/// ```no_run
/// use std::rc::Rc;
/// use linli_core::{config::MealsConfig, meals::{Board, MealOrder}, Lang};
/// use linli_widgets::meals::MealOrdering;
/// use yew::prelude::*;
///
/// fn view(board: Rc<Board>, config: Rc<MealsConfig>, now: f64) -> Html {
///     let on_order = Callback::from(|order: MealOrder| { /* queue it */ });
///     html! { <MealOrdering {board} {config} {now} lang={Lang::ZhCn} {on_order} /> }
/// }
/// ```
#[function_component]
pub fn MealOrdering(p: &MealOrderingProps) -> Html {
    let draft = use_state(Draft::default);
    let root = use_node_ref();
    let lang = p.lang;
    let Some(v) = View::new(p, &draft) else {
        return raw(format!(
            "<p class=\"ll-meal__empty\">{}</p>",
            esc(lang.t(Text::MealNoElders))
        ));
    };
    let onclick = {
        let (draft, root, p) = (draft.clone(), root.clone(), p.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(button) = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("[data-act]").ok().flatten())
            else {
                return;
            };
            let act = button.get_attribute("data-act").unwrap_or_default();
            let arg = button.get_attribute("data-arg").unwrap_or_default();
            let mut d = (*draft).clone();
            act_on(&p, &mut d, &root, &act, &arg);
            draft.set(d);
        })
    };
    let offset = p.config.utc_offset_minutes;
    let now = p.now as i64;
    let d = &*draft;
    let board = &p.board;
    let elder = v.elder;
    let t = |text: Text| esc(lang.t(text));

    // Elder, day, meal and dishes: one block of markup.
    let mut top = String::new();
    let mark = |e: &BoardElder| {
        if e.own {
            String::new()
        } else {
            format!("（{}）", t(Text::MealProxyMark))
        }
    };
    if board.elders.len() == 1 {
        top.push_str(&format!(
            "<p class=\"ll-meal__for\">{}{}</p>",
            esc(&lang.fill(Text::MealForName, &[("name", &elder.name)])),
            mark(elder)
        ));
    } else {
        let pills: String = board
            .elders
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let label = format!("{}{}", esc(&e.name), mark(e));
                pill("elder", &i.to_string(), std::ptr::eq(e, elder), &label)
            })
            .collect();
        top.push_str(&choice(Text::MealFor, lang, pills));
    }
    let open = v.chosen.is_some_and(|m| v.open(m, now));
    if v.last.is_some() && open {
        top.push_str(&format!(
            "<button type=\"button\" data-act=\"repeat\" class=\"ll-button ll-meal__repeat\">{}</button>",
            t(Text::MealRepeat)
        ));
    }
    let mut dates: Vec<Date> = v.upcoming.iter().map(|m| m.menu.date).collect();
    dates.dedup();
    if dates.is_empty() {
        top.push_str(&format!(
            "<p class=\"ll-meal__empty\">{}</p>",
            t(Text::MealNoMenu)
        ));
    }
    if let Some(c) = v.chosen {
        let days: String = dates
            .iter()
            .map(|date| {
                pill(
                    "day",
                    &date.to_string(),
                    c.menu.date == *date,
                    &esc(&v.day(*date)),
                )
            })
            .collect();
        top.push_str(&choice(Text::MealDay, lang, days));
        let slots: String = v
            .upcoming
            .iter()
            .filter(|m| m.menu.date == c.menu.date)
            .map(|m| {
                let state = match p.config.slot(&m.menu.slot) {
                    Some(s) if v.open(m, now) => lang.fill(
                        Text::MealCutoff,
                        &[("time", &format_time(s.slot.cutoff.minute_of_day))],
                    ),
                    _ => lang.t(Text::MealClosed).to_owned(),
                };
                let label = format!(
                    "{}<small>{}</small>",
                    esc(&v.slot_name(&m.menu.slot)),
                    esc(&state)
                );
                pill(
                    "meal",
                    &format!("{}|{}", m.menu.date, m.menu.slot),
                    std::ptr::eq(*m, c),
                    &label,
                )
            })
            .collect();
        top.push_str(&choice(Text::MealSlot, lang, slots));
        top.push_str("<ul class=\"ll-meal__dishes\">");
        for dish in &c.menu.dishes {
            top.push_str(&dish_card(&v, c, dish, open));
        }
        top.push_str("</ul>");
    }

    let priced = match (&v.order, v.chosen, p.config.tier(&elder.elder.tier)) {
        (Some(o), Some(m), Some(t)) if !o.lines.is_empty() => price(o, &m.menu, &t.tier).ok(),
        _ => None,
    };
    let found = match (&v.order, v.chosen) {
        (Some(o), Some(m)) => !conflicts(o, &m.menu, &elder.elder).is_empty(),
        _ => false,
    };
    let yuan = linli_core::meals::yuan;
    let summary = priced.map(|pr| {
        let lines: Vec<String> = d
            .lines
            .iter()
            .map(|l| lang.fill(Text::MealSpeechLine, &[("dish", &v.dish_name(&l.dish)), ("qty", &l.qty.to_string())]))
            .collect();
        let spoken = lang.fill(
            Text::MealSpeech,
            &[
                ("elder", &elder.name),
                ("date", &v.chosen.map(|m| v.day(m.menu.date)).unwrap_or_default()),
                ("slot", &v.chosen.map(|m| v.slot_name(&m.menu.slot)).unwrap_or_default()),
                ("dishes", &lines.join("，")),
                ("list", &yuan(pr.list)),
                ("subsidy", &yuan(pr.subsidy)),
                ("pay", &yuan(pr.pay)),
            ],
        );
        let items: String = lines.iter().map(|l| format!("<li>{}</li>", esc(l))).collect();
        let block = format!(
            "<ul>{items}</ul><dl class=\"ll-meal__money\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>−{}</dd>\
             <dt class=\"ll-meal__pay\">{}</dt><dd class=\"ll-meal__pay\" data-testid=\"meal-pay\">{}</dd></dl>",
            t(Text::MealList),
            esc(&v.money(pr.list)),
            t(Text::MealSubsidy),
            esc(&v.money(pr.subsidy)),
            t(Text::MealPay),
            esc(&v.money(pr.pay)),
        );
        html! {
            <section class="ll-meal__summary" aria-label={lang.t(Text::MealSummary)}>
                { raw(block) }
                <ReadAloud text={spoken} {lang} />
            </section>
        }
    });
    // A meal that has closed says why, in place of the form.
    let closed = v.chosen.filter(|_| !open).and_then(|m| {
        let closed_at = v.closes_at(m.menu.date, &m.menu.slot)?;
        Some((
            true,
            OrderError::PastCutoff { closed_at }.text(lang, None, offset),
        ))
    });
    let message = d
        .message
        .as_ref()
        .or(closed.as_ref())
        .map(|(problem, text)| {
            raw(format!(
                "<p class=\"ll-meal__message{}\" role=\"{}\">{}</p>",
                if *problem {
                    " ll-meal__message--problem"
                } else {
                    ""
                },
                if *problem { "alert" } else { "status" },
                esc(text)
            ))
        });
    let way = d.way.unwrap_or(elder.elder.fulfilment);
    let form = open.then(|| {
        let ways: String = Fulfilment::ALL
            .iter()
            .map(|f| pill("way", f.id(), way == *f, &t(f.text())))
            .collect();
        // Separate blocks, so the note and the tick survive re-rendering the rest.
        let note = format!(
            "<label class=\"ll-meal__note\"><span>{}</span><textarea rows=\"2\" maxlength=\"200\"></textarea></label>",
            t(Text::MealNote)
        );
        let tick = format!(
            "<label class=\"ll-meal__confirm-conflicts\"><input type=\"checkbox\"><span>{}</span></label>",
            t(Text::MealConfirmConflicts)
        );
        let label = match priced {
            Some(pr) => esc(&lang.fill(Text::MealConfirm, &[("pay", &yuan(pr.pay))])),
            None => t(Text::MealNothing),
        };
        let confirm = format!(
            "<button type=\"button\" data-act=\"confirm\" class=\"ll-button ll-button--primary ll-meal__confirm\"{}>{label}</button>",
            if d.lines.is_empty() { " disabled" } else { "" }
        );
        html! {
            <div class="ll-meal__form">
                { raw(choice(Text::MealWay, lang, ways)) }
                { raw(note) }
                if found { { raw(tick) } }
                { raw(confirm) }
            </div>
        }
    });

    html! {
        <div class="ll-meal" ref={root} {onclick}>
            { raw(top) }
            { summary }
            { message }
            { form }
            { raw(diet_card(&v)) }
            { raw(history_list(&v)) }
        </div>
    }
}

/// What a click on `data-act` does.
fn act_on(p: &MealOrderingProps, d: &mut Draft, root: &NodeRef, act: &str, arg: &str) {
    let lang = p.lang;
    let find = |selector: &str| {
        root.cast::<Element>()
            .and_then(|r| r.query_selector(selector).ok().flatten())
    };
    match act {
        "elder" => {
            d.elder = arg.parse().unwrap_or(0);
            d.meal = None;
            d.reset();
        }
        "day" | "meal" => {
            let (date, slot) = arg.split_once('|').unwrap_or((arg, ""));
            let Some(date) = Date::parse(date) else {
                return;
            };
            let slot = p
                .board
                .menus
                .iter()
                .find(|m| m.menu.date == date && (slot.is_empty() || m.menu.slot == slot))
                .map(|m| m.menu.slot.clone())
                .unwrap_or_default();
            d.meal = Some((date, slot));
            d.reset();
        }
        "add" | "sub" => {
            match d.lines.iter_mut().find(|l| l.dish == arg) {
                Some(l) if act == "add" => l.qty += 1,
                Some(l) => l.qty = l.qty.saturating_sub(1),
                None if act == "add" => d.lines.push(Line {
                    dish: arg.to_owned(),
                    qty: 1,
                }),
                None => {}
            }
            d.lines.retain(|l| l.qty > 0);
            d.message = None;
        }
        "way" => d.way = Fulfilment::from_id(arg),
        "diet" => d.diet_open = true,
        "cancel" => {
            if let Some(id) = SubmissionId::parse(arg) {
                p.on_cancel.emit(id);
            }
        }
        _ => {}
    }
    let Some(v) = View::new(p, d) else { return };
    match act {
        "repeat" => {
            let (Some(last), Some(menu)) = (v.last, v.chosen) else {
                return;
            };
            let (again, dropped) = repeat(last, &menu.menu);
            let text = if dropped.is_empty() {
                lang.t(Text::MealRepeatDone).to_owned()
            } else {
                let names: Vec<String> = dropped.iter().map(|id| v.dish_name(id)).collect();
                lang.fill(Text::MealRepeatDropped, &[("dishes", &names.join("、"))])
            };
            let way = again.fulfilment;
            d.lines = again.lines;
            d.way = Some(way);
            d.message = Some((false, text));
        }
        "confirm" => {
            let note = find("textarea")
                .map(|t| t.unchecked_into::<HtmlTextAreaElement>().value())
                .unwrap_or_default();
            let confirmed = find(".ll-meal__confirm-conflicts input")
                .is_some_and(|i| i.unchecked_into::<HtmlInputElement>().checked());
            let now = p.now.max(js_sys::Date::now()) as i64;
            match v.check(now, note.trim().chars().take(200).collect(), confirmed) {
                Ok(order) => {
                    p.on_order.emit(order);
                    d.reset();
                    d.message = Some((false, lang.t(Text::MealSaved).to_owned()));
                }
                Err(reason) => d.message = Some((true, reason)),
            }
        }
        "diet-save" => {
            let needs = Tag::ALL
                .into_iter()
                .filter(|t| {
                    find(&format!(".ll-meal__diet input[value={}]", t.id()))
                        .is_some_and(|i| i.unchecked_into::<HtmlInputElement>().checked())
                })
                .collect();
            let allergies = find(".ll-meal__diet input[name=allergies]")
                .map(|i| i.unchecked_into::<HtmlInputElement>().value())
                .unwrap_or_default()
                .split(['、', ',', '，', ' '])
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            let elder = v.elder.elder.id.clone();
            p.on_profile.emit(Profile {
                elder: elder.clone(),
                consent: true,
                needs,
                allergies,
            });
            d.diet_open = false;
            d.diet_sent.push(elder);
        }
        _ => {}
    }
}

fn dish_card(v: &View<'_>, m: &BoardMenu, dish: &linli_core::meals::Dish, open: bool) -> String {
    let lang = v.lang();
    let qty = v.d.qty(&dish.id);
    let taken: u32 = m
        .ordered
        .iter()
        .filter(|(id, _)| *id == dish.id)
        .map(|(_, n)| n)
        .sum();
    let left = dish.daily_limit.map(|l| l.saturating_sub(taken));
    let mut probe = v.order.clone().unwrap_or_else(|| MealOrder {
        elder: String::new(),
        date: m.menu.date,
        slot: m.menu.slot.clone(),
        lines: Vec::new(),
        fulfilment: Fulfilment::Delivery,
        note: String::new(),
        placed_by: 0,
        confirmed_conflicts: false,
    });
    probe.lines = vec![Line {
        dish: dish.id.clone(),
        qty: 1,
    }];
    let reasons: Vec<String> = conflicts(&probe, &m.menu, &v.elder.elder)
        .into_iter()
        .map(|c| match c.reason {
            ConflictReason::Allergen(a) => lang.fill(Text::MealAllergic, &[("allergen", &a)]),
            ConflictReason::Lacks(t) => lang.fill(Text::MealLacks, &[("tag", lang.t(t.text()))]),
        })
        .collect();
    let id = esc(&dish.id);
    let name = esc(&dish.name);
    let step = |act: &str, label: Text, sign: &str, disabled: bool| {
        format!(
            "<button type=\"button\" class=\"ll-meal__step\" data-act=\"{act}\" data-arg=\"{id}\" aria-label=\"{}\"{}>{sign}</button>",
            esc(&lang.fill(label, &[("dish", &dish.name)])),
            if disabled { " disabled" } else { "" }
        )
    };
    let mut facts = vec![v.money(dish.price)];
    facts.extend(dish.tags.iter().map(|t| lang.t(t.text()).to_owned()));
    if !dish.allergens.is_empty() {
        facts.push(lang.fill(
            Text::MealContains,
            &[("allergens", &dish.allergens.join("、"))],
        ));
    }
    if let Some(left) = left {
        facts.push(match left {
            0 => lang.t(Text::MealSoldOut).to_owned(),
            n => lang.fill(Text::MealLeft, &[("left", &n.to_string())]),
        });
    }
    let unsuitable = if reasons.is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"ll-meal__unsuitable\">⚠ {}</p>",
            esc(&lang.fill(Text::MealUnsuitable, &[("reasons", &reasons.join("，"))]))
        )
    };
    format!(
        "<li class=\"ll-meal__dish{}\" data-dish=\"{id}\"><div><h3 class=\"ll-meal__dish-name\">{name}</h3>\
         <p class=\"ll-meal__facts\">{}</p>{unsuitable}</div><div class=\"ll-meal__stepper\">{}\
         <output class=\"ll-meal__qty\">{qty}</output>{}</div></li>",
        if reasons.is_empty() { "" } else { " ll-meal__dish--unsuitable" },
        esc(&facts.join(" · ")),
        step("sub", Text::MealLess, "−", !open || qty == 0),
        step("add", Text::MealMore, "+", !open || left.is_some_and(|l| qty >= l)),
    )
}

fn diet_card(v: &View<'_>) -> String {
    let lang = v.lang();
    let t = |text: Text| esc(lang.t(text));
    let elder = &v.elder.elder;
    if v.elder.consent {
        let needs: Vec<&str> = elder.needs.iter().map(|t| lang.t(t.text())).collect();
        let summary = [needs.join("、"), elder.allergies.join("、")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("；");
        let summary = if summary.is_empty() {
            lang.t(Text::MealDietNone).to_owned()
        } else {
            summary
        };
        return format!(
            "<p class=\"ll-meal__diet-now\">{}</p>",
            esc(&lang.fill(Text::MealDietNow, &[("summary", &summary)]))
        );
    }
    let body = if v.d.diet_sent.contains(&elder.id) {
        format!("<p role=\"status\">{}</p>", t(Text::MealDietSent))
    } else if v.d.diet_open {
        let boxes: String = Tag::ALL
            .iter()
            .map(|tag| {
                format!(
                    "<label class=\"ll-pill\"><input type=\"checkbox\" value=\"{}\">{}</label>",
                    tag.id(),
                    t(tag.text())
                )
            })
            .collect();
        format!(
            "<div class=\"ll-meal__choice\" role=\"group\" aria-label=\"{}\">{boxes}</div>\
             <label class=\"ll-meal__note\"><span>{}</span><input name=\"allergies\" maxlength=\"100\"></label>\
             <button type=\"button\" data-act=\"diet-save\" class=\"ll-button ll-button--primary\">{}</button>",
            t(Text::MealDietNeeds),
            t(Text::MealDietAllergies),
            t(Text::MealDietSave),
        )
    } else {
        format!(
            "<button type=\"button\" data-act=\"diet\" class=\"ll-button\">{}</button>",
            t(Text::MealDietAgree)
        )
    };
    format!(
        "<section class=\"ll-meal__diet\" aria-label=\"{0}\"><h2>{0}</h2><p>{1}</p>{body}</section>",
        t(Text::MealDietTitle),
        t(Text::MealDietWhy),
    )
}

fn history_list(v: &View<'_>) -> String {
    let lang = v.lang();
    let t = |text: Text| esc(lang.t(text));
    let p = v.p;
    let now = p.now as i64;
    let row = |o: &MealOrder, status: &str, pay: Option<u32>, cancel: Option<&SubmissionId>| {
        let dishes: Vec<String> = o
            .lines
            .iter()
            .map(|l| format!("{}×{}", v.dish_name(&l.dish), l.qty))
            .collect();
        let pay = pay
            .map(|fen| format!("<span>{} {}</span>", t(Text::MealPay), esc(&v.money(fen))))
            .unwrap_or_default();
        let cancel = cancel
            .map(|id| format!("<button type=\"button\" class=\"ll-button\" data-act=\"cancel\" data-arg=\"{id}\">{}</button>", t(Text::MealCancel)))
            .unwrap_or_default();
        format!(
            "<li class=\"ll-meal__order\"><b>{} {}</b><span>{}</span><b class=\"ll-meal__status\">{}</b>{pay}{cancel}</li>",
            esc(&v.day(o.date)),
            esc(&v.slot_name(&o.slot)),
            esc(&dishes.join("，")),
            esc(status),
        )
    };
    let mut rows: String = p
        .pending
        .iter()
        .filter(|o| o.elder == v.elder.elder.id)
        .rev()
        .map(|o| row(o, lang.t(Text::MealWaiting), None, None))
        .collect();
    for o in v.history() {
        let cancelling = p.cancelling.contains(&o.id);
        let cancellable = o.status == Status::Received
            && !cancelling
            && v.closes_at(o.order.date, &o.order.slot)
                .is_some_and(|c| now < c);
        let status = lang.t(if cancelling {
            Text::MealCancelling
        } else {
            o.status.text()
        });
        rows.push_str(&row(
            &o.order,
            status,
            Some(o.price.pay),
            cancellable.then_some(&o.id),
        ));
    }
    if rows.is_empty() {
        rows = format!("<li class=\"ll-muted\">{}</li>", t(Text::MealNoHistory));
    }
    format!(
        "<section class=\"ll-meal__history\" aria-label=\"{0}\"><h2>{0}</h2><ul class=\"ll-meal__orders\">{rows}</ul></section>",
        t(Text::MealHistory)
    )
}
