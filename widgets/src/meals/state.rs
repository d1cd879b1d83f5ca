//! The ordering view's state as a pure [`Reducible`]: what the resident has chosen and
//! typed, and what the view says about it. Everything from outside (the clock, typed
//! text, ticks, the result of a core rule) comes in as action data, so every
//! transition is a host test below; the rules themselves stay in `linli_core::meals`.

use std::rc::Rc;

use linli_core::date::Date;
use linli_core::meals::{Fulfilment, Line, Tag};
use yew::Reducible;

/// One meal of one elder: (elder id, date, slot id).
pub type MealKey = (String, Date, String);

/// What the view says above the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The order went to the host; not yet kept.
    Saving,
    /// The host holds the order (its outbox transaction committed).
    Saved,
    /// "Same as last time" filled the order; dishes no longer on the menu, by name.
    Repeated(Vec<String>),
    /// A rule refused the order: the reason in the resident's language.
    Problem(String),
}

/// The draft of one order, and the diet form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// Which of the board's elders is ordered for (index).
    pub elder: usize,
    /// The chosen meal (date, slot); `None` picks the first open one.
    pub meal: Option<(Date, String)>,
    /// Portions per dish, one line per dish.
    pub lines: Vec<Line>,
    /// How it arrives; `None` is the elder's usual way.
    pub way: Option<Fulfilment>,
    /// The note for the kitchen as typed.
    pub note: String,
    /// The tick "I know these dishes do not suit, order anyway".
    pub confirmed: bool,
    /// What the view says above the form.
    pub message: Option<Message>,
    /// The diet form is open (the resident agreed to give dietary data).
    pub diet_open: bool,
    /// Needs ticked in the diet form.
    pub diet_needs: Vec<Tag>,
    /// Allergies as typed in the diet form.
    pub diet_allergies: String,
    /// Elders whose diet profile was handed to the host (until the board has it).
    pub diet_sent: Vec<String>,
    /// The meal of an order handed to the host and not yet shown by it as kept: the
    /// draft stays until the host's `pending` list or the board holds it, so "saved"
    /// is never said before the outbox has it.
    pub awaiting: Option<MealKey>,
    /// The meal of the order last kept by the host, while "saved" shows: a refusal of
    /// it by the server replaces that message.
    pub saved: Option<MealKey>,
}

/// Everything that changes the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Order for another elder (index in the board): a fresh draft.
    Elder(usize),
    /// Choose a meal (date, slot): a fresh draft for it.
    Meal(Date, String),
    /// One more portion of a dish, never beyond `max` (`linli_core::meals::max_portions`).
    Add {
        /// The dish.
        dish: String,
        /// The most this order may hold now.
        max: u32,
    },
    /// One portion less; the line goes at zero.
    Sub(String),
    /// How the meal arrives.
    Way(Fulfilment),
    /// The note as typed.
    Note(String),
    /// The tick for unsuitable dishes.
    Tick(bool),
    /// "Same as last time", already rebuilt for this menu by `linli_core::meals::repeat`:
    /// its lines and way, and the names of dishes dropped.
    Repeat {
        /// The lines kept.
        lines: Vec<Line>,
        /// The last order's way.
        way: Fulfilment,
        /// Dishes of the last order not on this menu, by name.
        dropped: Vec<String>,
    },
    /// The order passed every rule and went to the host for this meal.
    Sent(MealKey),
    /// A rule refused the order: why, in the resident's language.
    Refused(String),
    /// The host shows the awaited order as kept: a fresh draft that says so.
    Stored,
    /// Open the diet form.
    DietOpen,
    /// Tick or untick a need in the diet form.
    DietNeed(Tag, bool),
    /// The allergies as typed.
    DietAllergies(String),
    /// The diet profile of this elder (id) went to the host.
    DietSent(String),
}

impl Draft {
    /// Portions of `dish` in the draft.
    pub fn qty(&self, dish: &str) -> u32 {
        self.lines
            .iter()
            .find(|l| l.dish == dish)
            .map_or(0, |l| l.qty)
    }

