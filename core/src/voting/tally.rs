//! The tally of one vote: owners formed from the roster, one ballot per owner, the four
//! checks of art. 278(2) compared by cross-multiplication, and an explanation that
//! shows each check with its percentages.

use std::collections::BTreeMap;

use super::{AssemblyRules, Choice, Majority, Matter, OwnerKey, Unit, VoteText};
use crate::i18n::Lang;

/// An amount of exclusive area (0.01 m²) and a number of owners.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    /// Area in 0.01 m².
    pub area: u64,
    /// Owners (headcount as art. 278 counts it).
    pub owners: u64,
}

impl Measure {
    fn add(&mut self, area: u64) -> Result<(), TallyError> {
        self.area = self.area.checked_add(area).ok_or(TallyError::TooLarge)?;
        self.owners += 1;
        Ok(())
    }

    fn minus(self, other: Measure) -> Measure {
        Measure {
            area: self.area.saturating_sub(other.area),
            owners: self.owners.saturating_sub(other.owners),
        }
    }
}

/// A ballot as cast: for a unit (a ballot for any unit of an owner is that owner's),
/// with where it came from (`line 7`, a ballot's receipt), for errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    /// The unit as the roster names it.
    pub unit: String,
    /// The owner's choice.
    pub choice: Choice,
    /// Where the ballot came from, as people should be told (`第 7 行` / `line 7`).
    pub source: String,
}

/// Why a tally cannot be made. Each names what to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TallyError {
    /// The roster has no units.
    EmptyRoster,
    /// A ballot for a unit not on the roster.
    UnknownUnit {
        /// The unit written on the ballot.
        unit: String,
        /// Where the ballot came from.
        source: String,
    },
    /// Two ballots of one owner (through the same or another of the owner's units).
    TwoBallots {
        /// The owner, as the roster names them (`开发商` for the developer's units).
        owner: String,
        /// Where the first ballot came from.
        first: String,
        /// Where the second came from.
        second: String,
    },
    /// Areas too large to add up (more than 1.8 × 10¹⁷ m²): not a real roster.
    TooLarge,
}

impl std::fmt::Display for TallyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl TallyError {
    /// The problem, said in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            TallyError::EmptyRoster => lang.t(VoteText::ErrEmptyRoster).to_owned(),
            TallyError::UnknownUnit { unit, source } => lang.fill(
                VoteText::ErrUnknownUnit,
                &[("unit", unit), ("source", source)],
            ),
            TallyError::TwoBallots {
                owner,
                first,
                second,
            } => lang.fill(
                VoteText::ErrTwoBallots,
                &[("owner", owner), ("first", first), ("second", second)],
            ),
            TallyError::TooLarge => lang.t(VoteText::ErrTooLarge).to_owned(),
        }
    }
}

/// A threshold as a fraction: `num / den` (2/3, 3/4, 1/2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    /// Numerator.
    pub num: u64,
    /// Denominator, more than zero.
    pub den: u64,
}

/// How a value is held against its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// 以上: at least, the boundary included.
    AtLeast,
    /// 过半数: more than, the boundary excluded.
    MoreThan,
}

/// One of the four checks of art. 278(2): `value` out of `of`, against `threshold`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Check {
    /// What is measured (`参与表决面积`, `人数`, …).
    pub what: VoteText,
    /// The part (0.01 m², or owners).
    pub value: u64,
    /// The whole it is a part of; a check of nothing (no one took part) fails.
    pub of: u64,
    /// The threshold.
    pub threshold: Ratio,
    /// At least, or more than.
    pub comparison: Comparison,
    /// Whether the check is met, by exact integer comparison.
    pub passed: bool,
}

impl Check {
    fn new(what: VoteText, value: u64, of: u64, threshold: Ratio, comparison: Comparison) -> Check {
        // value / of ⋚ num / den  ⇔  value · den ⋚ num · of, in u128: no overflow, no
        // rounding.
        let left = u128::from(value) * u128::from(threshold.den);
        let right = u128::from(threshold.num) * u128::from(of);
        let passed = of > 0
            && match comparison {
                Comparison::AtLeast => left >= right,
                Comparison::MoreThan => left > right,
            };
        Check {
            what,
            value,
            of,
            threshold,
            comparison,
            passed,
        }
    }

    /// The check for people: `参与表决面积 71.30% ≥ 66.67% ✓`. Both percentages are
    /// rounded half up to two places, or to as many more as it takes to show a value
    /// that differs from its threshold differently from it.
    pub fn line(&self, lang: Lang) -> String {
        format!("{} {}", lang.t(self.what), self.figures())
    }

