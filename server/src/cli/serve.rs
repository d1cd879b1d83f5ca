//! `linli-server serve` and `seed-demo`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use linli_core::config::ShellConfig;

use crate::app::{AppState, Net, Scenario, Site};
use crate::auth::Hasher;
use crate::demo;
use crate::limits::TrustedProxies;

use super::{deployment, flag, flags, open_store};

/// Accounts still on the demo password (a `seed-demo` database), by name.
async fn on_demo_password(store: &crate::store::Store) -> Result<Vec<String>, String> {
    let hasher = Hasher::default();
    let mut found = Vec::new();
    for (name, hash) in store.password_hashes().await.map_err(|e| e.to_string())? {
        if hasher
            .verify(demo::DEMO_PASSWORD, &hash)
            .await
            .map_err(|e| e.to_string())?
        {
            found.push(name);
        }
    }
    Ok(found)
}

pub(super) async fn serve(
    args: &[String],
    extra: Vec<Arc<dyn Scenario>>,
    clock: crate::app::Clock,
) -> i32 {
    let port: u16 = match flag(args, "--port").map(|p| p.parse()) {
        Some(Ok(p)) => p,
        Some(Err(_)) => {
            eprintln!("--port: not a port number");
            return 2;
        }
        None => 8080,
    };
    let bind: IpAddr = match flag(args, "--bind").map(|b| b.parse()) {
        Some(Ok(a)) => a,
        Some(Err(_)) => {
            eprintln!("--bind: not an IP address");
            return 2;
        }
        None => IpAddr::from([127, 0, 0, 1]),
    };
    let mut trusted = Vec::new();
    for cidr in flags(args, "--trusted-proxy") {
        match cidr
            .parse::<ipnet::IpNet>()
            .or_else(|_| cidr.parse::<IpAddr>().map(ipnet::IpNet::from))
        {
            Ok(net) => trusted.push(net),
            Err(_) => {
                eprintln!("--trusted-proxy {cidr}: not an address or CIDR (10.0.0.0/8)");
                return 2;
            }
        }
    }
    let public_origin = flag(args, "--public-url").map(|u| u.trim_end_matches('/').to_owned());
    if let Some(origin) = &public_origin {
        if let Err(problem) = check_public_url(origin) {
            eprintln!("--public-url {origin}: {problem}");
            return 2;
        }
    }
    let demo = args.iter().any(|a| a == "--demo");
    if let Some(data) = flag(args, "--data") {
        if flag(args, "--db").is_none()
            && !std::path::Path::new(&data).join(super::DATA_DB).is_file()
        {
            eprintln!(
                "{data} has no sub-district yet: make it with `linli-server init --data {data}`"
            );
            return 1;
        }
    }
    let Some(store) = open_store(args).await.map(Arc::new) else {
        return 1;
    };
    match on_demo_password(&store).await {
        Ok(names) if !names.is_empty() && !demo => {
            eprintln!(
                "refusing to serve: these accounts still have the published demo password: {}.\n\
                 Set real passwords with `linli-server staff passwd NAME`, or start with --demo \
                 for a demonstration only.",
                names.join(", ")
            );
            return 1;
        }
        Ok(_) => {}
        Err(e) => {
            eprintln!("cannot check the accounts: {e}");
            return 1;
        }
    }
    let config = match deployment(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let build = match (flag(args, "--static"), flag(args, "--data")) {
        (Some(dir), _) => Some(PathBuf::from(dir)),
        (None, Some(data)) => match crate::embedded::unpack(std::path::Path::new(&data)) {
            Ok(Some(dir)) => Some(dir),
            Ok(None) => {
                println!(
                    "this binary carries no residents' app (build one with `cargo xtask release`): \
                     serving the API and the console only"
                );
                None
            }
            Err(e) => {
                eprintln!("cannot unpack the residents' app into {data}: {e}");
                return 1;
            }
        },
        (None, None) => None,
    };
    let site = Arc::new(Site::new(build));
    if let Err(code) = take_over(&store, config.as_ref(), clock.now()).await {
        return code;
    }
    match site.load(&store).await {
        Ok(loaded) => {
            if let Some((version, problem)) = &loaded.skipped {
                eprintln!(
                    "WARNING: config version {version} is published but cannot be served ({problem}); \
                     serving an earlier one: fix it at /staff/settings"
                );
            }
            if let Some(version) = loaded.version {
                println!("serving config version {version} (change it at /staff/settings)");
            }
        }
        Err(e) => {
            eprintln!("cannot put the published config in force: {e}");
            return 1;
        }
    }
    let scenarios = crate::scenarios::registered(&site, extra);
    let state = AppState {
        net: Arc::new(Net {
            trusted: TrustedProxies(trusted),
            public_origin,
        }),
        site,
        demo,
        scenarios,
        clock,
        ..AppState::new(store.clone())
    };
    let app = crate::router(state);
    let addr = SocketAddr::new(bind, port);
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            return 1;
        }
    };
    if demo {
        println!("DEMO MODE: demo passwords are accepted and no second factor is asked");
    }
    let addr = listener.local_addr().unwrap_or(addr);
    println!("linli-server listening on http://{addr}/");
    let served = crate::http::serve::serve(listener, app).await;
    // Every connection closed: the last one checkpoints and removes the WAL.
    store.close().await;
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("server stopped: {e}");
            1
        }
    }
}

