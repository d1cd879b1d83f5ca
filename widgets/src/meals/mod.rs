//! Elderly meal ordering (为老送餐): the resident's ordering view. Styles: `meals.css`
//! beside this file; usage, props, events and CSS variables in `README.md`.

mod ordering;
mod parts;
pub mod state;
mod view;

pub use ordering::{MealOrdering, MealOrderingProps, Refused};
