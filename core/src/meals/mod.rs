//! Elderly meal ordering (为老送餐 / 老年助餐), as pure rules: menus, subsidy tiers,
//! cut-offs, portion limits, dietary conflicts, repeat orders and who may order for
//! whom. Money is in fen (分), integers only. The browser runs these before an order
//! is queued; the server runs them again before it is stored.

mod board;
pub(crate) mod declare;
mod kind;
mod rules;
#[cfg(test)]
mod tests;
mod text;
mod wire;

pub use crate::household::mask_address;
pub use board::{Board, BoardElder, BoardMenu, BoardOrder};
pub use kind::MealKind;
pub use rules::{
    check_arrival, check_cancel, check_cutoff, check_portions, conflicts, cutoff_instant,
    dish_conflicts, max_portions, may_order_for, narrowed_to, portions_left, price, repeat,
    validate, Context, ARRIVAL_GRACE_MS, MAX_LINES, MAX_PORTIONS,
};
pub use text::{MealServerText, MealText};
pub use wire::{
    anonymous_tier, check_elder_fields, tier_from_anonymous, Cancel, Profile, MAX_ADDRESS,
    MAX_NOTE, MAX_ROUTE,
};

use crate::date::Date;

/// An amount of money in fen (0.01 yuan).
pub type Fen = u32;

/// A nutrition or suitability tag of a dish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    /// 少盐.
    LowSalt,
    /// 少糖.
    LowSugar,
    /// 软烂, easy to chew.
    Soft,
    /// 清真.
    Halal,
    /// 素.
    Vegetarian,
}

impl Tag {
    /// Every tag.
    pub const ALL: [Tag; 5] = [
        Tag::LowSalt,
        Tag::LowSugar,
        Tag::Soft,
        Tag::Halal,
        Tag::Vegetarian,
    ];

    /// The id used in menus and profiles.
    pub fn id(self) -> &'static str {
        match self {
            Tag::LowSalt => "low_salt",
            Tag::LowSugar => "low_sugar",
            Tag::Soft => "soft",
            Tag::Halal => "halal",
            Tag::Vegetarian => "vegetarian",
        }
    }

    /// Looks a tag up by id.
    pub fn from_id(id: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|t| t.id() == id)
    }

    /// Its name for residents.
    pub fn text(self) -> MealText {
        match self {
            Tag::LowSalt => MealText::TagLowSalt,
            Tag::LowSugar => MealText::TagLowSugar,
            Tag::Soft => MealText::TagSoft,
            Tag::Halal => MealText::TagHalal,
            Tag::Vegetarian => MealText::TagVegetarian,
        }
    }
}

/// A dish on a menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dish {
    /// Stable id within the menu.
    pub id: String,
    /// Name shown to residents.
    pub name: String,
    /// Price per portion.
    pub price: Fen,
    /// What it is suitable for.
    pub tags: Vec<Tag>,
    /// Allergens it contains (花生, 海鲜, …).
    pub allergens: Vec<String>,
    /// Portions the kitchen makes; `None` for no limit.
    pub daily_limit: Option<u32>,
    /// A photo's URL, if the kitchen took one.
    pub photo: Option<String>,
}

/// When ordering for a slot closes: `days_before` the meal's date, at a local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoff {
    /// 0 for the same day, 1 for the day before, …
    pub days_before: u8,
    /// Minutes after local midnight (09:30 is 570).
    pub minute_of_day: u16,
}

/// A meal slot (lunch, dinner, …) with its cut-off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Id (`lunch`).
    pub id: String,
    /// Ordering and cancelling close at this time.
    pub cutoff: Cutoff,
}

/// The menu of one slot on one date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Menu {
    /// The date.
    pub date: Date,
    /// The slot's id.
    pub slot: String,
    /// The dishes.
    pub dishes: Vec<Dish>,
}

impl Dish {
    /// A dish without a photo, from what a kitchen writes on a menu board.
    pub fn new(
        id: &str,
        name: &str,
        price: Fen,
        tags: &[Tag],
        allergens: &[&str],
        daily_limit: Option<u32>,
    ) -> Dish {
        Dish {
            id: id.to_owned(),
            name: name.to_owned(),
            price,
            tags: tags.to_vec(),
            allergens: allergens.iter().map(|a| (*a).to_owned()).collect(),
            daily_limit,
            photo: None,
        }
    }
}

impl Menu {
    /// A dish by id.
    pub fn dish(&self, id: &str) -> Option<&Dish> {
        self.dishes.iter().find(|d| d.id == id)
    }
}

/// How much of a meal's price the sub-district pays for an elder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subsidy {
    /// A fixed amount off each order (never more than the order costs).
    Fixed(Fen),
    /// A percentage of each order, 0–100, rounded half up to the fen.
    Percent(u8),
}

/// A subsidy tier (60–69, 70–79, 80+, 低保, …), set in the deployment's config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    /// Id.
    pub id: String,
    /// Its subsidy.
    pub subsidy: Subsidy,
}

/// How the meal reaches the elder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fulfilment {
    /// 送餐上门.
    #[default]
    Delivery,
    /// 自取.
    Pickup,
    /// 堂食.
    DineIn,
}

