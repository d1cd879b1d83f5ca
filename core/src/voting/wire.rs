//! A vote on the wire and the rules of its lifecycle that the browser and the server
//! both apply: the two submission kinds residents send through the outbox
//! (`vote_ballot`, `vote_comment`), the board a household reads
//! (`GET /api/v1/voting`), the stages of a vote, and when a ballot counts.
//!
//! Times are ms since the epoch (instants), shown in the deployment's zone; areas are
//! in 0.01 m².

use super::{Choice, Matter, VoteText};
use crate::i18n::Lang;
use crate::json::Value;
use crate::meals::declare::wire_type;
use crate::sync::wire::WireError;

/// The longest comment or reply, in characters.
pub const MAX_COMMENT: usize = 500;
/// The longest vote title, in characters.
pub const MAX_TITLE: usize = 80;
/// The longest proposal text (with its attachments' text), in characters: what the
/// console's 64 KiB form carries of Chinese text, percent-encoded at 9 bytes a
/// character.
pub const MAX_BODY: usize = 5_000;
/// The most comments one household may post on one vote.
pub const MAX_COMMENTS_EACH: i64 = 20;
/// The most comments a household's board carries per vote (the newest).
pub const MAX_COMMENTS_SHOWN: i64 = 1_000;
/// The default grace period (ms) for a ballot cast offline before the close: 15 min.
pub const DEFAULT_GRACE_MS: i64 = 15 * 60 * 1000;
/// The longest unit or owner name on a roster, and on a board, in characters.
pub const MAX_UNIT_NAME: usize = 60;
/// The longest receipt code, in characters.
pub const MAX_RECEIPT: usize = 20;

/// The submission kinds of the voting scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteKind {
    /// `vote_ballot`: an owner's ballot ([`BallotPayload`]).
    Ballot,
    /// `vote_comment`: a comment or reply in the deliberation ([`CommentPayload`]).
    Comment,
}

impl VoteKind {
    /// The envelope's `kind`.
    pub fn id(self) -> &'static str {
        match self {
            VoteKind::Ballot => "vote_ballot",
            VoteKind::Comment => "vote_comment",
        }
    }

    /// The kind of an envelope's `kind`, if it is a voting one.
    pub fn from_id(id: &str) -> Option<VoteKind> {
        [VoteKind::Ballot, VoteKind::Comment]
            .into_iter()
            .find(|k| k.id() == id)
    }

    /// What a resident calls it (投票, 议事留言).
    pub fn text(self) -> VoteText {
        match self {
            VoteKind::Ballot => VoteText::KindBallot,
            VoteKind::Comment => VoteText::KindComment,
        }
    }
}

/// Where a vote stands. Matter, text, options, roster and rules freeze when it leaves
/// deliberation for voting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Being prepared by staff; residents do not see it.
    Draft,
    /// Shown to owners for comments and replies (征求意见).
    Deliberation,
    /// The voting window is set and everything is frozen; ballots count from
    /// `opens_at` until `closes_at` (plus the grace for ballots made before it).
    Voting,
    /// Closed by staff after the window and its grace: no more ballots.
    Closed,
    /// The result is published with its explanation and the list of ballots.
    Published,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Draft,
        Stage::Deliberation,
        Stage::Voting,
        Stage::Closed,
        Stage::Published,
    ];

    /// Its id on the wire and in the database.
    pub fn id(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Deliberation => "deliberation",
            Stage::Voting => "voting",
            Stage::Closed => "closed",
            Stage::Published => "published",
        }
    }

    /// The stage of an id.
    pub fn from_id(id: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Its name for people.
    pub fn text(self) -> VoteText {
        match self {
            Stage::Draft => VoteText::StageDraft,
            Stage::Deliberation => VoteText::StageDeliberation,
            Stage::Voting => VoteText::StageVoting,
            Stage::Closed => VoteText::StageClosed,
            Stage::Published => VoteText::StagePublished,
        }
    }

    /// The stage people should be told at `now`: a vote whose window has passed reads
    /// as closed (the server's clock closes it) even before staff close it.
    pub fn shown(self, closes_at: i64, now: i64) -> Stage {
        if self == Stage::Voting && now >= closes_at {
            Stage::Closed
        } else {
            self
        }
    }
}

