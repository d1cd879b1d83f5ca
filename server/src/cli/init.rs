//! `linli-server init --data DIR`: a new sub-district from the one binary. Makes the
//! folder, the database and its key, the first admin (its password asked twice, or
//! read as one line from standard input), and starting settings (version 1: the name
//! given, neutral colours, no service offered yet) that the admin changes in the
//! console. Nothing is made when any step before the database fails, and an existing
//! sub-district is never touched.

use std::path::Path;

use linli_core::Role;
use serde_json::json;

use crate::pages::check_username;
use crate::store::{NewAccount, Store, StoreError};

use super::{flag, key_path, DATA_DB};

/// The settings a new sub-district starts with: valid by the core rules, no service
/// on (the admin turns them on), meals settings ready for when meals is.
pub fn starter_config(name: &str) -> serde_json::Value {
    json!({
        "id": "linli",
        "name": { "zh-CN": name },
        "logo": "icons/icon-512.png",
        "theme": { "primary": "#2f4858", "on_primary": "#ffffff" },
        "hotline": "12345",
        "privacy": {
            "zh-CN": "本街道只收集办理服务所必需的信息。健康和饮食信息会单独征求您的同意。您的电话和住址在他人面前会被隐去部分内容。如需查看、更正或删除您的信息，请拨打服务热线。",
            "en": "The sub-district collects only what a service needs. Health and dietary details are asked for separately. Your phone number and address are partly hidden from others. To see, correct or delete your information, call the service hotline."
        },
        "scenarios": [],
        "default_language": "zh-CN",
        "server_url": null,
        "meals": {
            "days_ahead": 3,
            "utc_offset_minutes": 480,
            "slots": [
                { "id": "lunch", "name": { "zh-CN": "午餐", "en": "Lunch" }, "cutoff": "09:30" },
                { "id": "dinner", "name": { "zh-CN": "晚餐", "en": "Dinner" }, "cutoff": "15:00" }
            ],
            "tiers": [
                { "id": "60to79", "name": { "zh-CN": "60–79岁", "en": "Aged 60–79" }, "subsidy": { "fixed": 200 } },
                { "id": "80plus", "name": { "zh-CN": "80岁以上", "en": "Aged 80 and over" }, "subsidy": { "percent": 50 } }
            ]
        }
    })
}

async fn make(data: &Path, args: &[String], admin: &str, text: &str) -> Result<(), String> {
    let hash = super::staff::new_password(Role::Admin, admin).await?;
    let made = !data.exists();
    std::fs::create_dir_all(data).map_err(|e| format!("cannot make {}: {e}", data.display()))?;
    // A folder made here is the sub-district's alone; one that was there is left as it
    // was (the database and key files are made readable by this user only anyway).
    #[cfg(unix)]
    if made {
        use std::os::unix::fs::PermissionsExt;
        // The key and the database are the sub-district's: no one else on the machine.
        std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("cannot restrict {}: {e}", data.display()))?;
    }
    let key = key_path(args)?;
    let store = Store::open(&data.join(DATA_DB), &key)
        .await
        .map_err(|e| format!("cannot make the database: {e}"))?;
    let now = crate::app::system_now();
    let new = NewAccount {
        username: admin,
        password_hash: &hash,
        role: Role::Admin,
    };
    let actor = crate::store::Actor {
        name: "cli".into(),
        role: "system".into(),
    };
    match store.add_account(&new, &actor, now).await {
        Ok(_) => {}
        Err(StoreError::Exists(_)) => return Err(format!("{admin} exists already")),
        Err(e) => return Err(e.to_string()),
    }
    store
        .import_config(text, "初始设置 · starting settings", now)
        .await
        .map_err(|e| format!("cannot store the settings: {e}"))?;
    store.close().await;
    Ok(())
}

pub(super) async fn init(args: &[String]) -> i32 {
    let Some(data) = flag(args, "--data") else {
        eprintln!("init needs --data DIR: the folder the sub-district's database and key go in");
        return 2;
    };
    let data = Path::new(&data);
    if data.join(DATA_DB).exists() {
        eprintln!(
            "{} has a sub-district already: nothing changed (serve it with `linli-server serve --data {}`)",
            data.display(),
            data.display()
        );
        return 1;
    }
    let admin = flag(args, "--admin").unwrap_or_else(|| "admin".into());
    if !check_username(&admin) {
        eprintln!("--admin {admin}: names are 1–64 letters, digits, '.', '_' or '-'");
        return 2;
    }
    let name = flag(args, "--name").unwrap_or_else(|| "邻里".into());
    let text = serde_json::to_string_pretty(&starter_config(&name)).unwrap_or_default();
    if let Err(e) = linli_core::config::parse(&text) {
        eprintln!("--name {name}: {e}");
        return 2;
    }
    if let Err(e) = make(data, args, &admin, &text).await {
        eprintln!("{e}");
        return 1;
    }
    let app = if crate::embedded::PRESENT {
        "the residents' app this binary carries"
    } else {
        "no residents' app (this binary carries none: give --static DIR to serve)"
    };
    println!(
        "made a sub-district in {dir}: the database {db}, its key {key} (back it up apart \
         from the database), admin account {admin}, and {app}.\n\
         Next:\n  linli-server serve --data {dir} --port 8080\n  \
         then open http://127.0.0.1:8080/staff, sign in as {admin} (an authenticator app is \
         set up at first sign-in), and set the name, colours, logo and services under 品牌与设置.",
        dir = data.display(),
        db = data.join(DATA_DB).display(),
        key = key_path(args).unwrap_or_default().display(),
    );
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_settings_pass_the_config_rules() {
        let text = starter_config("青山街道").to_string();
        let config = linli_core::config::parse(&text).unwrap();
        assert!(config.scenarios.is_empty());
        assert!(config.meals.is_some());
    }
}
