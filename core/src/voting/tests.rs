#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::i18n::Lang;

fn unit(name: &str, owner: &str, area: u64) -> Unit {
    Unit {
        unit: name.into(),
        owner: owner.into(),
        area,
        developer_held: false,
    }
}

fn ballot(unit: &str, choice: Choice, line: usize) -> Ballot {
    Ballot {
        unit: unit.into(),
        choice,
        source: format!("line {line}"),
    }
}

/// `n` owners of one unit each, all of area `area`.
fn estate(n: usize, area: u64) -> Vec<Unit> {
    (0..n)
        .map(|i| unit(&format!("{i}"), &format!("owner{i}"), area))
        .collect()
}

fn votes(choices: &[(usize, Choice)]) -> Vec<Ballot> {
    choices
        .iter()
        .enumerate()
        .map(|(line, (u, c))| ballot(&u.to_string(), *c, line + 2))
        .collect()
}

use Choice::{Abstain, Agree, Oppose};

/// The tally under the statute alone (no rule of the assembly's own).
fn by_statute(matter: Matter, roster: &[Unit], ballots: &[Ballot]) -> Tally {
    tally(matter, roster, ballots, AssemblyRules::default()).unwrap()
}

#[test]
fn every_matter_of_article_278_has_its_majority() {
    let three_quarters: Vec<u8> = Matter::ALL
        .iter()
        .filter(|m| m.majority() == Majority::ThreeQuarters)
        .map(|m| m.item())
        .collect();
    assert_eq!(three_quarters, [6, 7, 8]);
    for n in 1..=9 {
        assert_eq!(Matter::from_item(n).unwrap().item(), n);
    }
    assert_eq!(Matter::from_item(0), None);
    assert_eq!(Matter::from_item(10), None);
}

#[test]
fn exactly_two_thirds_taking_part_is_a_quorum_and_a_hundredth_of_a_square_metre_less_is_not() {
    // Three owners of 100.00 m² each: two take part, exactly 2/3 of area and headcount.
    let roster = estate(3, 10_000);
    let t = tally(
        Matter::Other,
        &roster,
        &votes(&[(0, Agree), (1, Agree)]),
        AssemblyRules::default(),
    )
    .unwrap();
    assert!(t.quorum && t.passed, "{}", t.explanation(Lang::ZhCn));
    // The same with one taking part a hundredth of a square metre smaller.
    let mut smaller = roster.clone();
    smaller[1].area -= 1;
    smaller[2].area += 1;
    let t = tally(
        Matter::Other,
        &smaller,
        &votes(&[(0, Agree), (1, Agree)]),
        AssemblyRules::default(),
    )
    .unwrap();
    assert!(!t.checks[0].passed && t.checks[1].passed && !t.quorum);
    assert!(!t.passed);
}

#[test]
fn exactly_half_agreeing_is_not_more_than_half() {
    // Four owners, all take part; two agree: exactly 1/2 of area and headcount.
    let roster = estate(4, 5_000);
    let ballots = votes(&[(0, Agree), (1, Agree), (2, Oppose), (3, Abstain)]);
    let t = by_statute(Matter::PropertyManager, &roster, &ballots);
    assert!(t.quorum);
    assert!(!t.checks[2].passed && !t.checks[3].passed && !t.passed);
    let line = t.checks[2].line(Lang::ZhCn);
    assert_eq!(line, "同意的业主占参与表决专有部分面积 50.00% ≤ 50.00% ✗");
    // A hundredth of a square metre more agreeing area, and one more agreeing owner.
    let mut more = roster.clone();
    more[0].area += 1;
    let ballots = votes(&[(0, Agree), (1, Agree), (2, Oppose), (3, Agree)]);
    let t = by_statute(Matter::PropertyManager, &more, &ballots);
    assert!(t.passed, "{}", t.explanation(Lang::ZhCn));
}