    /// The allergies typed, split at the separators residents use (、，, and spaces).
    pub fn allergies(&self) -> Vec<String> {
        self.diet_allergies
            .split(['、', ',', '，', ' '])
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// A fresh order (for another elder or meal, or after one was kept).
    fn reset(&mut self) {
        self.lines.clear();
        self.way = None;
        self.note.clear();
        self.confirmed = false;
        self.message = None;
        self.awaiting = None;
        self.saved = None;
    }

    /// The draft after `action`.
    pub fn next(mut self, action: Action) -> Draft {
        match action {
            Action::Elder(i) => {
                self.elder = i;
                self.meal = None;
                self.reset();
            }
            Action::Meal(date, slot) => {
                self.meal = Some((date, slot));
                self.reset();
            }
            Action::Add { dish, max } => {
                match self.lines.iter_mut().find(|l| l.dish == dish) {
                    Some(l) => l.qty = (l.qty + 1).min(max),
                    None if max > 0 => self.lines.push(Line { dish, qty: 1 }),
                    None => {}
                }
                self.message = None;
            }
            Action::Sub(dish) => {
                if let Some(l) = self.lines.iter_mut().find(|l| l.dish == dish) {
                    l.qty = l.qty.saturating_sub(1);
                }
                self.lines.retain(|l| l.qty > 0);
                self.message = None;
            }
            Action::Way(way) => self.way = Some(way),
            Action::Note(note) => self.note = note,
            Action::Tick(on) => self.confirmed = on,
            Action::Repeat {
                lines,
                way,
                dropped,
            } => {
                self.lines = lines;
                self.way = Some(way);
                self.message = Some(Message::Repeated(dropped));
            }
            Action::Sent(key) => {
                self.awaiting = Some(key);
                self.message = Some(Message::Saving);
            }
            Action::Refused(reason) => self.message = Some(Message::Problem(reason)),
            Action::Stored => {
                if let Some(key) = self.awaiting.take() {
                    self.reset();
                    self.message = Some(Message::Saved);
                    self.saved = Some(key);
                }
            }
            Action::DietOpen => self.diet_open = true,
            Action::DietNeed(tag, on) => {
                self.diet_needs.retain(|t| *t != tag);
                if on {
                    self.diet_needs.push(tag);
                }
            }
            Action::DietAllergies(text) => self.diet_allergies = text,
            Action::DietSent(elder) => {
                self.diet_open = false;
                self.diet_needs.clear();
                self.diet_allergies.clear();
                self.diet_sent.push(elder);
            }
        }
        self
    }
}

impl Reducible for Draft {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().next(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        Date {
            year: 2026,
            month: 12,
            day: 2,
        }
    }

    fn key() -> MealKey {
        ("e1".into(), day(), "lunch".into())
    }

    fn add(dish: &str, max: u32) -> Action {
        Action::Add {
            dish: dish.into(),
            max,
        }
    }

    fn after(actions: impl IntoIterator<Item = Action>) -> Draft {
        actions.into_iter().fold(Draft::default(), Draft::next)
    }

    #[test]
    fn adding_a_dish_makes_one_line_and_counts_up_to_its_maximum() {
        let d = after([add("egg", 20), add("egg", 20), add("rice", 20)]);
        assert_eq!(d.qty("egg"), 2);
        assert_eq!(d.lines.len(), 2, "one line per dish");
        let d = after((0..25).map(|_| add("egg", 20)));
        assert_eq!(d.qty("egg"), 20, "the stepper stops at the portion cap");
        let d = after([
            add("fish", 3),
            add("fish", 3),
            add("fish", 3),
            add("fish", 3),
        ]);
        assert_eq!(d.qty("fish"), 3, "and at the portions left");
        assert!(
            after([add("fish", 0)]).lines.is_empty(),
            "sold out adds nothing"
        );
    }

    #[test]
    fn taking_the_last_portion_away_removes_the_line() {
        let d = after([add("egg", 20), add("egg", 20), Action::Sub("egg".into())]);
        assert_eq!(d.qty("egg"), 1);
        let d = d.next(Action::Sub("egg".into()));
        assert!(d.lines.is_empty());
        assert!(d.next(Action::Sub("egg".into())).lines.is_empty());
    }

    #[test]
    fn choosing_another_elder_or_meal_starts_a_fresh_draft() {
        let typed = after([
            add("egg", 20),
            Action::Way(Fulfilment::Pickup),
            Action::Note("少放盐".into()),
            Action::Tick(true),
        ]);
        let d = typed.clone().next(Action::Meal(day(), "dinner".into()));
        assert_eq!(d.meal, Some((day(), "dinner".into())));
        assert!(d.lines.is_empty() && d.way.is_none() && d.note.is_empty() && !d.confirmed);
        let d = typed.next(Action::Elder(1));
        assert_eq!((d.elder, d.meal.clone()), (1, None));
        assert!(d.lines.is_empty());
    }