    /// The figures alone: `71.30% ≥ 66.67% ✓`.
    pub fn figures(&self) -> String {
        let (value, threshold) = percent_pair(self.value, self.of, self.threshold);
        let sign = match (self.comparison, self.passed) {
            (Comparison::AtLeast, true) => "≥",
            (Comparison::AtLeast, false) => "<",
            (Comparison::MoreThan, true) => ">",
            (Comparison::MoreThan, false) => "≤",
        };
        let mark = if self.passed { "✓" } else { "✗" };
        format!("{value}% {sign} {threshold}% {mark}")
    }
}

/// `value / of` and `threshold` as percentages: two decimals, more when two decimals
/// would show a value and a threshold that differ as equal.
fn percent_pair(value: u64, of: u64, threshold: Ratio) -> (String, String) {
    let exact_equal =
        u128::from(value) * u128::from(threshold.den) == u128::from(threshold.num) * u128::from(of);
    let mut places = 2;
    loop {
        let a = percent(u128::from(value), u128::from(of), places);
        let b = percent(u128::from(threshold.num), u128::from(threshold.den), places);
        if a != b || exact_equal || places >= 9 {
            return (a, b);
        }
        places += 1;
    }
}

/// `a / b` as a percentage with `places` decimals, rounded half up; `0` when `b` is 0.
pub(crate) fn percent(a: u128, b: u128, places: u32) -> String {
    if b == 0 {
        return format!("{:.*}", places as usize, 0.0);
    }
    let scale = 10u128.pow(places);
    let scaled = (a * 100 * scale * 2 + b) / (2 * b);
    let (whole, frac) = (scaled / scale, scaled % scale);
    format!("{whole}.{frac:0width$}", width = places as usize)
}

/// The result of one vote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// The matter decided.
    pub matter: Matter,
    /// Every owner and the whole exclusive area.
    pub total: Measure,
    /// The owners who took part (a ballot of any choice), and their area.
    pub participating: Measure,
    /// Who agreed.
    pub agree: Measure,
    /// Who opposed.
    pub oppose: Measure,
    /// Who abstained.
    pub abstain: Measure,
    /// Participation area, participation headcount, agreement area, agreement
    /// headcount.
    pub checks: [Check; 4],
    /// Whether enough took part (the first two checks).
    pub quorum: bool,
    /// Whether the matter is decided: the quorum and both agreement checks.
    pub passed: bool,
    /// The assembly's own rule on silent owners, when it has one: agreement checks
    /// with the silent owners counted with the majority, over every owner; shown apart,
    /// never changing [`Tally::passed`].
    pub silent_rule: Option<SilentRule>,
}

/// The agreement under the assembly's rule that silent owners follow the majority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SilentRule {
    /// Whether the silent owners were counted as agreeing (the majority of those who
    /// took part, by headcount, agreed) or not.
    pub counted_as_agreeing: bool,
    /// Agreement area and headcount over every owner.
    pub checks: [Check; 2],
    /// Whether the matter would pass under the assembly's rule.
    pub passed: bool,
}

impl Tally {
    /// The result explained in `lang`: each check with ✓/✗, then the outcome, then the
    /// assembly's own rule on its own line when it has one.
    pub fn explanation(&self, lang: Lang) -> String {
        let [pa, po, aa, ao] = &self.checks;
        let outcome = match (self.quorum, self.passed) {
            (false, _) => VoteText::OutcomeNoQuorum,
            (true, true) => VoteText::OutcomePassed,
            (true, false) => VoteText::OutcomeRejected,
        };
        let mut out = lang.fill(
            VoteText::Explanation,
            &[
                ("pa", &pa.figures()),
                ("po", &po.figures()),
                ("aa", &aa.figures()),
                ("ao", &ao.figures()),
                ("outcome", lang.t(outcome)),
            ],
        );
        if let Some(rule) = &self.silent_rule {
            let side = if rule.counted_as_agreeing {
                VoteText::SilentAgreeing
            } else {
                VoteText::SilentNotAgreeing
            };
            let outcome = match (self.quorum, rule.passed) {
                (false, _) => VoteText::OutcomeNoQuorum,
                (true, true) => VoteText::OutcomePassed,
                (true, false) => VoteText::OutcomeRejected,
            };
            out.push('\n');
            out.push_str(&lang.fill(
                VoteText::SilentRuleLine,
                &[
                    ("side", lang.t(side)),
                    ("area", &rule.checks[0].figures()),
                    ("owners", &rule.checks[1].figures()),
                    ("outcome", lang.t(outcome)),
                ],
            ));
        }
        out
    }
}

