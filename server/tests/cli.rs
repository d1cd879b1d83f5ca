//! The command line a sub-district uses: accounts, the refusal to serve demo
//! passwords, backups.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::*;

fn with_stdin(mut c: Command, input: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Err(e) = child.stdin.take().unwrap().write_all(input.as_bytes()) {
        // A command that refuses may exit before it reads what it would have asked
        // for (a password): the pipe is then closed, which is that refusal's outcome,
        // judged by the caller from the exit status and output.
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `linli-server <args> --db <db> --key <key>` (flags after the command words).
fn run(db: &TestDb, args: &[&str], input: &str) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_linli-server"));
    c.args(args).args(db.args());
    with_stdin(c, input)
}

/// `linli-server <args> --db <file>`, its key file beside it unless `args` names one.
fn run_file(db: &Path, args: &[&str], input: &str) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_linli-server"));
    c.args(args).arg("--db").arg(db);
    with_stdin(c, input)
}

#[test]
fn the_account_cli_creates_an_admin_with_a_policy_checked_password() {
    let db = temp_db();
    let out = run(&db, &["staff", "add", "li", "--role", "admin"], "short\n");
    assert!(!out.status.success());
    assert!(
        text(&out).contains("at least 12 characters"),
        "{}",
        text(&out)
    );
    let out = run(
        &db,
        &["staff", "add", "li", "--role", "admin"],
        "password1234\n",
    );
    assert!(text(&out).contains("common password"), "{}", text(&out));
    let out = run(
        &db,
        &["staff", "add", "li", "--role", "admin"],
        "青山街道管理员的长长密码\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("second factor"));
    let out = run(
        &db,
        &["staff", "add", "li", "--role", "staff"],
        "another-long-pass\n",
    );
    assert!(text(&out).contains("exists already"));
    let out = run(&db, &["staff", "list"], "");
    assert!(
        text(&out).contains("li") && text(&out).contains("admin"),
        "{}",
        text(&out)
    );
    let out = run(&db, &["staff", "passwd", "li"], "a new admin passphrase\n");
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&db, &["staff", "disable", "li"], "");
    assert!(out.status.success());
    assert!(text(&run(&db, &["staff", "list"], "")).contains("disabled"));
    let out = run(&db, &["staff", "add", "x", "--role", "root"], "");
    assert!(!out.status.success());
}

#[test]
fn managing_commands_never_create_a_database_by_mistake() {
    let db = temp_db();
    for args in [
        &["staff", "list"][..],
        &["staff", "disable", "li"],
        &["backup", "--to", "/tmp/x.sqlite3"],
    ] {
        let out = run(&db, args, "");
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out).contains("check --db"),
            "{args:?}: {}",
            text(&out)
        );
        assert!(!db.made(), "{args:?} created {:?}", db.at);
    }
    let out = run(&db, &["serve", "--prot", "8080"], "");
    assert!(
        text(&out).contains("unknown option --prot"),
        "{}",
        text(&out)
    );
    assert!(!db.made());
    let out = run(&db, &["serve", "--help"], "");
    assert!(out.status.success() && text(&out).contains("linli-server serve"));
    assert!(!db.made(), "--help started nothing");
}

#[test]
fn serve_refuses_an_account_on_the_demo_password_unless_demo() {
    let db = temp_db();
    let out = run(&db, &["seed-demo"], "");
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&db, &["serve", "--port", "0"], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("demo password"), "{}", text(&out));
    // With --demo it starts (and is stopped once it listens).
    let mut child = Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args(["serve", "--port", "0", "--demo"])
        .args(db.args())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push_str(&line);
        if line.contains("listening on") {
            break;
        }
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        seen.contains("DEMO MODE") && seen.contains("listening on"),
        "{seen}"
    );
}

#[test]
fn backup_makes_a_consistent_copy_and_never_overwrites() {
    if sqlite_only("backup copies the SQLite file") {
        return;
    }
    let db = temp_db();
    assert!(run(&db, &["seed-demo"], "").status.success());
    let copy = db.dir.join("copy.sqlite3");
    let out = run(&db, &["backup", "--to", copy.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out));
    // The copy is read with the original's key (it holds entries keyed with it).
    let out = run_file(
        &copy,
        &["staff", "list", "--key", db.key.to_str().unwrap()],
        "",
    );
    assert!(text(&out).contains("chef"), "{}", text(&out));
    let out = run_file(&copy, &["staff", "list"], "");
    assert!(
        text(&out).contains("restore the key file"),
        "{}",
        text(&out)
    );
    let again = run(&db, &["backup", "--to", copy.to_str().unwrap()], "");
    assert!(!again.status.success());
}

#[test]
fn a_deleted_key_is_never_replaced_whatever_was_done_to_the_log() {
    for rewrite in [
        // The log rewritten in the first release's plain scheme.
        "UPDATE audit_log SET scheme = 0",
        // The log emptied.
        "DELETE FROM audit_log",
    ] {
        let db = temp_db();
        assert!(run(&db, &["seed-demo"], "").status.success());
        let key = db.key.clone();
        db.tamper(rewrite);
        std::fs::remove_file(&key).unwrap();
        for args in [
            &["staff", "list"][..],
            &["seed-demo"],
            &["staff", "add", "mole", "--role", "admin"],
            &["audit", "start-key", "--no-head"],
        ] {
            let out = run(
                &db,
                args,
                "a-long-enough-password\na-long-enough-password\n",
            );
            assert!(!out.status.success(), "{rewrite}: {args:?}: {}", text(&out));
            assert!(text(&out).contains("restore"), "{}", text(&out));
            assert!(!key.exists(), "{rewrite}: {args:?} made a key");
        }
    }
}