impl Fulfilment {
    /// Every way, in the order offered.
    pub const ALL: [Fulfilment; 3] = [Fulfilment::Delivery, Fulfilment::Pickup, Fulfilment::DineIn];

    /// The id on the wire.
    pub fn id(self) -> &'static str {
        match self {
            Fulfilment::Delivery => "delivery",
            Fulfilment::Pickup => "pickup",
            Fulfilment::DineIn => "dine_in",
        }
    }

    /// Looks a way up by id.
    pub fn from_id(id: &str) -> Option<Fulfilment> {
        Fulfilment::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Its name for residents.
    pub fn text(self) -> MealText {
        match self {
            Fulfilment::Delivery => MealText::FulDelivery,
            Fulfilment::Pickup => MealText::FulPickup,
            Fulfilment::DineIn => MealText::FulDineIn,
        }
    }
}

/// An elder's profile, as the ordering rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elder {
    /// Id.
    pub id: String,
    /// The household (unit) the elder lives in.
    pub unit_id: i64,
    /// The subsidy tier's id.
    pub tier: String,
    /// Tags every dish must have (a 清真 elder needs halal dishes).
    pub needs: Vec<Tag>,
    /// Allergies.
    pub allergies: Vec<String>,
    /// Usual fulfilment.
    pub fulfilment: Fulfilment,
}

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The dish's id.
    pub dish: String,
    /// Portions.
    pub qty: u32,
}

/// An order for one elder, one date, one slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MealOrder {
    /// The elder it feeds.
    pub elder: String,
    /// The date.
    pub date: Date,
    /// The slot's id.
    pub slot: String,
    /// What is ordered.
    pub lines: Vec<Line>,
    /// How it arrives.
    pub fulfilment: Fulfilment,
    /// A note for the kitchen.
    pub note: String,
    /// Who placed it: the elder's household or a linked proxy's (unit id).
    pub placed_by: i64,
    /// The resident saw the dietary warnings and confirmed anyway.
    pub confirmed_conflicts: bool,
}

/// What an order costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Price {
    /// Before subsidy.
    pub list: Fen,
    /// Paid by the sub-district.
    pub subsidy: Fen,
    /// Paid by the elder: `list - subsidy`, never below 0.
    pub pay: Fen,
}

/// Why a dish does not suit an elder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConflictReason {
    /// The dish contains something the elder is allergic to.
    Allergen(String),
    /// The elder needs a tag the dish lacks.
    Lacks(Tag),
}

/// A dish in the order that does not suit the elder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The dish's id.
    pub dish: String,
    /// Why.
    pub reason: ConflictReason,
}

/// Why an order is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrderError {
    /// No lines.
    Empty,
    /// A line names a dish not on this menu.
    UnknownDish(String),
    /// A line orders zero portions.
    ZeroQuantity(String),
    /// The order is for another date or slot than the menu.
    WrongMenu,
    /// Ordering (or cancelling) for this slot closed at this instant (ms).
    PastCutoff {
        /// When it closed.
        closed_at: i64,
    },
    /// Not enough portions left.
    SoldOut {
        /// The dish.
        dish: String,
        /// Portions left.
        left: u32,
    },
    /// Dishes conflict with the elder's needs or allergies and were not confirmed.
    Unconfirmed(Vec<Conflict>),
    /// The person ordering is neither the elder's household nor a linked proxy.
    NotAuthorized,
    /// The amounts do not fit in the money type.
    Overflow,
    /// The elder already has an order for this meal; cancel it to order again.
    AlreadyOrdered,
    /// The order was cancelled or delivered already.
    Closed,
    /// Two lines name the same dish (one line per dish, so each limit sees the whole).
    DuplicateDish(String),
    /// More than [`MAX_PORTIONS`] of one dish in one order.
    TooMany {
        /// The dish.
        dish: String,
        /// The most one order may hold.
        max: u32,
    },
}

/// Where an order stands, as the kitchen records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The server has it; the kitchen will cook it.
    Received,
    /// Delivered (or handed over / served).
    Delivered,
    /// Cancelled before the cut-off.
    Cancelled,
}

impl Status {
    /// The id on the wire and in the database.
    pub fn id(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Delivered => "delivered",
            Status::Cancelled => "cancelled",
        }
    }

    /// Its name for residents.
    pub fn text(self) -> MealText {
        match self {
            Status::Received => MealText::StatusReceived,
            Status::Delivered => MealText::StatusDelivered,
            Status::Cancelled => MealText::StatusCancelled,
        }
    }

    /// Looks a status up by id.
    pub fn from_id(id: &str) -> Option<Status> {
        [Status::Received, Status::Delivered, Status::Cancelled]
            .into_iter()
            .find(|s| s.id() == id)
    }
}

/// Fen as yuan for display: 1250 → `12.50`.
pub fn yuan(fen: Fen) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// Yuan as staff type them (`12`, `12.5`, `12.50`, `¥12.5`) to fen; `None` for anything
/// else, including a third decimal.
pub fn parse_yuan(text: &str) -> Option<Fen> {
    let t = text.trim().trim_start_matches(['¥', '￥']).trim();
    Fen::try_from(crate::hundredths(t)?).ok()
}
