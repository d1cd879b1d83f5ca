//! linli-widgets: the Yew components of linli.
//!
//! Views are thin: every rule they show (prices, tallies, validity) comes from
//! `linli-core`, so a developer can compose these components into their own Yew app
//! and get the same behaviour as the linli shell. Text comes from the core i18n table
//! through a `lang` prop; colours and sizes come from CSS variables that default to
//! the global `--ll-*` tokens (see each folder's README).
//!
//! - [`base`]: building blocks every scenario uses: [`base::ReadAloud`],
//!   [`base::Switch`], [`base::Stepper`], [`base::ChoiceGroup`].
//! - [`meals`]: elderly meal ordering, [`meals::MealOrdering`].
//! - [`voting`]: owners' assembly voting, [`voting::Voting`].
//! - [`feedback`]: residents' reports with the 12345 loop, [`feedback::Feedback`].
//! - [`evaluation`]: the public-evaluation rating prompt every service shows after a
//!   completed action, [`evaluation::RatingPrompt`] (emits [`evaluation::Rating`]).
//! - [`forms`]: a published form answered on a phone, [`forms::FormView`] (the same
//!   validator as the server; 长辈版 one question per screen).
//! - [`interop`]: JavaScript values to the core's value tree and back, to decode what
//!   the server sends (`Board::from_value(&interop::parse(text))`).

pub mod base;
pub mod evaluation;
pub mod feedback;
pub mod forms;
pub mod interop;
pub mod meals;
pub mod voting;
