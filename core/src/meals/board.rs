//! The household's board on the wire (`GET /api/v1/meals`): its elders, the menus
//! ahead with portions taken, and the orders it follows.

use super::declare::wire_type;
use super::wire::{MAX_ADDRESS, MAX_NAME};
use super::{Dish, Elder, MealOrder, Menu, Price, Status};
use crate::date::Date;
use crate::json::Value;
use crate::sync::wire::{err, SubmissionId, WireError};

/// What a device may see to order: its elders, the menus ahead with portions taken,
/// and the orders it can follow.
#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    /// Elders this household may order for: its own and those it is a proxy for.
    pub elders: Vec<BoardElder>,
    /// Menus from today on.
    pub menus: Vec<BoardMenu>,
    /// Orders for those elders, newest first.
    pub orders: Vec<BoardOrder>,
    /// The server's clock when it answered (ms).
    pub now: i64,
}

/// An elder as a household sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardElder {
    /// The rules' view.
    pub elder: Elder,
    /// Name (surname and given name; staff chose what to write).
    pub name: String,
    /// The address, masked unless the elder's own household asks.
    pub address: String,
    /// The elder lives in this household (rather than being ordered for by proxy).
    pub own: bool,
    /// Dietary data is kept with the elder's consent.
    pub consent: bool,
}

/// A menu with the portions already ordered per dish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardMenu {
    /// The menu.
    pub menu: Menu,
    /// Portions taken per dish id.
    pub ordered: Vec<(String, u32)>,
}

/// An order as its household follows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardOrder {
    /// Its submission id.
    pub id: SubmissionId,
    /// The order.
    pub order: MealOrder,
    /// Where it stands.
    pub status: Status,
    /// What it cost.
    pub price: Price,
    /// Who placed it (the household's label).
    pub placed_by: String,
}

// A dish, in menus from staff pages, in the database and on boards. Its limits are
// the ones `Dish::check` holds kitchens to.
wire_type! {
    Dish {
        id: text(MAX_NAME),
        name: text(MAX_NAME),
        price: count(1_000_000),
        tags: tags,
        allergens: names,
        daily_limit as limit: maybe_count(100_000),
        photo: maybe_text(500),
    }
}

wire_type! {
    Menu { date: date, slot: text(20), dishes: list(50, Dish::decode) }
}

// The rules' view of an elder; on a board it shares its object with what the
// household sees of her.
wire_type! {
    Elder {
        id: text(MAX_NAME),
        unit_id as unit: int,
        tier: text(20),
        needs: tags,
        allergies: names,
        fulfilment: way,
    }
}

wire_type! {
    BoardElder {
        ..elder: Elder,
        name: text(MAX_NAME),
        address: note(MAX_ADDRESS),
        own: flag,
        consent: flag,
    }
}

wire_type! {
    BoardMenu { ..menu: Menu, ordered: taken }
}

wire_type! {
    Price {
        list: count(u64::from(u32::MAX)),
        subsidy: count(u64::from(u32::MAX)),
        pay: count(u64::from(u32::MAX)),
    }
}

// An order as its household follows it: the `meal_order` payload (who placed it is
// the board's household, not on the wire) with what became of it.
wire_type! {
    BoardOrder {
        ..order: MealOrder(0),
        id: uuid,
        status: status,
        price: one(Price::decode),
        placed_by: note(60),
    }
}

wire_type! {
    Board {
        elders: list(50, BoardElder::decode),
        menus: list(100, BoardMenu::decode),
        orders: list(500, BoardOrder::decode),
        now: int,
    }
}

impl Dish {
    /// Checks a dish as a kitchen entered it against the limits boards are read with
    /// (id and name ≤ 40 characters, price ≤ 10,000 yuan, limit ≤ 100,000 portions,
    /// ≤ 20 allergens of ≤ 40 characters): the dish must read back exactly as it was
    /// written, so no menu a staff form accepts can make a board unreadable. The error
    /// names the field (`name`, `price`, …).
    pub fn check(&self) -> Result<(), WireError> {
        match Dish::decode(&self.to_value()) {
            Ok(back) if back == *self => Ok(()),
            Ok(_) => Err(err(
                "",
                "does not read back as written (spaces around a name?)",
            )),
            Err(e) => Err(e),
        }
    }
}

impl Dish {
    /// Reads one dish (a menu from a staff page or the database). Errors name the field.
    pub fn from_value(value: &Value) -> Result<Dish, WireError> {
        Dish::decode(value)
    }
}

impl Board {
    /// Reads a board (in the browser, from the server or the device's cache).
    pub fn from_value(value: &Value) -> Result<Board, WireError> {
        Board::decode(value)
    }

    /// The menu of a date and slot, with its portions taken.
    pub fn menu(&self, date: Date, slot: &str) -> Option<&BoardMenu> {
        self.menus
            .iter()
            .find(|b| b.menu.date == date && b.menu.slot == slot)
    }
}
