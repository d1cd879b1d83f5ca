//! `linli-server vote tally --roster ROSTER.csv --ballots BALLOTS.csv --matter N
//! [--silent-follow-majority] [--lang en]`: recomputes a vote's result from the two
//! files alone, with the same core function the server uses, so an owner, a lawyer or
//! the sub-district can check a published result line by line. Prints the result as
//! JSON; every problem in the files is printed with its line and column instead, and
//! the exit code is 1.

use linli_core::voting::{tally, AssemblyRules, Matter};
use linli_core::Lang;

use super::flag;
use crate::voting::files;

pub(super) fn run(args: &[String]) -> i32 {
    let lang = match flag(args, "--lang").as_deref() {
        Some("en") => Lang::En,
        _ => Lang::ZhCn,
    };
    let (Some(roster_path), Some(ballots_path), Some(matter_text)) = (
        flag(args, "--roster"),
        flag(args, "--ballots"),
        flag(args, "--matter"),
    ) else {
        eprintln!(
            "vote tally needs --roster ROSTER.csv --ballots BALLOTS.csv --matter N (1–9, the item of art. 278)"
        );
        return 2;
    };
    let Some(matter) = matter_text.parse::<u8>().ok().and_then(Matter::from_item) else {
        eprintln!("--matter {matter_text}: give the item of art. 278(1), 1–9");
        return 2;
    };
    let read = |path: &str| std::fs::read(path).map_err(|e| format!("{path}: {e}"));
    let (roster_bytes, ballot_bytes) = match (read(&roster_path), read(&ballots_path)) {
        (Ok(r), Ok(b)) => (r, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let mut failed = false;
    let roster = files::roster(&roster_bytes).unwrap_or_else(|problems| {
        for p in problems {
            eprintln!("{roster_path}: {}", p.text(lang));
        }
        failed = true;
        Vec::new()
    });
    let ballots = files::ballots(&ballot_bytes, lang).unwrap_or_else(|problems| {
        for p in problems {
            eprintln!("{ballots_path}: {}", p.text(lang));
        }
        failed = true;
        Vec::new()
    });
    if failed {
        return 1;
    }
    let rules = AssemblyRules {
        silent_follow_majority: args.iter().any(|a| a == "--silent-follow-majority"),
    };
    match tally(matter, &roster, &ballots, rules) {
        Ok(t) => {
            println!(
                "{}",
                linli_core::json::to_string(&crate::voting::tally_json(&t))
            );
            0
        }
        Err(e) => {
            eprintln!("{ballots_path}: {}", e.text(lang));
            1
        }
    }
}
