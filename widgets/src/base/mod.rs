//! Building blocks shared by every scenario. Styles: `base.css` beside this file.

mod button;
mod choice_group;
mod dialog;
mod field;
mod notice;
mod read_aloud;
mod stepper;
mod switch;

pub use button::{Button, ButtonProps};
pub use choice_group::{choice_group, Choice, ChoiceGroup, ChoiceGroupProps};
pub use dialog::{CloseAt, Dialog, DialogProps};
pub use field::{described_by, Field, FieldProps};
pub use notice::{Notice, NoticeKind, NoticeProps};
pub use read_aloud::{ReadAloud, ReadAloudProps};
pub use stepper::{stepper, Stepper, StepperProps};
pub use switch::{Switch, SwitchProps};
