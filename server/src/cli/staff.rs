//! `linli-server staff …`: accounts from the command line — the first admin of a new
//! sub-district, and the way back in when no admin can sign in. Passwords are asked
//! twice on a terminal (never on the command line, where `ps` would show them), or
//! read as one line from standard input for scripts.

use std::io::{BufRead, IsTerminal};

use linli_core::{Lang, Role};

use crate::auth::check_password;
use crate::auth::Hasher;
use crate::pages::check_username;
use crate::store::{Actor, NewAccount, Store, StoreError};

use super::{flag, open_store};

fn read_password(prompt: &str) -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt).map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

fn actor() -> Actor {
    Actor {
        name: "cli".into(),
        role: "system".into(),
    }
}

async fn account_id(store: &Store, name: &str) -> Result<(i64, Role), String> {
    match store.account_for_login(name).await {
        Ok(Some((a, _))) => Ok((a.id, a.role)),
        Ok(None) => Err(format!("no account named {name}")),
        Err(e) => Err(e.to_string()),
    }
}

pub(super) async fn new_password(role: Role, name: &str) -> Result<String, String> {
    let password = read_password(&format!("New password for {name}: "))?;
    check_password(role, name, &password).map_err(|p| p.text(Lang::En))?;
    Hasher::default()
        .hash(&password)
        .await
        .map_err(|e| e.to_string())
}

async fn dispatch(sub: &str, rest: &[String], store: &Store) -> Result<(), String> {
    let name = rest.first().filter(|n| !n.starts_with("--")).cloned();
    let now = crate::app::system_now();
    match (sub, name) {
        ("list", _) => {
            let accounts = store.accounts().await.map_err(|e| e.to_string())?;
            println!("{:<20} {:<13} {:<10} second factor", "name", "role", "state");
            for a in accounts {
                println!(
                    "{:<20} {:<13} {:<10} {}",
                    a.username,
                    a.role.id(),
                    if a.disabled { "disabled" } else { "active" },
                    if a.totp_enabled { "enrolled" } else { "-" }
                );
            }
            Ok(())
        }
        ("add", Some(name)) => {
            let role = flag(rest, "--role")
                .and_then(|r| Role::from_id(&r))
                .ok_or("add needs --role admin|staff|kitchen|organisation|handler|auditor")?;
            if !check_username(&name) {
                return Err("names are 1–64 letters, digits, '.', '_' or '-'".into());
            }
            let hash = new_password(role, &name).await?;
            let new = NewAccount {
                username: &name,
                password_hash: &hash,
                role,
            };
            match store.add_account(&new, &actor(), now).await {
                Ok(_) => {
                    let factor = if role.needs_second_factor() {
                        "; it enrols its second factor (an authenticator app) at first sign-in"
                    } else {
                        ""
                    };
                    println!("created {name} ({}){factor}", role.id());
                    Ok(())
                }
                Err(StoreError::Exists(_)) => Err(format!("{name} exists already")),
                Err(e) => Err(e.to_string()),
            }
        }
        ("passwd", Some(name)) => {
            let (id, role) = account_id(store, &name).await?;
            let hash = new_password(role, &name).await?;
            store
                .set_password(id, &hash, None, &actor(), now)
                .await
                .map_err(|e| e.to_string())?;
            println!("password of {name} set; its sessions ended");
            Ok(())
        }
        ("disable" | "enable", Some(name)) => {
            let (id, _) = account_id(store, &name).await?;
            store
                .set_disabled(id, sub == "disable", &actor(), now)
                .await
                .map_err(|e| e.to_string())?;
            println!("{name} {sub}d");
            Ok(())
        }
        ("reset-totp", Some(name)) => {
            let (id, _) = account_id(store, &name).await?;
            store
                .reset_totp(id, &actor(), now)
                .await
                .map_err(|e| e.to_string())?;
            println!("second factor of {name} removed; it enrols again at its next sign-in");
            Ok(())
        }
        _ => Err("usage: staff add NAME --role ROLE | passwd NAME | disable NAME | enable NAME | reset-totp NAME | list".into()),
    }
}

pub(super) async fn run(sub: &str, rest: &[String], all: &[String]) -> i32 {
    let Some(store) = open_store(all).await else {
        return 1;
    };
    match dispatch(sub, rest, &store).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}
