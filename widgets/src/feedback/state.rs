//! The feedback widget's rules, pure and host-tested: a draft report checked field by
//! field (each problem in the resident's language at its field, nothing lost), what a
//! report's card offers (rate, reopen, or that a step is waiting in the outbox), and
//! the photos' size as the outbox shows it.

use linli_core::config::{FeedbackConfig, MAX_PLACE};
use linli_core::feedback::{
    normalise_phone, Action, FeedbackText, MyCase, Rating, ReportPayload, MAX_DESCRIPTION,
    MAX_PHOTOS,
};
use linli_core::sync::wire::SubmissionId;

/// A report as the resident is writing it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The category chosen (an id of config's).
    pub category: Option<String>,
    /// What is wrong.
    pub description: String,
    /// Where.
    pub place: String,
    /// A contact number, as typed.
    pub phone: String,
    /// Photos, scaled down, as base64 JPEG.
    pub photos: Vec<String>,
}

/// A change to the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The category chosen.
    Category(String),
    /// The description typed.
    Description(String),
    /// The place typed or picked.
    Place(String),
    /// The phone typed.
    Phone(String),
    /// A photo made ready (ignored past [`MAX_PHOTOS`]).
    AddPhoto(String),
    /// Photo `i` removed.
    RemovePhoto(usize),
    /// The report was kept in the outbox: start again.
    Clear,
    /// A refused report back in the form, to correct and send again.
    Load(ReportPayload),
}

impl Draft {
    /// The draft after `edit`.
    pub fn next(mut self, edit: Edit) -> Draft {
        match edit {
            Edit::Category(c) => self.category = Some(c),
            Edit::Description(t) => self.description = t,
            Edit::Place(t) => self.place = t,
            Edit::Phone(t) => self.phone = t,
            Edit::AddPhoto(p) => {
                if self.photos.len() < MAX_PHOTOS {
                    self.photos.push(p);
                }
            }
            Edit::RemovePhoto(i) => {
                if i < self.photos.len() {
                    self.photos.remove(i);
                }
            }
            Edit::Clear => return Draft::default(),
            Edit::Load(r) => {
                return Draft {
                    category: Some(r.category),
                    description: r.description,
                    place: r.place,
                    phone: r.phone.unwrap_or_default(),
                    photos: r.photos,
                }
            }
        }
        self
    }
}

impl yew::Reducible for Draft {
    type Action = Edit;

    fn reduce(self: std::rc::Rc<Self>, edit: Edit) -> std::rc::Rc<Self> {
        std::rc::Rc::new((*self).clone().next(edit))
    }
}

/// How many photos are being made ready (each takes a moment on a cheap phone).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Working(pub u32);

/// A photo started or finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Busy {
    /// One more is being made ready.
    Start,
    /// One is ready (or failed).
    Done,
}

impl yew::Reducible for Working {
    type Action = Busy;

    fn reduce(self: std::rc::Rc<Self>, b: Busy) -> std::rc::Rc<Self> {
        std::rc::Rc::new(Working(match b {
            Busy::Start => self.0 + 1,
            Busy::Done => self.0.saturating_sub(1),
        }))
    }
}

/// A field of the form, where its problem is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The category group.
    Category,
    /// The description.
    Description,
    /// The place.
    Place,
    /// The phone.
    Phone,
}

