//! `cargo xtask dist`: one shell build + one deployment folder = a static site.
//!
//! The deployment folder holds `config.json`, the logo it names and, optionally,
//! `icons/icon-192.png` and `icons/icon-512.png` (else the build's neutral linli icons
//! stay). The output gets the build, those files, a web app
//! manifest whose name and colours come from the config, the page title and theme
//! colour written into `index.html` for the first paint, its Content-Security-Policy
//! with the hashes of its inline scripts (`csp.rs`), and a service worker whose
//! precache list and version are the files just written.

use std::path::Path;

use linli_core::config::{self, ShellConfig};
use linli_site::ICONS;

use crate::util::{copy_dir, list_files, Result};

/// Reads and checks a deployment's config, printing every located problem.
pub fn read_config(deployment: &Path) -> Result<ShellConfig> {
    let path = deployment.join("config.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    config::parse(&text).map_err(|e| {
        let lines: Vec<String> = e
            .errors
            .iter()
            .map(|fe| format!("  {}: {fe}", path.display()))
            .collect();
        format!("{} has errors:\n{}", path.display(), lines.join("\n")).into()
    })
}

/// Assembles `out` from the build in `build` and the deployment folder.
pub fn dist(deployment: &Path, build: &Path, out: &Path) -> Result<ShellConfig> {
    let config = read_config(deployment)?;
    if !build.join("index.html").exists() {
        return Err(format!("no build in {} (run `cargo xtask build`)", build.display()).into());
    }
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    copy_dir(build, out)?;
    std::fs::copy(deployment.join("config.json"), out.join("config.json"))?;
    copy_asset(deployment, out, &config.logo, true)?;
    // A deployment's own icons replace the build's neutral linli ones.
    for (icon, _) in ICONS {
        copy_asset(deployment, out, icon, false)?;
    }
    let index = out.join("index.html");
    let html = std::fs::read_to_string(&index)?;
    std::fs::write(&index, linli_site::brand_index(&html, &config)?)?;
    std::fs::write(
        out.join("manifest.webmanifest"),
        linli_site::manifest(&config),
    )?;
    write_notices(out, &config)?;
    write_service_worker(out)?;
    // After the service worker: its precache lists the files, not their encodings.
    crate::compress::precompress(out)?;
    Ok(config)
}

/// Copies one file of the deployment into the output; a missing required file is an
/// error naming it.
fn copy_asset(deployment: &Path, out: &Path, asset: &str, required: bool) -> Result {
    let from = deployment.join(asset);
    if !from.is_file() {
        return if required {
            Err(format!("{}: missing (named by config.json)", from.display()).into())
        } else {
            Ok(())
        };
    }
    let to = out.join(asset);
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(&from, &to)?;
    Ok(())
}

/// Where the app reads its notices, under the deployment folder.
pub const NOTICES_FILE: &str = "api/v1/notices";

/// A static deployment's notices: `config.json`'s, newest first, in the file the app
/// reads at `api/v1/notices`, as linli-server answers it. Where linli-server serves
/// the folder its own answer (the console's notices) comes instead.
fn write_notices(out: &Path, config: &ShellConfig) -> Result {
    use linli_core::json::Value;
    let list = config
        .notices_newest_first()
        .into_iter()
        .map(linli_core::notices::to_value)
        .collect();
    let value = Value::object(vec![
        ("notices", Value::Array(list)),
        ("now", Value::Number(0.0)),
    ]);
    let path = out.join(NOTICES_FILE);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, linli_core::json::to_string(&value))?;
    Ok(())
}

fn write_service_worker(out: &Path) -> Result {
    let mut files = Vec::new();
    for path in list_files(out)?
        .into_iter()
        .filter(|f| linli_site::precached(f))
    {
        let bytes = std::fs::read(out.join(&path))?;
        files.push((path, bytes));
    }
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let sw = linli_site::service_worker(linli_site::SW_TEMPLATE, &files)?;
    std::fs::write(out.join("sw.js"), sw)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::root;

    #[test]
    fn dist_assembles_a_branded_precached_folder() {
        let tmp = std::env::temp_dir().join(format!("linli-dist-test-{}", std::process::id()));
        let build = tmp.join("build");
        std::fs::create_dir_all(build.join("icons")).unwrap();
        std::fs::copy(root().join("www/index.html"), build.join("index.html")).unwrap();
        std::fs::write(build.join("app-0123456789abcdef.js"), "console.log(1)").unwrap();
        std::fs::write(build.join("icons/icon-192.png"), "neutral").unwrap();
        let out = tmp.join("out");
        let config = dist(&root().join("examples/hehua"), &build, &out).unwrap();
        assert_eq!(config.id, "hehua");

        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(index.contains("<title>荷花街道</title>"));
        // The policy allows exactly the inline scripts it was written with.
        let boot = linli_site::csp::inline_scripts(&index)[0];
        assert!(index.contains(&linli_site::csp::hash_source(boot)));
        assert!(index.contains("http-equiv=\"Content-Security-Policy\""));
        assert!(index.contains("content=\"#00695c\" name=theme-color"));
        // The deployment's icon replaced the build's neutral one.
        assert_ne!(
            std::fs::read(out.join("icons/icon-192.png")).unwrap(),
            b"neutral"
        );
        let sw = std::fs::read_to_string(out.join("sw.js")).unwrap();
        for file in [
            "app-0123456789abcdef.js",
            "config.json",
            "index.html",
            "logo.svg",
            "manifest.webmanifest",
            "icons/icon-512.png",
        ] {
            assert!(sw.contains(&format!("\"{file}\"")), "{file} not precached");
        }
        assert!(!sw.contains("__LINLI_"));
        assert!(!sw.contains("\"sw.js\""));
        assert!(
            !sw.contains(NOTICES_FILE),
            "the worker never answers for api/"
        );
        // Without a server the app reads config.json's notices from the folder.
        let text = std::fs::read_to_string(out.join(NOTICES_FILE)).unwrap();
        let notices =
            linli_core::config::notices_from_value(&linli_core::json::from_str(&text).unwrap())
                .unwrap();
        let ids: Vec<&str> = notices.iter().map(|n| n.id.as_str()).collect();
        let newest: Vec<&str> = config
            .notices_newest_first()
            .iter()
            .map(|n| n.id.as_str())
            .collect();
        assert_eq!(ids, newest);

        // Any change to a deployed file changes the worker's version.
        let version = |sw: &str| {
            sw.lines()
                .find(|l| l.starts_with("const VERSION"))
                .unwrap()
                .to_owned()
        };
        let before = version(&sw);
        std::fs::write(build.join("app-0123456789abcdef.js"), "console.log(2)").unwrap();
        dist(&root().join("examples/hehua"), &build, &out).unwrap();
        let after = std::fs::read_to_string(out.join("sw.js")).unwrap();
        assert_ne!(before, version(&after));
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn dist_refuses_a_broken_config_with_located_errors() {
        let tmp = std::env::temp_dir().join(format!("linli-dist-bad-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        std::fs::write(
            tmp.join("config.json"),
            r##"{"theme": {"primary": "#12"}}"##,
        )
        .unwrap();
        let err = dist(&tmp, &tmp, &tmp.join("out")).unwrap_err().to_string();
        assert!(
            err.contains(r##"theme.primary: "#12" is not a colour"##),
            "{err}"
        );
        assert!(err.contains("id: is missing"), "{err}");
        assert!(!tmp.join("out").exists());
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
