//! What surrounds every page: header, tab bar, update banner.

mod clock;
mod header;
mod link;
mod online;
mod sync_agent;
mod tabbar;
mod update;

pub use clock::{use_clock_skew, ClockBar};
pub use header::Header;
pub use link::route_link;
pub use sync_agent::SyncAgent;
pub use tabbar::tab_bar;
pub use update::UpdateBanner;
