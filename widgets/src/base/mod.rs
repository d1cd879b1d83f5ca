//! Building blocks shared by every scenario. Styles: `base.css` beside this file.

mod read_aloud;
mod switch;

pub use read_aloud::{ReadAloud, ReadAloudProps};
pub use switch::{Switch, SwitchProps};
