//! Owners' assembly (业主大会) decisions under PRC Civil Code art. 278: which matter
//! needs which majority, who counts as an owner, and the tally — in exact integer
//! arithmetic (areas in 0.01 m², counts of owners), compared by cross-multiplying,
//! never through floats or rounded percentages; percentages are for display only.
//!
//! Art. 278(2): a decision needs owners holding at least 2/3 (三分之二以上) of the
//! exclusive area AND at least 2/3 of all owners to take part (参与表决; abstaining is
//! taking part). Matters 6–8 of art. 278(1) then need the agreement of owners holding
//! at least 3/4 of the participating area AND at least 3/4 of the participating owners;
//! every other matter needs more than half (过半数) of both. "以上" includes the
//! boundary, "过半数" does not (art. 1259).
//!
//! Who counts follows the Supreme People's Court interpretation on building
//! co-ownership (法释〔2009〕7号, arts. 8–9): one owner per exclusive unit; several
//! units of one owner count once by headcount and their areas add up; units the
//! developer has not sold or not delivered count together as one owner.

mod tally;
mod text;
mod wire;

#[cfg(test)]
mod tests;

pub use tally::{tally, Ballot, Check, Comparison, Measure, Ratio, Tally, TallyError};
pub use text::{VoteServerText, VoteText};
pub use wire::{
    ballot_counts, comments_open, replaces, BallotError, BallotPayload, BoardComment, BoardVote,
    CommentPayload, ListedBallot, MyBallot, Stage, Turnout, VoteKind, VoteResult, VotingBoard,
    Window, DEFAULT_GRACE_MS, MAX_BODY, MAX_COMMENT, MAX_COMMENTS_EACH, MAX_COMMENTS_SHOWN,
    MAX_RECEIPT, MAX_TITLE, MAX_UNIT_NAME,
};

/// The nine matters owners decide together (art. 278(1), items 1–9), in the statute's
/// order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Matter {
    /// (一) 制定和修改业主大会议事规则: the assembly's rules of procedure.
    ProcedureRules,
    /// (二) 制定和修改管理规约: the management covenant.
    Covenant,
    /// (三) 选举业主委员会或者更换业主委员会成员: electing or replacing the owners' committee.
    Committee,
    /// (四) 选聘和解聘物业服务企业或者其他管理人: hiring or dismissing the property manager.
    PropertyManager,
    /// (五) 使用建筑物及其附属设施的维修资金: using the maintenance fund.
    UseFund,
    /// (六) 筹集建筑物及其附属设施的维修资金: raising the maintenance fund.
    RaiseFund,
    /// (七) 改建、重建建筑物及其附属设施: rebuilding or reconstructing buildings and facilities.
    Rebuild,
    /// (八) 改变共有部分的用途或者利用共有部分从事经营活动: changing the use of common parts,
    /// or running a business in them.
    ChangeUse,
    /// (九) 有关共有和共同管理权利的其他重大事项: other major matters of common ownership.
    Other,
}

/// The majority a matter needs among those who took part (art. 278(2)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Majority {
    /// More than half (过半数) of the participating area and of the participating owners.
    MoreThanHalf,
    /// At least three quarters (四分之三以上) of both: matters 6–8.
    ThreeQuarters,
}

impl Matter {
    /// Every matter, items 1–9.
    pub const ALL: [Matter; 9] = [
        Matter::ProcedureRules,
        Matter::Covenant,
        Matter::Committee,
        Matter::PropertyManager,
        Matter::UseFund,
        Matter::RaiseFund,
        Matter::Rebuild,
        Matter::ChangeUse,
        Matter::Other,
    ];

    /// Its item number in art. 278(1), 1–9.
    pub fn item(self) -> u8 {
        match self {
            Matter::ProcedureRules => 1,
            Matter::Covenant => 2,
            Matter::Committee => 3,
            Matter::PropertyManager => 4,
            Matter::UseFund => 5,
            Matter::RaiseFund => 6,
            Matter::Rebuild => 7,
            Matter::ChangeUse => 8,
            Matter::Other => 9,
        }
    }

