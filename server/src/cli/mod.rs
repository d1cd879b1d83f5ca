//! The `linli-server` command line: serve, manage staff accounts, check and publish the
//! audit log, back up, seed a demo.

mod init;
mod migrate_data;
mod vote;

pub use init::starter_config;
pub use migrate_data::move_data;
mod serve;
mod staff;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use linli_core::config::ShellConfig;

use crate::app::Scenario;
use crate::audit::{self, Head, ServerKey};
use crate::store::{default_key_path, Location, Store};

const HELP: &str = "\
linli-server init --data DIR [--admin NAME] [--name 街道名]
                                             a new sub-district in DIR: the database, its key, the
                                             first admin (asks for its password; default name admin)
                                             and starting settings to change in the console
linli-server serve [options]                 serve the API, the staff console and the residents' app
    --data DIR           the sub-district's folder made by init: its database and key, and the app
                         this binary carries (unpacked into DIR/app)
    --db FILE|URL        database: a SQLite file (default DIR/linli.sqlite3 with --data, else $LINLI_DB
                         or linli.sqlite3), or postgres://USER[:PASSWORD]@HOST:PORT/DB for several
                         server instances on one PostgreSQL database (DEPLOY.md, section 9)
    --key FILE           secret key file, made with a new database (default FILE.key beside a SQLite
                         file; required, or $LINLI_KEY, with PostgreSQL)
    --static DIR         the deployment folder to serve (its config.json is the deployment's config)
    --config FILE        the deployment's config.json, when not in --static DIR
    --bind ADDR          address to listen on (default 127.0.0.1)
    --port N             port (default 8080)
    --trusted-proxy CIDR a reverse proxy whose X-Forwarded-For/-Proto to believe (repeatable)
    --public-url URL     the address residents and staff use (https://… behind a TLS proxy)
    --demo               allow the demo password and skip the second factor (never in production)
linli-server staff add NAME --role ROLE      create a staff account (asks for the password twice;
                                             reads one line from standard input when not a terminal)
linli-server staff passwd NAME               set a new password
linli-server staff disable NAME | enable NAME
linli-server staff reset-totp NAME           remove a lost second factor; enrolled again at next sign-in
linli-server staff list
linli-server audit verify [--head SEQ:HASH]  walk the keyed audit chain (read-only); with the published
                                             head, a truncation or a rewrite since then shows too
linli-server audit head                      print the newest entry as SEQ:HASH, for publishing
linli-server audit start-key --head SEQ:HASH | --no-head
                                             once, for a database from the first release: verify its
                                             log (against the head published then, if there is one),
                                             make its key file; entries from then on are keyed
linli-server backup --to FILE                a consistent copy of the database, while it serves
linli-server seed-demo [--static DIR]        fill an empty database with demo households and staff
linli-server vote tally --roster ROSTER.csv --ballots BALLOTS.csv --matter N [--silent-follow-majority] [--lang en]
                                             recompute a vote's result from its two files alone (the same
                                             rules as the server: art. 278, exact areas in 0.01 m²); prints
                                             JSON, or each problem in the files with its line and column
linli-server migrate-data --from sqlite:FILE --to postgres://USER@HOST:PORT/DB [--key FILE] [--replace]
                                             move a database to PostgreSQL: every table, row counts
                                             printed, the audit chain verified there (a target with
                                             rows is refused unless --replace empties it)

Every command but init and vote tally takes --data DIR, or --db FILE|URL and --key FILE, as above
(init takes --data DIR and --key FILE: it makes a SQLite sub-district; for PostgreSQL, the first
`staff add` on an empty database makes its tables and key). Roles: admin, staff, kitchen,
organisation, handler, auditor.
";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn flags(args: &[String], name: &str) -> Vec<String> {
    args.windows(2)
        .filter(|w| w[0] == name)
        .map(|w| w[1].clone())
        .collect()
}

/// The database file inside a `--data` folder.
const DATA_DB: &str = "linli.sqlite3";

/// The database the arguments name: `--db`, else the one in `--data DIR`, else
/// `$LINLI_DB`, else `linli.sqlite3` here.
fn db_location(args: &[String]) -> Location {
    let text = flag(args, "--db")
        .or_else(|| {
            flag(args, "--data").map(|d| Path::new(&d).join(DATA_DB).to_string_lossy().into_owned())
        })
        .or_else(|| std::env::var("LINLI_DB").ok())
        .unwrap_or_else(|| "linli.sqlite3".into());
    Location::parse(&text)
}

