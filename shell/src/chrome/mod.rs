//! What surrounds every page: header, tab bar, update banner.

mod header;
mod link;
mod online;
mod tabbar;
mod update;

pub use header::Header;
pub use link::RouteLink;
pub use tabbar::TabBar;
pub use update::UpdateBanner;
