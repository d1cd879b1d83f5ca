//! The pages of the shell.

mod config_problem;
mod home;
mod loading;
mod me;
mod not_found;
mod notices;
mod storage;
mod text;

pub use config_problem::ConfigProblem;
pub use home::Home;
pub use loading::Loading;
pub use me::Me;
pub use not_found::NotFound;
pub use notices::{NoticeDetail, NoticeList};