    #[test]
    fn a_change_clears_the_last_message() {
        let d = after([Action::Refused("已过订餐截止时间".into()), add("egg", 20)]);
        assert_eq!(d.message, None);
        let d = after([Action::Refused("x".into()), Action::Sub("egg".into())]);
        assert_eq!(d.message, None);
    }

    #[test]
    fn typed_text_and_ticks_are_kept_as_typed() {
        let d = after([
            Action::Note("门口放".into()),
            Action::Tick(true),
            Action::Way(Fulfilment::DineIn),
        ]);
        assert_eq!(d.note, "门口放");
        assert!(d.confirmed);
        assert_eq!(d.way, Some(Fulfilment::DineIn));
        assert!(!d.next(Action::Tick(false)).confirmed);
    }

    #[test]
    fn same_as_last_time_fills_the_order_and_names_what_was_dropped() {
        let d = after([Action::Repeat {
            lines: vec![Line {
                dish: "egg".into(),
                qty: 2,
            }],
            way: Fulfilment::Pickup,
            dropped: vec!["红烧鱼".into()],
        }]);
        assert_eq!(d.qty("egg"), 2);
        assert_eq!(d.way, Some(Fulfilment::Pickup));
        assert_eq!(d.message, Some(Message::Repeated(vec!["红烧鱼".into()])));
    }

    #[test]
    fn saved_is_said_only_once_the_host_holds_the_order() {
        let sent = after([
            add("egg", 20),
            Action::Note("x".into()),
            Action::Sent(key()),
        ]);
        assert_eq!(sent.message, Some(Message::Saving));
        assert_eq!(sent.qty("egg"), 1, "the draft stays while it is being kept");
        assert_eq!(sent.awaiting, Some(key()));
        let kept = sent.next(Action::Stored);
        assert_eq!(kept.message, Some(Message::Saved));
        assert!(kept.lines.is_empty() && kept.note.is_empty() && kept.awaiting.is_none());
        assert_eq!(
            kept.saved,
            Some(key()),
            "a refusal of it can replace the message"
        );
        let next = kept.next(add("egg", 20));
        assert_eq!(
            (next.saved.clone(), next.message.clone()),
            (Some(key()), None)
        );
        assert_eq!(next.next(Action::Elder(0)).saved, None);
    }

    #[test]
    fn stored_without_an_awaited_order_changes_nothing() {
        let d = after([add("egg", 20)]);
        assert_eq!(d.clone().next(Action::Stored), d);
    }

    #[test]
    fn a_refusal_keeps_the_draft_and_says_why() {
        let d = after([
            add("egg", 20),
            Action::Refused("已过订餐截止时间（2026-12-02 09:30）".into()),
        ]);
        assert_eq!(d.qty("egg"), 1);
        assert_eq!(
            d.message,
            Some(Message::Problem(
                "已过订餐截止时间（2026-12-02 09:30）".into()
            ))
        );
    }

    #[test]
    fn the_diet_form_keeps_ticks_and_allergies_until_sent() {
        let d = after([
            Action::DietOpen,
            Action::DietNeed(Tag::Soft, true),
            Action::DietNeed(Tag::LowSalt, true),
            Action::DietNeed(Tag::Soft, false),
            Action::DietAllergies("花生、虾, 牛奶 ".into()),
        ]);
        assert!(d.diet_open);
        assert_eq!(d.diet_needs, vec![Tag::LowSalt]);
        assert_eq!(d.allergies(), vec!["花生", "虾", "牛奶"]);
        let d = d.next(Action::DietSent("e1".into()));
        assert!(!d.diet_open && d.diet_needs.is_empty() && d.diet_allergies.is_empty());
        assert_eq!(d.diet_sent, vec!["e1".to_owned()]);
    }

    #[test]
    fn the_reducer_is_the_same_transition() {
        let d = Rc::new(Draft::default());
        let next = d.reduce(add("egg", 20));
        assert_eq!(*next, Draft::default().next(add("egg", 20)));
    }
}