/// Why a ballot or a comment is refused. The server answers with [`BallotError::code`]
/// and the text in the resident's language; the browser checks the same before queueing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BallotError {
    /// No such vote (or not shown to residents).
    UnknownVote,
    /// The voting window has not opened.
    NotOpen,
    /// The window closed, and the grace for ballots made before the close has passed
    /// (or the ballot was made after the close).
    Closed,
    /// The household's unit is not on this vote's roster.
    NotOnRoster,
    /// The owner has voted and this vote does not allow changes.
    NoChanges {
        /// The existing ballot's receipt.
        receipt: String,
    },
    /// Staff entered a paper ballot for this owner: an online ballot is refused.
    PaperExists {
        /// When it was entered (ms).
        at: i64,
    },
    /// Comments are taken during deliberation and voting only.
    CommentsClosed,
    /// A reply to a comment that is not on this vote.
    UnknownComment,
    /// The unit is the developer's (unsold or undelivered): the developer's one
    /// ballot is entered on paper by staff, never cast from a household's device.
    DeveloperHeld,
    /// The household has posted [`MAX_COMMENTS_EACH`] comments on this vote.
    TooManyComments,
}

impl BallotError {
    /// The refusal's code on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            BallotError::UnknownVote => "unknown_vote",
            BallotError::NotOpen => "vote_not_open",
            BallotError::Closed => "vote_closed",
            BallotError::NotOnRoster => "not_on_roster",
            BallotError::NoChanges { .. } => "already_voted",
            BallotError::PaperExists { .. } => "paper_ballot_exists",
            BallotError::CommentsClosed => "comments_closed",
            BallotError::UnknownComment => "unknown_comment",
            BallotError::DeveloperHeld => "developer_held",
            BallotError::TooManyComments => "too_many_comments",
        }
    }

    /// The refusal said in `lang`, with what to do; times in the zone `offset`
    /// (minutes east of UTC).
    pub fn text(&self, lang: Lang, offset: i64) -> String {
        match self {
            BallotError::UnknownVote => lang.t(VoteText::ErrUnknownVote).to_owned(),
            BallotError::NotOpen => lang.t(VoteText::ErrNotOpen).to_owned(),
            BallotError::Closed => lang.t(VoteText::ErrClosed).to_owned(),
            BallotError::NotOnRoster => lang.t(VoteText::ErrNotOnRoster).to_owned(),
            BallotError::NoChanges { receipt } => {
                lang.fill(VoteText::ErrNoChanges, &[("receipt", receipt)])
            }
            BallotError::PaperExists { at } => lang.fill(
                VoteText::ErrPaperExists,
                &[("at", &crate::date::format_timestamp(*at, offset))],
            ),
            BallotError::CommentsClosed => lang.t(VoteText::ErrCommentsClosed).to_owned(),
            BallotError::UnknownComment => lang.t(VoteText::ErrUnknownComment).to_owned(),
            BallotError::DeveloperHeld => lang.t(VoteText::ErrDeveloperHeld).to_owned(),
            BallotError::TooManyComments => lang.fill(
                VoteText::ErrTooManyComments,
                &[("max", &MAX_COMMENTS_EACH.to_string())],
            ),
        }
    }
}

/// A vote's window: ballots count from `opens_at` to `closes_at`, and one made before
/// `closes_at` still counts when it reaches the server within `grace_ms` after it
/// (a phone offline at the close).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// When voting opens (ms).
    pub opens_at: i64,
    /// When it closes by the server's clock (ms).
    pub closes_at: i64,
    /// How long after the close a ballot made before it may still arrive (ms).
    pub grace_ms: i64,
}

impl Window {
    /// Whether a ballot made at `made_at` (as far as the server believes the device)
    /// and received at `received_at` counts: `Ok(late)`, `late` when it arrived after
    /// the close, within the grace. Made after the close, or arriving after the grace:
    /// [`BallotError::Closed`]; arriving before the opening: [`BallotError::NotOpen`].
    pub fn admits(&self, made_at: i64, received_at: i64) -> Result<bool, BallotError> {
        if received_at < self.opens_at {
            return Err(BallotError::NotOpen);
        }
        if received_at < self.closes_at {
            return Ok(false);
        }
        if made_at < self.closes_at && received_at <= self.closes_at.saturating_add(self.grace_ms) {
            Ok(true)
        } else {
            Err(BallotError::Closed)
        }
    }

    /// Whether staff may close the vote at `now`: after the window and its grace, so
    /// no ballot still on its way is lost.
    pub fn may_close(&self, now: i64) -> bool {
        now > self.closes_at.saturating_add(self.grace_ms)
    }
}

/// `vote_ballot`: the owner's ballot on a vote, cast from a household's device; the
/// server finds the owner through the household's unit on the vote's roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotPayload {
    /// The vote's id.
    pub vote: i64,
    /// The choice.
    pub choice: Choice,
}

wire_type! {
    BallotPayload { vote: int, choice: choice }
}

impl BallotPayload {
    /// Reads a `vote_ballot` payload; errors name the field.
    pub fn from_value(value: &Value) -> Result<BallotPayload, WireError> {
        BallotPayload::decode(value)
    }
}

/// `vote_comment`: a comment on a vote in deliberation (or voting), or a reply to one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentPayload {
    /// The vote's id.
    pub vote: i64,
    /// The comment, 1–500 characters, trimmed.
    pub text: String,
    /// The comment it answers, if any.
    pub reply_to: Option<i64>,
}