/// The report to queue, or each field's problem.
pub fn check(
    draft: &Draft,
    config: &FeedbackConfig,
) -> Result<ReportPayload, Vec<(Field, FeedbackText)>> {
    let mut problems = Vec::new();
    let category = draft
        .category
        .clone()
        .filter(|c| config.category(c).is_some());
    if category.is_none() {
        problems.push((Field::Category, FeedbackText::NeedCategory));
    }
    let description = draft.description.trim();
    if description.is_empty() {
        problems.push((Field::Description, FeedbackText::NeedDescription));
    }
    let place = draft.place.trim();
    if place.is_empty() {
        problems.push((Field::Place, FeedbackText::NeedPlace));
    }
    let phone = match draft.phone.trim() {
        "" => None,
        typed => match normalise_phone(typed) {
            Ok(p) => Some(p),
            Err(_) => {
                problems.push((Field::Phone, FeedbackText::PhoneInvalid));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ReportPayload {
        category: category.unwrap_or_default(),
        description: description.chars().take(MAX_DESCRIPTION).collect(),
        place: place.chars().take(MAX_PLACE).collect(),
        phone,
        photos: draft.photos.iter().take(MAX_PHOTOS).cloned().collect(),
    })
}

/// The photos' size as they will be sent (base64, as the outbox counts it), in KB
/// (rounded up).
pub fn photos_kb(photos: &[String]) -> usize {
    photos.iter().map(String::len).sum::<usize>().div_ceil(1024)
}

/// What a report's card offers at its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// Nothing (still being handled, or rated).
    Nothing,
    /// A rating or reopening is in the outbox, not yet acknowledged.
    Waiting,
    /// Rate it (and say it is not solved).
    Rate,
    /// Say it is not solved (answered, not yet closed).
    Reopen,
}

/// The prompt of case `c`, given the reports whose rating or reopening waits in the
/// outbox: the loop's own rule ([`MyCase::may`]) decides.
pub fn prompt(c: &MyCase, waiting: &[SubmissionId]) -> Prompt {
    if waiting.contains(&c.report) {
        Prompt::Waiting
    } else if c.may(&Action::Rate(Rating::Satisfied)) {
        Prompt::Rate
    } else if c.may(&Action::Reopen) {
        Prompt::Reopen
    } else {
        Prompt::Nothing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::config::{
        CategoryConfig, HandlerConfig, HandlerKind, LocalText, DEFAULT_LIMITS,
    };
    use linli_core::feedback::State;

    fn config() -> FeedbackConfig {
        FeedbackConfig {
            handlers: vec![HandlerConfig {
                id: "property".into(),
                name: LocalText::zh("物业"),
                kind: HandlerKind::Department,
            }],
            categories: vec![CategoryConfig {
                id: "lighting".into(),
                name: LocalText::zh("路灯照明"),
                handler: Some("property".into()),
                limits: DEFAULT_LIMITS,
            }],
            places: vec!["1幢".into()],
            calendar: Default::default(),
        }
    }

    #[test]
    fn a_draft_is_checked_field_by_field_and_keeps_what_was_typed() {
        let empty = check(&Draft::default(), &config()).unwrap_err();
        let fields: Vec<Field> = empty.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, [Field::Category, Field::Description, Field::Place]);
        let mut d = Draft {
            category: Some("lighting".into()),
            description: " 路灯不亮 ".into(),
            place: "1幢".into(),
            phone: "138 1234".into(),
            photos: vec!["AAAA".into()],
        };
        assert_eq!(
            check(&d, &config()).unwrap_err(),
            [(Field::Phone, FeedbackText::PhoneInvalid)]
        );
        assert_eq!(d.description, " 路灯不亮 ");
        d.phone = "+86 138-1234-5678".into();
        let r = check(&d, &config()).unwrap();
        assert_eq!(
            (r.description.as_str(), r.phone.as_deref()),
            ("路灯不亮", Some("13812345678"))
        );
        d.category = Some("gone".into());
        assert_eq!(check(&d, &config()).unwrap_err()[0].0, Field::Category);
        assert_eq!(photos_kb(&["A".repeat(4096)]), 4);
    }

    #[test]
    fn photos_being_made_ready_are_counted_until_each_is_done() {
        use yew::Reducible;
        let w = std::rc::Rc::new(Working::default());
        let w = w.reduce(Busy::Start).reduce(Busy::Start).reduce(Busy::Done);
        assert_eq!(*w, Working(1));
        let w = w.reduce(Busy::Done).reduce(Busy::Done);
        assert_eq!(*w, Working(0));
    }

    #[test]
    fn photos_stop_at_three_and_a_kept_report_clears_the_form() {
        let d = (0..5).fold(Draft::default(), |d, i| {
            d.next(Edit::AddPhoto(format!("P{i}")))
        });
        assert_eq!(d.photos, ["P0", "P1", "P2"]);
        let d = d.next(Edit::RemovePhoto(1)).next(Edit::RemovePhoto(9));
        assert_eq!(d.photos, ["P0", "P2"]);
        let d = d.next(Edit::Description("灯坏了".into())).next(Edit::Clear);
        assert_eq!(d, Draft::default());
        let refused = ReportPayload {
            category: "lighting".into(),
            description: "灯坏了".into(),
            place: "1幢".into(),
            phone: Some("13812345678".into()),
            photos: vec!["AAAA".into()],
        };
        let d = d.next(Edit::Load(refused.clone()));
        assert_eq!(check(&d, &config()).unwrap(), refused);
    }

    #[test]
    fn a_card_offers_rating_or_reopening_only_where_the_loop_allows() {
        let id = SubmissionId::parse("0f8fad5b-d9cb-469f-a165-70867728950e").unwrap();
        let mut c = MyCase {
            report: id.clone(),
            number: 1,
            category: "lighting".into(),
            description: "x".into(),
            place: "1幢".into(),
            state: State::Dispatched,
            created_at: 0,
            overdue: false,
            reply: String::new(),
            rating: None,
            photos: 0,
            reopened: 0,
            steps: Vec::new(),
        };
        assert_eq!(prompt(&c, &[]), Prompt::Nothing);
        c.state = State::Replied;
        assert_eq!(prompt(&c, &[]), Prompt::Reopen);
        c.state = State::Closed;
        assert_eq!(prompt(&c, &[]), Prompt::Rate);
        assert_eq!(prompt(&c, &[id]), Prompt::Waiting);
        c.state = State::Rated;
        assert_eq!(prompt(&c, &[]), Prompt::Nothing);
    }
}