/// Tallies `ballots` on `matter` over the `roster` (units unique, areas above zero:
/// the roster import checks both), under the assembly's own `rules`. A ballot for any
/// unit of an owner is that owner's; two ballots of one owner, or a ballot for a unit
/// not on the roster, is an error naming them. The order of the ballots and of the
/// roster does not change the result.
pub fn tally(
    matter: Matter,
    roster: &[Unit],
    ballots: &[Ballot],
    rules: AssemblyRules,
) -> Result<Tally, TallyError> {
    if roster.is_empty() {
        return Err(TallyError::EmptyRoster);
    }
    // Owners and their areas.
    let mut owners: BTreeMap<OwnerKey, u64> = BTreeMap::new();
    let mut owner_of: BTreeMap<&str, OwnerKey> = BTreeMap::new();
    // The name as the roster first writes it, for messages.
    let mut names: BTreeMap<OwnerKey, String> = BTreeMap::new();
    for unit in roster {
        let key = unit.owner_key();
        names
            .entry(key.clone())
            .or_insert_with(|| unit.owner.trim().to_owned());
        let area = owners.entry(key.clone()).or_insert(0);
        *area = area.checked_add(unit.area).ok_or(TallyError::TooLarge)?;
        owner_of.insert(unit.unit.trim(), key);
    }
    let mut total = Measure::default();
    for area in owners.values() {
        total.add(*area)?;
    }
    // One ballot per owner.
    let mut cast: BTreeMap<&OwnerKey, &Ballot> = BTreeMap::new();
    for ballot in ballots {
        let Some(key) = owner_of.get(ballot.unit.trim()) else {
            return Err(TallyError::UnknownUnit {
                unit: ballot.unit.clone(),
                source: ballot.source.clone(),
            });
        };
        if let Some(first) = cast.get(key) {
            // In the order they were given (a file's order).
            let (first, second) = (first.source.clone(), ballot.source.clone());
            return Err(TallyError::TwoBallots {
                owner: match key {
                    OwnerKey::Named(_) => names.get(key).cloned().unwrap_or_default(),
                    OwnerKey::Developer => Lang::ZhCn.t(VoteText::Developer).to_owned(),
                },
                first,
                second,
            });
        }
        cast.insert(key, ballot);
    }
    let mut participating = Measure::default();
    let (mut agree, mut oppose, mut abstain) = (participating, participating, participating);
    for (key, ballot) in &cast {
        let area = owners.get(*key).copied().unwrap_or(0);
        participating.add(area)?;
        match ballot.choice {
            Choice::Agree => agree.add(area)?,
            Choice::Oppose => oppose.add(area)?,
            Choice::Abstain => abstain.add(area)?,
        }
    }
    let two_thirds = Ratio { num: 2, den: 3 };
    let (needed, comparison) = match matter.majority() {
        Majority::ThreeQuarters => (Ratio { num: 3, den: 4 }, Comparison::AtLeast),
        Majority::MoreThanHalf => (Ratio { num: 1, den: 2 }, Comparison::MoreThan),
    };
    let checks = [
        Check::new(
            VoteText::ParticipationArea,
            participating.area,
            total.area,
            two_thirds,
            Comparison::AtLeast,
        ),
        Check::new(
            VoteText::Owners,
            participating.owners,
            total.owners,
            two_thirds,
            Comparison::AtLeast,
        ),
        Check::new(
            VoteText::AgreementArea,
            agree.area,
            participating.area,
            needed,
            comparison,
        ),
        Check::new(
            VoteText::Owners,
            agree.owners,
            participating.owners,
            needed,
            comparison,
        ),
    ];
    let quorum = checks[0].passed && checks[1].passed;
    let passed = quorum && checks[2].passed && checks[3].passed;
    let silent_rule = rules.silent_follow_majority.then(|| {
        let silent = total.minus(participating);
        let counted_as_agreeing = agree.owners * 2 > participating.owners;
        let with_silent = if counted_as_agreeing {
            Measure {
                area: agree.area.saturating_add(silent.area),
                owners: agree.owners + silent.owners,
            }
        } else {
            agree
        };
        let checks = [
            Check::new(
                VoteText::AgreementArea,
                with_silent.area,
                total.area,
                needed,
                comparison,
            ),
            Check::new(
                VoteText::Owners,
                with_silent.owners,
                total.owners,
                needed,
                comparison,
            ),
        ];
        SilentRule {
            counted_as_agreeing,
            passed: quorum && checks[0].passed && checks[1].passed,
            checks,
        }
    });
    Ok(Tally {
        matter,
        total,
        participating,
        agree,
        oppose,
        abstain,
        checks,
        quorum,
        passed,
        silent_rule,
    })
}
