//! The submission kinds of the meals scenario, as they are named on the wire.

/// A meals submission kind (the envelope's `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MealKind {
    /// `meal_order`: a [`MealOrder`](super::MealOrder).
    Order,
    /// `meal_cancel`: a [`Cancel`](super::Cancel).
    Cancel,
    /// `meal_profile`: a [`Profile`](super::Profile), the elder's consented diet.
    Profile,
}

impl MealKind {
    /// Every kind.
    pub const ALL: [MealKind; 3] = [MealKind::Order, MealKind::Cancel, MealKind::Profile];

    /// The name on the wire.
    pub fn id(self) -> &'static str {
        match self {
            MealKind::Order => "meal_order",
            MealKind::Cancel => "meal_cancel",
            MealKind::Profile => "meal_profile",
        }
    }

    /// What a resident calls it (订餐, 取消订餐, 饮食健康信息).
    pub fn text(self) -> super::MealText {
        match self {
            MealKind::Order => super::MealText::KindMealOrder,
            MealKind::Cancel => super::MealText::KindMealCancel,
            MealKind::Profile => super::MealText::KindMealProfile,
        }
    }

    /// Looks a kind up by its wire name.
    pub fn from_id(id: &str) -> Option<MealKind> {
        MealKind::ALL.into_iter().find(|k| k.id() == id)
    }
}