wire_type! {
    CommentPayload { vote: int, text: text(MAX_COMMENT), reply_to: maybe_int }
}

impl CommentPayload {
    /// Reads a `vote_comment` payload; errors name the field. An empty comment is
    /// refused.
    pub fn from_value(value: &Value) -> Result<CommentPayload, WireError> {
        let c = CommentPayload::decode(value)?;
        if c.text.is_empty() {
            return Err(crate::sync::wire::err("text", "is empty"));
        }
        Ok(c)
    }
}

/// Participation so far (参与表决): owners and their area, against every owner and the
/// whole exclusive area. Never the choices of a vote still open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Turnout {
    /// Owners who took part.
    pub owners: i64,
    /// Every owner of the roster.
    pub of_owners: i64,
    /// Their exclusive area (0.01 m²).
    pub area: i64,
    /// The whole exclusive area (0.01 m²).
    pub of_area: i64,
}

wire_type! {
    Turnout { owners: int, of_owners: int, area: int, of_area: int }
}

impl Turnout {
    /// Participation by headcount and by area as percentages with one decimal, for
    /// display only (`"64.0"`, `"71.3"`).
    pub fn percentages(&self) -> (String, String) {
        let pct = |a: i64, b: i64| {
            let (a, b) = (a.max(0) as u128, b.max(0) as u128);
            super::tally::percent(a, b, 1)
        };
        (
            pct(self.owners, self.of_owners),
            pct(self.area, self.of_area),
        )
    }
}

/// The household's own ballot on a vote (the owner's, through whichever of the
/// owner's units it was cast), with its receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyBallot {
    /// The roster unit it was cast through (what a named vote's list shows).
    pub unit: String,
    /// The choice counted.
    pub choice: Choice,
    /// The receipt code to find it in the published list.
    pub receipt: String,
    /// `online` or `paper` (entered by staff).
    pub source: String,
    /// When the device made it (ms; for paper, when it was entered).
    pub made_at: i64,
    /// When the server received it (ms).
    pub received_at: i64,
    /// Made before the close, received within the grace after it.
    pub late: bool,
}

wire_type! {
    MyBallot {
        unit: note(MAX_UNIT_NAME),
        choice: choice,
        receipt: text(MAX_RECEIPT),
        source: text(10),
        made_at: int,
        received_at: int,
        late: flag,
    }
}

/// A comment of the deliberation as owners see it: the author's unit masked (the
/// building only), or the staff's office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardComment {
    /// Its id.
    pub id: i64,
    /// Who wrote it, masked (`3幢业主`), or `居委会` for staff.
    pub author: String,
    /// The comment.
    pub text: String,
    /// When (ms).
    pub at: i64,
    /// The comment it answers.
    pub reply_to: Option<i64>,
    /// Written by staff.
    pub staff: bool,
    /// Written by this household.
    pub mine: bool,
}

wire_type! {
    BoardComment {
        id: int,
        author: note(MAX_UNIT_NAME),
        text: text(MAX_COMMENT),
        at: int,
        reply_to: maybe_int,
        staff: flag,
        mine: flag,
    }
}

/// A ballot in the published list: for a named vote its unit and choice, for a
/// secret vote its receipt and choice only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedBallot {
    /// The unit (named votes), else "".
    pub unit: String,
    /// The receipt (secret votes), else "".
    pub receipt: String,
    /// The choice.
    pub choice: Choice,
}

wire_type! {
    ListedBallot { unit: note(MAX_UNIT_NAME), receipt: note(MAX_RECEIPT), choice: choice }
}

/// A published result: the statutory outcome explained in both languages, how many
/// ballots arrived in the grace after the close, and every ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteResult {
    /// Enough owners took part (art. 278(2)).
    pub quorum: bool,
    /// The matter is decided.
    pub passed: bool,
    /// The explanation, zh-CN.
    pub explanation_zh: String,
    /// The explanation, English.
    pub explanation_en: String,
    /// Ballots made before the close that arrived within the grace.
    pub late: i64,
    /// The published list of ballots.
    pub ballots: Vec<ListedBallot>,
}

wire_type! {
    VoteResult {
        quorum: flag,
        passed: flag,
        explanation_zh: text(4000),
        explanation_en: text(4000),
        late: int,
        ballots: list(100_000, ListedBallot::decode),
    }
}

impl VoteResult {
    /// The explanation in `lang`.
    pub fn explanation(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.explanation_en,
            _ => &self.explanation_zh,
        }
    }
}

