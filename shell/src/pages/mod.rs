//! The pages of the shell.

#[cfg(any(
    feature = "meals",
    feature = "voting",
    feature = "feedback",
    feature = "forms"
))]
mod board;
mod config_problem;
#[cfg(feature = "feedback")]
pub(crate) mod feedback;
#[cfg(feature = "forms")]
pub(crate) mod forms;
#[cfg(feature = "meals")]
mod helpers;
mod home;
mod household;
mod loading;
mod me;
#[cfg(feature = "meals")]
pub(crate) mod meals;
mod not_found;
mod notices;
pub(crate) mod outbox;
mod storage;
mod text;
#[cfg(feature = "voting")]
pub(crate) mod voting;

pub use config_problem::config_problem;
pub use home::home;
pub use loading::loading;
pub use me::me;
pub use not_found::not_found;
pub use notices::{notice_detail, notice_list};
pub use outbox::OutboxBar;