/// `--data DIR` names a SQLite file in DIR; with `LINLI_DB` also set (and no `--db` to
/// choose), two databases are named and each instance could quietly serve its own
/// file instead of the shared one: refused, saying how to choose.
fn two_databases(args: &[String], env_db: Option<String>) -> Option<String> {
    let data = flag(args, "--data")?;
    if flag(args, "--db").is_some() {
        return None;
    }
    let env_db = env_db?;
    let own = Path::new(&data).join(DATA_DB);
    if Location::parse(&env_db) == Location::File(own.clone()) {
        return None;
    }
    Some(format!(
        "--data {data} names the database {} and LINLI_DB names {}: give --db to say which \
         (with PostgreSQL: --data {data} --db \"$LINLI_DB\")",
        own.display(),
        Location::parse(&env_db)
    ))
}

/// The key file: `--key`, else `$LINLI_KEY`, else beside a SQLite file. A PostgreSQL
/// database has no folder of its own to keep it beside, so it must be named.
fn key_path(args: &[String]) -> Result<PathBuf, String> {
    if let Some(named) = flag(args, "--key").or_else(|| std::env::var("LINLI_KEY").ok()) {
        return Ok(PathBuf::from(named));
    }
    match db_location(args) {
        Location::File(db) => Ok(default_key_path(&db)),
        Location::Postgres(_) => Err(
            "with a PostgreSQL --db, name the key file with --key FILE (or LINLI_KEY): it is \
             kept on the servers, apart from the database (DEPLOY.md, section 9)"
                .into(),
        ),
    }
}

/// Opens (and migrates) the database named by the arguments, saying why it cannot.
/// Only `serve`, `seed-demo` and `staff add` (the first admin of a new sub-district)
/// may create it; the other commands need it to exist.
async fn open_store(args: &[String]) -> Option<Store> {
    let creates = matches!(
        (
            args.first().map(String::as_str),
            args.get(1).map(String::as_str)
        ),
        (Some("serve" | "seed-demo"), _) | (Some("staff"), Some("add"))
    );
    let db = db_location(args);
    let key = match key_path(args) {
        Ok(key) => key,
        Err(e) => {
            eprintln!("{e}");
            return None;
        }
    };
    let opened = if creates {
        Store::open(&db, &key).await
    } else {
        Store::open_existing(&db, &key).await
    };
    match opened {
        Ok(store) => Some(store),
        Err(e) => {
            eprintln!("cannot open the database: {e}");
            None
        }
    }
}

/// The deployment's config: `--config FILE`, else `config.json` in `--static DIR` if
/// there is one. Every problem is printed with its field. A broken `--config` stops the
/// server (the exit code in `Err`); a broken `config.json` in the folder does not, since
/// the folder is still served and the app shows residents the same located problems,
/// but the scenarios that need the config refuse submissions until it is fixed.
fn deployment(args: &[String]) -> Result<Option<(ShellConfig, String)>, i32> {
    let (path, required) = match (flag(args, "--config"), flag(args, "--static")) {
        (Some(file), _) => (PathBuf::from(file), true),
        (None, Some(dir)) if Path::new(&dir).join("config.json").is_file() => {
            (Path::new(&dir).join("config.json"), false)
        }
        _ => return Ok(None),
    };
    let checked = std::fs::read_to_string(&path)
        .map_err(|e| vec![e.to_string()])
        .and_then(|text| {
            linli_core::config::parse(&text)
                .map(|config| (config, text))
                .map_err(|e| e.errors.iter().map(ToString::to_string).collect())
        });
    match checked {
        Ok(config) => Ok(Some(config)),
        Err(problems) => {
            eprintln!("{} has problems:", path.display());
            for problem in &problems {
                eprintln!("  {problem}");
            }
            if required {
                Err(1)
            } else {
                eprintln!(
                    "serving the folder anyway; its scenarios refuse submissions until it is fixed"
                );
                Ok(None)
            }
        }
    }
}

/// The flags each command takes (each followed by a value, but `--demo`).
fn known_flags(command: &str) -> &'static [&'static str] {
    match command {
        "init" => &["--data", "--key", "--admin", "--name"],
        "serve" => &[
            "--data",
            "--db",
            "--key",
            "--static",
            "--config",
            "--bind",
            "--port",
            "--trusted-proxy",
            "--public-url",
            "--demo",
        ],
        "staff" => &["--data", "--db", "--key", "--role"],
        "audit" => &["--data", "--db", "--key", "--head", "--no-head"],
        "backup" => &["--data", "--db", "--key", "--to"],
        "seed-demo" => &["--data", "--db", "--key", "--static", "--config"],
        "migrate-data" => &["--from", "--to", "--key", "--replace"],
        "vote" => &[
            "--roster",
            "--ballots",
            "--matter",
            "--lang",
            "--silent-follow-majority",
        ],
        _ => &[],
    }
}

