//! Building blocks shared by every scenario. Styles: `base.css` beside this file.

mod choice_group;
mod read_aloud;
mod stepper;
mod switch;

pub use choice_group::{choice_group, Choice, ChoiceGroup, ChoiceGroupProps};
pub use read_aloud::{ReadAloud, ReadAloudProps};
pub use stepper::{stepper, Stepper, StepperProps};
pub use switch::{Switch, SwitchProps};