#[test]
fn exactly_three_quarters_passes_items_six_to_eight() {
    let roster = estate(4, 5_000);
    let ballots = votes(&[(0, Agree), (1, Agree), (2, Agree), (3, Oppose)]);
    for matter in [Matter::RaiseFund, Matter::Rebuild, Matter::ChangeUse] {
        let t = by_statute(matter, &roster, &ballots);
        assert!(t.passed, "{matter:?}: {}", t.explanation(Lang::En));
        assert_eq!(
            t.checks[2].line(Lang::En),
            "Agreeing owners' share of the participating area 75.00% ≥ 75.00% ✓"
        );
    }
    // Two of three agreeing passes an ordinary matter, not a special one.
    let three = estate(3, 5_000);
    let ballots = votes(&[(0, Agree), (1, Agree), (2, Oppose)]);
    assert!(by_statute(Matter::UseFund, &three, &ballots).passed);
    assert!(!by_statute(Matter::RaiseFund, &three, &ballots).passed);
}

#[test]
fn abstaining_is_taking_part_and_counts_against_agreement() {
    let roster = estate(3, 5_000);
    let ballots = votes(&[(0, Agree), (1, Abstain), (2, Abstain)]);
    let t = by_statute(Matter::Other, &roster, &ballots);
    assert!(t.quorum);
    assert_eq!(t.participating.owners, 3);
    assert!(!t.passed);
    assert_eq!(
        t.abstain,
        Measure {
            area: 10_000,
            owners: 2
        }
    );
}

#[test]
fn an_owner_of_several_units_counts_once_with_their_areas_added() {
    let roster = vec![
        unit("1-101", "张三", 9_000),
        unit("1-102", "张三", 6_000),
        unit("2-101", "李四", 8_000),
        unit("2-102", "王五", 7_000),
    ];
    let t = by_statute(Matter::Other, &roster, &[ballot("1-102", Agree, 2)]);
    assert_eq!(
        t.total,
        Measure {
            area: 30_000,
            owners: 3
        }
    );
    assert_eq!(
        t.participating,
        Measure {
            area: 15_000,
            owners: 1
        }
    );
    // A second ballot through the owner's other unit is the same owner's second ballot.
    let twice = [ballot("1-101", Agree, 2), ballot("1-102", Oppose, 5)];
    let err = tally(Matter::Other, &roster, &twice, AssemblyRules::default()).unwrap_err();
    assert_eq!(
        err,
        TallyError::TwoBallots {
            owner: "张三".into(),
            first: "line 2".into(),
            second: "line 5".into()
        }
    );
    assert!(err.text(Lang::ZhCn).contains("张三"));
}

#[test]
fn the_developers_unsold_units_are_one_owner() {
    let mut roster = estate(3, 10_000);
    for (i, area) in [(10, 5_000), (11, 5_000), (12, 5_000)] {
        roster.push(Unit {
            unit: format!("{i}"),
            owner: String::new(),
            area,
            developer_held: true,
        });
    }
    let t = by_statute(Matter::Other, &roster, &[]);
    assert_eq!(
        t.total,
        Measure {
            area: 45_000,
            owners: 4
        }
    );
    // The developer votes once, for all its units.
    let err = tally(
        Matter::Other,
        &roster,
        &[ballot("10", Agree, 2), ballot("12", Agree, 3)],
        AssemblyRules::default(),
    )
    .unwrap_err();
    assert!(matches!(err, TallyError::TwoBallots { .. }));
}

#[test]
fn a_ballot_for_a_unit_not_on_the_roster_is_named() {
    let err = tally(
        Matter::Other,
        &estate(2, 100),
        &[ballot("9-909", Agree, 4)],
        AssemblyRules::default(),
    )
    .unwrap_err();
    assert_eq!(err.text(Lang::ZhCn), "line 4：名册上没有“9-909”");
    assert_eq!(
        tally(Matter::Other, &[], &[], AssemblyRules::default()).unwrap_err(),
        TallyError::EmptyRoster
    );
}

