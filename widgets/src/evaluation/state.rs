//! The rating prompt's rules, pure and host-tested: a score picked, a comment cut at
//! [`MAX_COMMENT`] characters, the contact tick, and the phases of one rating — chosen,
//! handed to the host once (a double tap sends nothing more), then kept or refused as
//! the host says, never by the prompt's own account.

use std::rc::Rc;

use linli_core::date::Date;
use linli_core::evaluation::{EvalText, RatingPayload, Score, Service, MAX_COMMENT};

/// What the resident gave, as [`super::RatingPrompt`] hands it to the host: the host
/// adds the service and the day ([`Rating::payload`]) and keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rating {
    /// 1 (非常不满意) – 5 (非常满意).
    pub score: Score,
    /// What the resident added, trimmed, at most [`MAX_COMMENT`] characters ("" when
    /// nothing).
    pub comment: String,
    /// Whether staff may contact the household about it.
    pub contact: bool,
}

impl Rating {
    /// The `evaluation_rating` payload of this rating of `service`, given on `day`
    /// (the deployment's calendar day: [`linli_core::date::date_at`] with its offset,
    /// whatever zone the phone is set to).
    pub fn payload(&self, service: Service, day: Date) -> RatingPayload {
        RatingPayload {
            service,
            day,
            score: self.score,
            comment: self.comment.clone(),
            contact: self.contact,
        }
    }
}

/// Where the prompt stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    /// The resident is choosing (nothing handed to the host yet).
    #[default]
    Choosing,
    /// This rating was handed to the host, which has not said yet whether it kept it.
    Saving(Rating),
    /// The host kept it (on the phone, to go out with the outbox).
    Saved,
    /// The host could not keep it, for this reason (in the resident's language); what
    /// was chosen and typed stays, to send again.
    Failed(String),
}

impl Phase {
    /// Its name in `data-state` (`choosing`, `saving`, `saved`, `failed`), for styles
    /// and tests.
    pub fn id(&self) -> &'static str {
        match self {
            Phase::Choosing => "choosing",
            Phase::Saving(_) => "saving",
            Phase::Saved => "saved",
            Phase::Failed(_) => "failed",
        }
    }
}

/// Why a press of 提交评价 handed nothing to the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotSent {
    /// No score was chosen: the prompt says [`EvalText::NeedScore`] at the scores.
    NeedScore,
    /// A rating was already handed over (being kept, or kept): a second tap sends
    /// nothing more.
    AlreadySent,
}

/// The rating prompt as the resident fills it in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prompt {
    /// The score chosen.
    pub score: Option<Score>,
    /// The comment as typed (at most [`MAX_COMMENT`] characters).
    pub comment: String,
    /// "You may contact me about this", ticked.
    pub contact: bool,
    /// Where the prompt stands.
    pub phase: Phase,
    /// The problem said at the scores ([`EvalText::NeedScore`]) after a send without a
    /// score, until one is chosen.
    pub problem: Option<EvalText>,
}

impl Prompt {
    /// Whether the resident may still change it: nothing handed over yet, or the host
    /// could not keep what was.
    pub fn editable(&self) -> bool {
        matches!(self.phase, Phase::Choosing | Phase::Failed(_))
    }

    /// Chooses a score (and the problem at the scores goes).
    pub fn pick(&mut self, score: Score) {
        if self.editable() {
            self.score = Some(score);
            self.problem = None;
        }
    }

    /// The comment as typed, cut at [`MAX_COMMENT`] characters (the server's limit).
    pub fn edit_comment(&mut self, text: &str) {
        if self.editable() {
            self.comment = text.chars().take(MAX_COMMENT).collect();
        }
    }

    /// Ticks "you may contact me about this", or unticks it (a checkbox's change: the
    /// box and the prompt change together).
    pub fn toggle_contact(&mut self) {
        if self.editable() {
            self.contact = !self.contact;
        }
    }

    /// A press of 提交评价: the rating to hand to the host, once; the prompt is then
    /// [`Phase::Saving`] until the host says how it went ([`Prompt::settle`]).
    pub fn submit(&mut self) -> Result<Rating, NotSent> {
        if !self.editable() {
            return Err(NotSent::AlreadySent);
        }
        let Some(score) = self.score else {
            self.problem = Some(EvalText::NeedScore);
            return Err(NotSent::NeedScore);
        };
        let rating = Rating {
            score,
            comment: self.comment.trim().to_owned(),
            contact: self.contact,
        };
        self.problem = None;
        self.phase = Phase::Saving(rating.clone());
        Ok(rating)
    }

    /// The host said whether it kept the rating it was handed: `Err` carries why not,
    /// in the resident's language. Heard only while a rating is being kept, so an
    /// outcome the host still shows from before never speaks for a new rating.
    pub fn settle(&mut self, outcome: Result<(), String>) {
        if matches!(self.phase, Phase::Saving(_)) {
            self.phase = match outcome {
                Ok(()) => Phase::Saved,
                Err(reason) => Phase::Failed(reason),
            };
        }
    }
}

/// A change to the prompt, for its reducer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    /// A score chosen.
    Pick(Score),
    /// The comment typed.
    Comment(String),
    /// The contact box ticked or unticked.
    ToggleContact,
    /// 提交评价 pressed.
    Submit,
    /// The host's word on the rating it was handed.
    Settle(Result<(), String>),
}

impl yew::Reducible for Prompt {
    type Action = Act;