/// A vote as a household sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardVote {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The proposal, with its attachments' text.
    pub body: String,
    /// The matter's item in art. 278(1), 1–9.
    pub matter: u32,
    /// Where it stands (as stored; see [`Stage::shown`]).
    pub stage: Stage,
    /// When voting opens (ms; 0 before it is set).
    pub opens_at: i64,
    /// When voting closes (ms; 0 before it is set).
    pub closes_at: i64,
    /// The grace after the close for ballots made before it (ms).
    pub grace_ms: i64,
    /// Secret: the published list shows receipts, not units.
    pub secret: bool,
    /// An owner may change their ballot until the close.
    pub changes_allowed: bool,
    /// This household's unit is on the roster.
    pub eligible: bool,
    /// This household's unit as the roster names it ("" when not on it).
    pub unit: String,
    /// Participation so far.
    pub turnout: Turnout,
    /// This owner's ballot, when there is one.
    pub ballot: Option<MyBallot>,
    /// The deliberation, oldest first.
    pub comments: Vec<BoardComment>,
    /// The result, once published.
    pub result: Option<VoteResult>,
}

wire_type! {
    BoardVote {
        id: int,
        title: text(MAX_TITLE),
        body: note(MAX_BODY),
        matter: count(9),
        stage: stage,
        opens_at: int,
        closes_at: int,
        grace_ms: int,
        secret: flag,
        changes_allowed: flag,
        eligible: flag,
        unit: note(MAX_UNIT_NAME),
        turnout: one(Turnout::decode),
        ballot: maybe_one(MyBallot::decode),
        comments: list(2_000, BoardComment::decode),
        result: maybe_one(VoteResult::decode),
    }
}

impl BoardVote {
    /// The matter decided.
    pub fn matter(&self) -> Option<Matter> {
        u8::try_from(self.matter).ok().and_then(Matter::from_item)
    }

    /// The window, once voting is set.
    pub fn window(&self) -> Window {
        Window {
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            grace_ms: self.grace_ms,
        }
    }

    /// Whether this household may cast (or change) its ballot at `now`: the same rule
    /// the server applies, so the page offers the ballot only when it would count.
    pub fn may_cast(&self, now: i64) -> Result<(), BallotError> {
        ballot_counts(self.stage, self.window(), now, now)?;
        if !self.eligible {
            return Err(BallotError::NotOnRoster);
        }
        match &self.ballot {
            Some(b) => replaces(&b.source, b.made_at, &b.receipt, self.changes_allowed),
            None => Ok(()),
        }
    }

    /// Whether owners may comment at `now` ([`comments_open`]).
    pub fn may_comment(&self, now: i64) -> bool {
        comments_open(self.stage, self.closes_at, now)
    }
}

/// Whether a ballot on a vote in `stage` counts: only while voting, by the window's
/// rule ([`Window::admits`]), `Ok(late)`; before voting [`BallotError::NotOpen`], after
/// it [`BallotError::Closed`]. The one rule for a device's ballot (made at `made_at`,
/// received at `received_at`), a paper ballot (collected, entered) and the page's offer
/// (now, now).
pub fn ballot_counts(
    stage: Stage,
    window: Window,
    made_at: i64,
    received_at: i64,
) -> Result<bool, BallotError> {
    match stage {
        Stage::Voting => window.admits(made_at, received_at),
        s if s < Stage::Voting => Err(BallotError::NotOpen),
        _ => Err(BallotError::Closed),
    }
}

/// Whether an owner's new online ballot may take the place of their existing one
/// (`source`, made at `made_at`, its `receipt`): never a paper ballot staff entered,
/// and an online one only when the vote allows changes.
pub fn replaces(
    source: &str,
    made_at: i64,
    receipt: &str,
    changes_allowed: bool,
) -> Result<(), BallotError> {
    if source == "paper" {
        Err(BallotError::PaperExists { at: made_at })
    } else if !changes_allowed {
        Err(BallotError::NoChanges {
            receipt: receipt.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// Whether owners may comment on a vote in `stage` closing at `closes_at`, at `now`:
/// in deliberation, and while voting is open.
pub fn comments_open(stage: Stage, closes_at: i64, now: i64) -> bool {
    match stage {
        Stage::Deliberation => true,
        Stage::Voting => now < closes_at,
        _ => false,
    }
}

/// The household's voting board (`GET /api/v1/voting`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VotingBoard {
    /// The votes shown to residents, newest first.
    pub votes: Vec<BoardVote>,
    /// The server's clock when it answered (ms).
    pub now: i64,
}

wire_type! {
    VotingBoard { votes: list(50, BoardVote::decode), now: int }
}

impl VotingBoard {
    /// Reads a board (in the browser, from the server or the device's cache).
    pub fn from_value(value: &Value) -> Result<VotingBoard, WireError> {
        VotingBoard::decode(value)
    }

    /// A vote by id.
    pub fn vote(&self, id: i64) -> Option<&BoardVote> {
        self.votes.iter().find(|v| v.id == id)
    }
}