#[test]
fn the_result_explains_itself_as_the_statute_counts() {
    // 25 owners; 16 take part (64%) holding 71.30% of the area.
    let mut roster = Vec::new();
    for i in 0..16 {
        roster.push(unit(&format!("a{i}"), &format!("a{i}"), 4_456));
    }
    for i in 0..9 {
        roster.push(unit(&format!("b{i}"), &format!("b{i}"), 3_196));
    }
    let ballots: Vec<Ballot> = (0..16)
        .map(|i| ballot(&format!("a{i}"), Agree, i + 2))
        .collect();
    let t = by_statute(Matter::Committee, &roster, &ballots);
    assert_eq!(
        t.explanation(Lang::ZhCn),
        "参与表决专有部分面积 71.25% ≥ 66.67% ✓，人数 64.00% < 66.67% ✗；\
         同意的业主占参与表决专有部分面积 100.00% > 50.00% ✓，占参与表决人数 100.00% > 50.00% ✓。\
         参与表决的业主不足，决定不成立。"
    );
    assert!(t
        .explanation(Lang::En)
        .starts_with("Participating exclusive area 71.25% ≥ 66.67% ✓, owners 64.00% < 66.67% ✗; "));
}

#[test]
fn percentages_show_more_places_when_two_would_hide_a_difference() {
    // 2/3 less a hundredth of a square metre, out of 300,000.00 m².
    let check = tally::Check {
        what: VoteText::ParticipationArea,
        value: 19_999_999,
        of: 30_000_000,
        threshold: Ratio { num: 2, den: 3 },
        comparison: Comparison::AtLeast,
        passed: false,
    };
    let line = check.line(Lang::En);
    assert_eq!(line, "Participating exclusive area 66.66666% < 66.66667% ✗");
}

#[test]
fn silent_owners_never_take_part_and_the_assemblys_own_rule_is_a_line_of_its_own() {
    // 6 owners; 4 take part (a quorum), 3 of them agree; 2 are silent.
    let roster = estate(6, 10_000);
    let ballots = votes(&[(0, Agree), (1, Agree), (2, Agree), (3, Oppose)]);
    let statute = by_statute(Matter::RaiseFund, &roster, &ballots);
    let own = tally(
        Matter::RaiseFund,
        &roster,
        &ballots,
        AssemblyRules {
            silent_follow_majority: true,
        },
    )
    .unwrap();
    // The statutory result is the same either way; silent owners never take part.
    assert_eq!(own.checks, statute.checks);
    assert_eq!(own.passed, statute.passed);
    assert_eq!(own.participating.owners, 4);
    let rule = own.silent_rule.as_ref().unwrap();
    assert!(rule.counted_as_agreeing);
    assert_eq!(rule.checks[1].value, 5);
    let text = own.explanation(Lang::ZhCn);
    assert!(text.contains("\n按本业主大会议事规则"), "{text}");
    assert!(statute.silent_rule.is_none());
}

/// A small deterministic generator, for rosters and shuffles the tests can replay.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[test]
fn the_tally_does_not_depend_on_the_order_of_ballots_or_of_the_roster() {
    let mut rng = Lcg(20_261_202);
    for _ in 0..200 {
        let units = 1 + rng.next(30) as usize;
        let mut roster: Vec<Unit> = (0..units)
            .map(|i| Unit {
                unit: format!("u{i}"),
                owner: format!("o{}", rng.next(units as u64)),
                area: 1 + rng.next(20_000),
                developer_held: rng.next(10) == 0,
            })
            .collect();
        // One ballot for some owners, through one of their units.
        let mut seen = std::collections::BTreeSet::new();
        let mut ballots = Vec::new();
        for (i, u) in roster.iter().enumerate() {
            if rng.next(3) > 0 && seen.insert(u.owner_key()) {
                let choice = [Agree, Oppose, Abstain][rng.next(3) as usize];
                ballots.push(ballot(&u.unit, choice, i + 2));
            }
        }
        let matter = Matter::from_item(1 + rng.next(9) as u8).unwrap();
        let rules = AssemblyRules {
            silent_follow_majority: rng.next(2) == 0,
        };
        let first = tally(matter, &roster, &ballots, rules).unwrap();
        for _ in 0..5 {
            for i in (1..ballots.len()).rev() {
                ballots.swap(i, rng.next(i as u64 + 1) as usize);
            }
            for i in (1..roster.len()).rev() {
                roster.swap(i, rng.next(i as u64 + 1) as usize);
            }
            assert_eq!(tally(matter, &roster, &ballots, rules).unwrap(), first);
        }
    }
}