    fn reduce(self: Rc<Self>, act: Act) -> Rc<Self> {
        let mut next = (*self).clone();
        match act {
            Act::Pick(s) => next.pick(s),
            Act::Comment(t) => next.edit_comment(&t),
            Act::ToggleContact => next.toggle_contact(),
            // What leaves is in the phase: the view hands it over when the phase
            // becomes `Saving`, so nothing is lost by dropping the result here.
            Act::Submit => {
                let _ = next.submit();
            }
            Act::Settle(outcome) => next.settle(outcome),
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(n: u8) -> Score {
        Score::new(n).unwrap()
    }

    #[test]
    fn a_send_without_a_score_says_so_at_the_scores_and_sends_nothing() {
        let mut p = Prompt::default();
        p.edit_comment("饭菜偏咸");
        assert_eq!(p.submit(), Err(NotSent::NeedScore));
        assert_eq!(p.problem, Some(EvalText::NeedScore));
        assert_eq!(p.phase, Phase::Choosing);
        assert_eq!(p.comment, "饭菜偏咸", "nothing typed is lost");
        p.pick(score(3));
        assert_eq!(p.problem, None, "choosing a score takes the problem away");
    }

    #[test]
    fn a_rating_carries_the_score_the_trimmed_comment_and_the_contact_tick() {
        let mut p = Prompt::default();
        p.pick(score(2));
        p.pick(score(4));
        p.edit_comment("  送餐很准时 \n");
        let r = p.submit().unwrap();
        assert_eq!(
            r,
            Rating {
                score: score(4),
                comment: "送餐很准时".into(),
                contact: false,
            }
        );
        assert_eq!(p.phase, Phase::Saving(r));

        let mut p = Prompt::default();
        p.pick(score(1));
        p.toggle_contact();
        p.toggle_contact();
        p.toggle_contact();
        let r = p.submit().unwrap();
        assert_eq!((r.comment.as_str(), r.contact), ("", true));
    }

    #[test]
    fn a_double_tap_hands_over_one_rating_only() {
        let mut p = Prompt::default();
        p.pick(score(5));
        assert!(p.submit().is_ok());
        assert_eq!(p.submit(), Err(NotSent::AlreadySent));
        p.settle(Ok(()));
        assert_eq!(p.submit(), Err(NotSent::AlreadySent), "nor once it is kept");
    }

    #[test]
    fn nothing_changes_while_the_rating_is_being_kept() {
        let mut p = Prompt::default();
        p.pick(score(4));
        p.edit_comment("好");
        let r = p.submit().unwrap();
        p.pick(score(1));
        p.edit_comment("改了");
        p.toggle_contact();
        assert_eq!(
            (p.score, p.comment.as_str(), p.contact),
            (Some(score(4)), "好", false)
        );
        assert_eq!(p.phase, Phase::Saving(r));
    }

    #[test]
    fn the_comment_is_cut_at_the_servers_limit_in_characters_not_bytes() {
        let mut p = Prompt::default();
        p.edit_comment(&"好".repeat(MAX_COMMENT + 1));
        assert_eq!(p.comment.chars().count(), MAX_COMMENT);
        p.edit_comment(&"好".repeat(MAX_COMMENT));
        assert_eq!(
            p.comment.chars().count(),
            MAX_COMMENT,
            "the limit itself fits"
        );
    }

    #[test]
    fn only_the_host_says_saved() {
        let mut p = Prompt::default();
        p.settle(Ok(()));
        assert_eq!(
            p.phase,
            Phase::Choosing,
            "an outcome with nothing handed over"
        );
        p.pick(score(4));
        p.submit().unwrap();
        assert_eq!(p.phase.id(), "saving");
        p.settle(Ok(()));
        assert_eq!(p.phase, Phase::Saved);
        p.settle(Err("磁盘已满".into()));
        assert_eq!(p.phase, Phase::Saved, "a later word changes nothing");
    }

    #[test]
    fn a_rating_the_host_could_not_keep_stays_to_send_again() {
        let mut p = Prompt::default();
        p.pick(score(2));
        p.edit_comment("等了很久");
        let first = p.submit().unwrap();
        p.settle(Err("手机存储已满".into()));
        assert_eq!(p.phase, Phase::Failed("手机存储已满".into()));
        assert!(p.editable());
        p.toggle_contact();
        let again = p.submit().unwrap();
        assert_eq!((again.score, again.comment), (first.score, first.comment));
        assert!(again.contact);
        assert_eq!(p.phase.id(), "saving");
    }

    #[test]
    fn the_reducer_delegates_and_keeps_the_same_state_when_nothing_changes() {
        use yew::Reducible;
        let p = Rc::new(Prompt::default());
        let p = p
            .reduce(Act::Pick(score(4)))
            .reduce(Act::Comment("好".into()));
        let sending = p.clone().reduce(Act::Submit);
        assert!(matches!(sending.phase, Phase::Saving(_)));
        let again = sending.clone().reduce(Act::Submit);
        assert!(Rc::ptr_eq(&sending, &again), "a second tap renders nothing");
        let kept = again.reduce(Act::Settle(Ok(())));
        assert_eq!(kept.phase, Phase::Saved);
    }

    #[test]
    fn a_rating_becomes_the_payload_of_its_service_and_day() {
        let day = Date::parse("2025-03-01").unwrap();
        let r = Rating {
            score: score(5),
            comment: "谢谢".into(),
            contact: true,
        };
        let p = r.payload(Service::Meals, day);
        assert_eq!(
            (p.service, p.day, p.score, p.comment.as_str(), p.contact),
            (Service::Meals, day, score(5), "谢谢", true)
        );
    }
}