/// Takes over, once per database, what a deployment's `config.json` carried before the
/// console had it: the config itself (version 1, published) and its notices. From then
/// on the console's are served and the file is not read again; the exit code in `Err`.
async fn take_over(
    store: &crate::store::Store,
    config: Option<&(ShellConfig, String)>,
    now: i64,
) -> Result<(), i32> {
    let Some((c, text)) = config else {
        return Ok(());
    };
    match store
        .import_config(text, "导入 config.json · from config.json", now)
        .await
    {
        Ok(Some(_)) => println!(
            "took over config.json as config version 1: change settings at /staff/settings \
             from now on (config.json is no longer read)"
        ),
        Ok(None) => println!(
            "config.json is not read: this database has its own config versions (/staff/settings)"
        ),
        Err(e) => {
            eprintln!("cannot take over config.json: {e}");
            return Err(1);
        }
    }
    match store
        .import_config_notices(&c.notices, c.utc_offset_minutes(), now)
        .await
    {
        Ok(Some(n)) => println!(
            "took over {n} notices from config.json: publish and withdraw notices at \
             /staff/notices from now on (config.json's are no longer read)"
        ),
        Ok(None) => {}
        Err(e) => {
            eprintln!("cannot take over config.json's notices: {e}");
            return Err(1);
        }
    }
    Ok(())
}

pub(super) async fn seed_demo(args: &[String]) -> i32 {
    let Some(store) = open_store(args).await else {
        return 1;
    };
    let config = match deployment(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let meals = config.as_ref().and_then(|(c, _)| c.meals.as_ref());
    let feedback = config.as_ref().and_then(|(c, _)| c.feedback.as_ref());
    match demo::seed(&store, crate::app::system_now(), meals, feedback).await {
        Ok(seed) => {
            println!(
                "Staff sign-in at /staff (password for every account: {}; serve with --demo):",
                demo::DEMO_PASSWORD
            );
            for (name, role) in &seed.accounts {
                println!("  {name:<6} {}", role.id());
            }
            println!("Household codes to try:");
            for (unit, code) in &seed.codes {
                println!("  {unit:<8} {code}");
            }
            for (name, lines) in [
                ("Meals", &seed.meals),
                ("Voting", &seed.voting),
                ("Feedback", &seed.feedback),
                ("Public evaluation", &seed.evaluation),
                ("Forms", &seed.forms),
            ] {
                if !lines.is_empty() {
                    println!("{name}:");
                    for line in lines {
                        println!("  - {line}");
                    }
                }
            }
            0
        }
        Err(e) => {
            eprintln!("cannot seed: {e}");
            1
        }
    }
}

/// A public URL is an origin: `https://host` or `https://host:port`, no path (the
/// console's forms are checked against it, and a path would never match).
fn check_public_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with https:// (or http:// for a test)")?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
        return Err("give the address only, like https://linli.example.gov.cn or https://linli.example.gov.cn:8443 (no path such as /staff)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_origins() {
        assert!(check_public_url("https://linli.example.gov.cn").is_ok());
        assert!(check_public_url("https://linli.example.gov.cn:8443").is_ok());
        assert!(check_public_url("https://linli.example.gov.cn/staff").is_err());
        assert!(check_public_url("linli.example.gov.cn").is_err());
    }
}