#[test]
fn choices_read_in_either_language() {
    for (text, choice) in [
        ("agree", Agree),
        (" Oppose ", Oppose),
        ("ABSTAIN", Abstain),
        ("同意", Agree),
        ("反对", Oppose),
        (" 弃权", Abstain),
    ] {
        assert_eq!(Choice::parse(text), Some(choice), "{text}");
    }
    assert_eq!(Choice::parse("yes"), None);
}

#[test]
fn three_quarters_less_a_hundredth_of_a_square_metre_fails_and_so_does_a_headcount_below_two_thirds(
) {
    // Four owners of 50.00 m²; three agree, but one agreeing unit is 0.01 m² smaller
    // and the opposing one 0.01 m² larger: 149.99 of 200.00 m² < 3/4.
    let mut roster = estate(4, 5_000);
    roster[0].area -= 1;
    roster[3].area += 1;
    let ballots = votes(&[(0, Agree), (1, Agree), (2, Agree), (3, Oppose)]);
    let t = by_statute(Matter::RaiseFund, &roster, &ballots);
    assert!(!t.checks[2].passed && t.checks[3].passed && !t.passed);
    // 301 owners, 200 take part: 66.45% < 2/3 by headcount, whatever the area.
    let mut roster = estate(301, 100);
    roster[0].area = 1_000_000;
    let choices: Vec<(usize, Choice)> = (0..200).map(|i| (i, Agree)).collect();
    let t = by_statute(Matter::Other, &roster, &votes(&choices));
    assert!(t.checks[0].passed && !t.checks[1].passed && !t.quorum);
    // One more owner taking part makes 201 of 301 ≥ 2/3.
    let choices: Vec<(usize, Choice)> = (0..201).map(|i| (i, Agree)).collect();
    let t = by_statute(Matter::Other, &roster, &votes(&choices));
    assert!(t.quorum);
}

#[test]
fn the_assemblys_rule_can_differ_from_the_statute_and_says_so_apart() {
    // 12 owners, 8 take part, 5 agree: 62.5% < 3/4 under the statute; with the 4
    // silent owners counted with the majority, 9 of 12 = 75%.
    let roster = estate(12, 1_000);
    let mut choices: Vec<(usize, Choice)> = (0..5).map(|i| (i, Agree)).collect();
    choices.extend((5..8).map(|i| (i, Oppose)));
    let rules = AssemblyRules {
        silent_follow_majority: true,
    };
    let t = tally(Matter::Rebuild, &roster, &votes(&choices), rules).unwrap();
    assert!(t.quorum && !t.passed);
    let rule = t.silent_rule.as_ref().unwrap();
    assert!(rule.counted_as_agreeing && rule.passed);
    let text = t.explanation(Lang::ZhCn);
    let (statute, own) = text.split_once('\n').unwrap();
    assert!(statute.ends_with("表决未通过。"), "{statute}");
    assert!(
        own.starts_with("按本业主大会议事规则") && own.ends_with("表决通过。"),
        "{own}"
    );
    // A majority that did not agree carries the silent with it.
    let choices: Vec<(usize, Choice)> = (0..8)
        .map(|i| (i, if i < 3 { Agree } else { Oppose }))
        .collect();
    let t = tally(Matter::Other, &roster, &votes(&choices), rules).unwrap();
    assert!(!t.silent_rule.unwrap().counted_as_agreeing);
}

#[test]
fn an_owners_name_is_one_owner_whatever_its_spaces_or_case() {
    let roster = vec![
        unit("1-101", "张三", 9_000),
        unit("1-102", "张 三", 6_000),
        unit("2-101", "Li Wei", 8_000),
        unit("2-102", "LI WEI", 7_000),
    ];
    let t = by_statute(Matter::Other, &roster, &[]);
    assert_eq!(t.total.owners, 2);
    // Two ballots are named in the order given, with the roster's spelling.
    let twice = [ballot("2-102", Agree, 10), ballot("2-101", Agree, 9)];
    let err = tally(Matter::Other, &roster, &twice, AssemblyRules::default()).unwrap_err();
    assert_eq!(
        err,
        TallyError::TwoBallots {
            owner: "Li Wei".into(),
            first: "line 10".into(),
            second: "line 9".into()
        }
    );
}