#[test]
fn starting_a_key_wants_the_published_head_or_says_there_is_none() {
    if sqlite_only("the first release's SQLite file") {
        return;
    }
    let dir = temp_dir();
    let db = dir.join("first.sqlite3");
    std::fs::copy("tests/fixtures/first-release.db", &db).unwrap();
    let out = run_file(&db, &["staff", "list"], "");
    assert!(text(&out).contains("audit start-key"), "{}", text(&out));
    let out = run_file(&db, &["audit", "start-key"], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = run_file(&db, &["audit", "start-key", "--no-head"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("cannot be ruled out"));
    assert!(run_file(&db, &["staff", "list"], "").status.success());
    let out = run_file(&db, &["audit", "verify"], "");
    assert!(text(&out).contains("intact: 39 entries"), "{}", text(&out));
}

#[test]
fn a_backup_is_readable_by_its_owner_only_and_never_replaces_an_empty_file() {
    use std::os::unix::fs::PermissionsExt;
    if sqlite_only("backup copies the SQLite file") {
        return;
    }
    let db = temp_db();
    assert!(run(&db, &["seed-demo"], "").status.success());
    let copy = db.dir.join("owner-only.sqlite3");
    // An empty file in the way is not overwritten either.
    std::fs::write(&copy, "").unwrap();
    assert!(!run(&db, &["backup", "--to", copy.to_str().unwrap()], "")
        .status
        .success());
    std::fs::remove_file(&copy).unwrap();
    let out = run(&db, &["backup", "--to", copy.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out));
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// `vote tally` recomputes a result from the roster and the ballots alone: what a
/// lawyer or an owner runs on the two files staff export.
#[test]
fn vote_tally_recomputes_a_result_from_the_two_files() {
    let dir = temp_dir();
    // GB18030, as Chinese Excel saves it; 张三 owns two units.
    let roster = "房号,业主,面积,开发商持有\n1-101,张三,89.56,否\n1-102,张三,60.00,否\n\
                  2-101,李四,120.50,否\n2-102,王五,75.00,否\n9-901,,80.00,是\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(roster);
    std::fs::write(dir.join("roster.csv"), &gb).unwrap();
    std::fs::write(
        dir.join("ballots.csv"),
        "房号,表决意见\n1-102,同意\n2-101,同意\n2-102,反对\n9-901,弃权\n",
    )
    .unwrap();
    let tally = |matter: &str, ballots: &str| {
        Command::new(env!("CARGO_BIN_EXE_linli-server"))
            .args(["vote", "tally", "--matter", matter, "--roster"])
            .arg(dir.join("roster.csv"))
            .arg("--ballots")
            .arg(dir.join(ballots))
            .output()
            .unwrap()
    };
    let out = tally("4", "ballots.csv");
    assert!(out.status.success(), "{}", text(&out));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Everyone took part: 4 owners (张三 once, the developer once), 425.06 m².
    assert_eq!(result["quorum"], true);
    assert_eq!(result["total"]["owners"], 4);
    assert_eq!(result["total"]["area"], 42_506);
    // Agreeing: 张三 149.56 + 李四 120.50 = 270.06 of 425.06 m² (> 1/2); 2 of 4 owners
    // is not more than half.
    assert_eq!(result["agreement"]["area"]["passed"], true);
    assert_eq!(result["agreement"]["owners"]["passed"], false);
    assert_eq!(result["passed"], false);
    let explained = result["explanation"]["zh-CN"].as_str().unwrap();
    assert!(explained.contains("人数 50.00% ≤ 50.00% ✗"), "{explained}");
    assert!(explained.ends_with("表决未通过。"), "{explained}");

    // A second ballot of one owner, through their other unit, names both lines.
    std::fs::write(
        dir.join("twice.csv"),
        "unit,choice\n1-101,agree\n2-101,agree\n1-102,oppose\n",
    )
    .unwrap();
    let out = tally("4", "twice.csv");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("业主“张三”有两张票：第 2 行 和 第 4 行"),
        "{}",
        text(&out)
    );
    // A matter that is not an item of art. 278.
    assert_eq!(tally("10", "ballots.csv").status.code(), Some(2));
    // A problem in a file is printed with its place, and no result.
    std::fs::write(dir.join("bad.csv"), "unit,choice\n1-101,maybe\n").unwrap();
    let out = tally("4", "bad.csv");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out).contains("第 2 行第 2 列：“maybe”不是"),
        "{}",
        text(&out)
    );
    // The assembly's own rule on silent owners, on request, as a part of its own.
    let out = Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args([
            "vote",
            "tally",
            "--matter",
            "4",
            "--silent-follow-majority",
            "--roster",
        ])
        .arg(dir.join("roster.csv"))
        .arg("--ballots")
        .arg(dir.join("ballots.csv"))
        .output()
        .unwrap();
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(result["assembly_rule"]["passed"].is_boolean(), "{result}");
    assert_eq!(result["passed"], false, "the statutory result is unchanged");
}