    /// The matter of item `n` (1–9), if there is one.
    pub fn from_item(n: u8) -> Option<Matter> {
        Matter::ALL.iter().copied().find(|m| m.item() == n)
    }

    /// The majority it needs: three quarters for items 6–8, more than half otherwise.
    pub fn majority(self) -> Majority {
        match self {
            Matter::RaiseFund | Matter::Rebuild | Matter::ChangeUse => Majority::ThreeQuarters,
            _ => Majority::MoreThanHalf,
        }
    }

    /// Its name as the statute words it.
    pub fn text(self) -> VoteText {
        match self {
            Matter::ProcedureRules => VoteText::Matter1,
            Matter::Covenant => VoteText::Matter2,
            Matter::Committee => VoteText::Matter3,
            Matter::PropertyManager => VoteText::Matter4,
            Matter::UseFund => VoteText::Matter5,
            Matter::RaiseFund => VoteText::Matter6,
            Matter::Rebuild => VoteText::Matter7,
            Matter::ChangeUse => VoteText::Matter8,
            Matter::Other => VoteText::Matter9,
        }
    }
}

/// An owner's choice on a ballot. Abstaining is taking part (art. 278(2)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Choice {
    /// 同意.
    Agree,
    /// 反对.
    Oppose,
    /// 弃权.
    Abstain,
}

impl Choice {
    /// The wire and file word: `agree`, `oppose`, `abstain`.
    pub fn id(self) -> &'static str {
        match self {
            Choice::Agree => "agree",
            Choice::Oppose => "oppose",
            Choice::Abstain => "abstain",
        }
    }

    /// Reads a choice as written on a ballot or in a file: the English word or the
    /// Chinese (同意 / 反对 / 弃权), surrounding spaces ignored, English in any case.
    pub fn parse(text: &str) -> Option<Choice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "agree" | "同意" => Some(Choice::Agree),
            "oppose" | "反对" => Some(Choice::Oppose),
            "abstain" | "弃权" => Some(Choice::Abstain),
            _ => None,
        }
    }

    /// Its name, for people.
    pub fn text(self) -> VoteText {
        match self {
            Choice::Agree => VoteText::ChoiceAgree,
            Choice::Oppose => VoteText::ChoiceOppose,
            Choice::Abstain => VoteText::ChoiceAbstain,
        }
    }
}

/// One exclusive unit (专有部分) of the roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The unit as the estate names it (`3幢2单元401`); unique in a roster.
    pub unit: String,
    /// Its owner as the roster names them; the same name on several units is one
    /// owner (their areas add up), compared without spaces and without case (`张 三` is
    /// `张三`, `LI WEI` is `Li Wei`). Two different people of one name must be told
    /// apart in the roster (`张伟（5-502）`). Ignored for a developer-held unit.
    pub owner: String,
    /// 专有部分面积 in 0.01 m² (`8956` is 89.56 m²); more than zero.
    pub area: u64,
    /// Not yet sold or delivered by the developer: all such units together are one
    /// owner (SPC interpretation, art. 9).
    pub developer_held: bool,
}

/// Who counts as one owner: every unit of the same roster name, and every
/// developer-held unit together.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OwnerKey {
    /// An owner by the roster's name.
    Named(String),
    /// The developer's unsold or undelivered units, as one owner.
    Developer,
}

impl Unit {
    /// The owner this unit counts towards.
    pub fn owner_key(&self) -> OwnerKey {
        if self.developer_held {
            OwnerKey::Developer
        } else {
            OwnerKey::Named(
                self.owner
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_lowercase)
                    .collect(),
            )
        }
    }
}

/// A deployment's own rule beyond the statute, shown as a separate line labelled as
/// the assembly's rule; the statutory result never changes with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AssemblyRules {
    /// 沉默票 / 从众: the assembly's rules of procedure count owners who did not take
    /// part with the majority of those who did. They still never count as taking part.
    pub silent_follow_majority: bool,
}