/// Flags that take no value.
const SWITCHES: [&str; 4] = [
    "--demo",
    "--no-head",
    "--replace",
    "--silent-follow-majority",
];

/// The first argument that is not a command word, a known flag or a flag's value, or
/// a flag without its value; `None` when every argument is in place.
fn misplaced(args: &[String]) -> Option<String> {
    let command = args.first()?.as_str();
    let known = known_flags(command);
    let mut words = 0;
    let mut rest = args.iter().skip(1);
    while let Some(a) = rest.next() {
        if SWITCHES.contains(&a.as_str()) && known.contains(&a.as_str()) {
            continue;
        }
        if a.starts_with('-') {
            if !known.contains(&a.as_str()) {
                return Some(format!("{command}: unknown option {a}"));
            }
            if rest.next().is_none() {
                return Some(format!("{command}: {a} needs a value"));
            }
            continue;
        }
        words += 1;
        // Words after the command: `staff add NAME`, `audit verify`.
        let allowed = match command {
            "staff" => 2,
            "audit" | "vote" => 1,
            _ => 0,
        };
        if words > allowed {
            return Some(format!("{command}: unexpected argument {a}"));
        }
    }
    None
}

/// Runs one command; the exit code. `extra` scenarios are registered besides the
/// built-in ones (a test server's `test_note`).
pub async fn run(args: &[String], extra: Vec<Arc<dyn Scenario>>) -> i32 {
    run_at(args, extra, crate::app::Clock::system()).await
}

/// [`run`] with another clock for `serve` (the end-to-end tests' server starts at a
/// chosen time, to test cut-offs); every other command uses the system clock.
pub async fn run_at(
    args: &[String],
    extra: Vec<Arc<dyn Scenario>>,
    clock: crate::app::Clock,
) -> i32 {
    if args.first().is_some_and(|a| a == "help") || args.iter().any(|a| a == "--help" || a == "-h")
    {
        print!("{HELP}");
        return 0;
    }
    if let Some(problem) = misplaced(args) {
        eprintln!("{problem}\n\n{HELP}");
        return 2;
    }
    if let Some(problem) = two_databases(args, std::env::var("LINLI_DB").ok()) {
        eprintln!("{problem}");
        return 2;
    }
    let word = |i: usize| args.get(i).map(String::as_str);
    match (word(0), word(1)) {
        (Some("init"), _) => init::init(args).await,
        (Some("serve"), _) => serve::serve(args, extra, clock).await,
        (Some("staff"), Some(sub)) => staff::run(sub, &args[2..], args).await,
        (Some("audit"), Some("verify")) => verify(args).await,
        (Some("audit"), Some("head")) => head(args).await,
        (Some("audit"), Some("start-key")) => start_key(args).await,
        (Some("backup"), _) => backup(args).await,
        (Some("seed-demo"), _) => serve::seed_demo(args).await,
        (Some("migrate-data"), _) => migrate_data::run(args).await,
        (Some("vote"), Some("tally")) => vote::run(args),
        (first, _) => {
            match first {
                Some(word) => eprintln!("unknown command `{word}`\n"),
                None => eprintln!("no command given\n"),
            }
            eprint!("{HELP}");
            2
        }
    }
}

async fn verify(args: &[String]) -> i32 {
    let db = db_location(args);
    let key = match key_path(args).and_then(|k| ServerKey::load(&k).map_err(|e| e.to_string())) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("cannot verify without the key: {e}");
            return 1;
        }
    };
    let published = match flag(args, "--head").map(|h| Head::parse(&h).ok_or(h)) {
        None => None,
        Some(Ok(h)) => Some(h),
        Some(Err(text)) => {
            eprintln!("--head {text}: not SEQ:HASH (64 hex digits)");
            return 2;
        }
    };
    let store = match Store::open_read_only(&db, key.clone()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot open {db}: {e}");
            return 1;
        }
    };
    let (entries, rows) = match (store.audit_entries().await, store.audited_rows().await) {
        (Ok(e), Ok(r)) => (e, r),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("cannot read the audit log: {e}");
            return 1;
        }
    };
    if entries.is_empty() && rows > 0 {
        println!("audit log EMPTIED: the database holds {rows} audited rows but no audit entries");
        return 1;
    }
    match audit::verify(&entries, &key, published.as_ref()) {
        Ok(head) => {
            let head = head.map_or_else(|| "none".to_owned(), |h| h.to_string());
            println!("audit log intact: {} entries, head {head}", entries.len());
            0
        }
        Err(broken) => {
            println!(
                "audit log TAMPERED at entry {}: {}",
                broken.seq, broken.reason
            );
            1
        }
    }
}

async fn start_key(args: &[String]) -> i32 {
    let (Location::File(db), Ok(key)) = (db_location(args), key_path(args)) else {
        eprintln!(
            "audit start-key is only for a first-release SQLite file (--db FILE); any other \
             database's key file is missing, not new: restore it (DEPLOY.md, section 2)"
        );
        return 2;
    };
    let published = match (flag(args, "--head"), args.iter().any(|a| a == "--no-head")) {
        (Some(text), false) => match Head::parse(&text) {
            Some(h) => Some(h),
            None => {
                eprintln!("--head {text}: not SEQ:HASH (64 hex digits)");
                return 2;
            }
        },
        (None, true) => {
            println!(
                "no published head: the log is checked as it stands; a rewrite made before \
                 today cannot be ruled out"
            );
            None
        }
        _ => {
            eprintln!(
                "audit start-key needs the head published by the first release (--head SEQ:HASH) \
                 or, when none was published, --no-head"
            );
            return 2;
        }
    };
    match Store::start_key(&db, &key, published.as_ref(), crate::app::system_now()).await {
        Ok(store) => {
            println!(
                "key file {} made; audit entries from {} on are keyed",
                key.display(),
                store.key().audit_keyed_from
            );
            0
        }
        Err(e) => {
            eprintln!("cannot start the key of {}: {e}", db.display());
            1
        }
    }
}

async fn head(args: &[String]) -> i32 {
    let key = match key_path(args).and_then(|k| ServerKey::load(&k).map_err(|e| e.to_string())) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let store = match Store::open_read_only(db_location(args), key).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot open the database: {e}");
            return 1;
        }
    };
    match store.audit_head().await {
        Ok(Some(h)) => {
            println!("{h}");
            0
        }
        Ok(None) => {
            eprintln!("the audit log is empty");
            1
        }
        Err(e) => {
            eprintln!("cannot read the audit log: {e}");
            1
        }
    }
}

async fn backup(args: &[String]) -> i32 {
    let Some(to) = flag(args, "--to") else {
        eprintln!("backup needs --to FILE");
        return 2;
    };
    let Some(store) = open_store(args).await else {
        return 1;
    };
    match store.backup(Path::new(&to)).await {
        Ok(()) => {
            println!(
                "backed up to {to} (keep the key file {} apart from it)",
                store.key().path.display()
            );
            0
        }
        Err(e) => {
            eprintln!("backup failed: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn data_and_a_database_in_the_environment_must_be_told_apart() {
        let pg = Some("postgres://linli:s3cret@db/linli".to_owned());
        let refused = two_databases(&args("serve --data /var/lib/linli"), pg.clone()).unwrap();
        assert!(refused.contains("give --db"), "{refused}");
        assert!(!refused.contains("s3cret"), "{refused}");
        let chosen = args("serve --data /var/lib/linli --db postgres://db/linli");
        assert_eq!(two_databases(&chosen, pg.clone()), None);
        assert_eq!(
            two_databases(&args("serve --data /var/lib/linli"), None),
            None
        );
        let same = Some("/var/lib/linli/linli.sqlite3".to_owned());
        assert_eq!(
            two_databases(&args("serve --data /var/lib/linli"), same),
            None
        );
        assert_eq!(two_databases(&args("staff list"), pg), None);
    }

    #[test]
    fn typos_and_missing_values_are_caught_before_anything_runs() {
        assert_eq!(misplaced(&args("serve --db x --port 1 --demo")), None);
        assert_eq!(misplaced(&args("staff add li --role admin --db x")), None);
        assert_eq!(misplaced(&args("audit verify --head 1:ab")), None);
        assert!(misplaced(&args("serve --prot 8080"))
            .unwrap()
            .contains("unknown option --prot"));
        assert!(misplaced(&args("serve --port"))
            .unwrap()
            .contains("needs a value"));
        assert!(misplaced(&args("backup now --to x"))
            .unwrap()
            .contains("unexpected argument now"));
    }
}
