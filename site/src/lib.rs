//! The residents' app as a deployment serves it, from one build and one config: the
//! page title, theme colour and language written into `index.html` for the first paint,
//! its Content-Security-Policy ([`csp`]), the web app manifest whose name and colours
//! come from the config, and a service worker whose precache list and version are the
//! files served.
//!
//! Two callers, one set of rules: `cargo xtask dist` writes them into a static folder,
//! and linli-server makes them at run time from the config version its console
//! published, so a change of colour or name reaches installed apps as an update offer
//! exactly as a redeployment does.

pub mod csp;

use linli_core::config::ShellConfig;
use linli_core::Lang;
use serde_json::json;

/// What went wrong assembling a deployment's files (a build whose `index.html` lacks a
/// tag the brand is written into, a template without its placeholders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteError(String);

impl SiteError {
    /// An error with this explanation.
    pub fn new(message: impl Into<String>) -> SiteError {
        SiteError(message.into())
    }
}

impl std::fmt::Display for SiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SiteError {}

/// Icons every deployment provides, as the manifest lists them: (path, sizes).
pub const ICONS: &[(&str, &str)] = &[
    ("icons/icon-192.png", "192x192"),
    ("icons/icon-512.png", "512x512"),
];

/// Page background while the installed app starts (the `--ll-color-bg` token).
pub const BACKGROUND: &str = "#f4f5f7";

/// The service worker's template (`www/sw.js`), with `__LINLI_VERSION__` and
/// `__LINLI_PRECACHE__` to fill in.
pub const SW_TEMPLATE: &str = include_str!("../../www/sw.js");

/// `text` with `<`, `>`, `&` and `"` escaped for HTML text and quoted attributes.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The tag (start, end byte offsets) of the first `<{name}` whose text contains
/// `marker` (lowercase), in `html`.
fn tag_with(html: &str, name: &str, marker: &str) -> Option<(usize, usize)> {
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(start) = lower[at..].find(&format!("<{name}")).map(|i| at + i) {
        let end = start + lower[start..].find('>')? + 1;
        if lower[start..end].contains(marker) {
            return Some((start, end));
        }
        at = end;
    }
    None
}

fn replace_span(html: &str, (start, end): (usize, usize), with: &str) -> String {
    format!("{}{with}{}", &html[..start], &html[end..])
}

/// `index.html` branded for `config`: its `<title>`, `<meta name=theme-color>` and
/// `<html lang>` say the sub-district's name, brand colour and default language, and
/// its Content-Security-Policy hashes its inline scripts as written (connecting also
/// to `server_url`'s origin when the API is elsewhere). Works on a build's page and on
/// one branded before (a folder `dist` wrote).
///
/// Errors: the page lacks one of those tags or `<meta charset>`.
pub fn brand_index(html: &str, config: &ShellConfig) -> Result<String, SiteError> {
    let lang = config.default_language;
    let missing = |what: &str| SiteError::new(format!("index.html has no {what}"));
    let title_start = html.find("<title>").ok_or_else(|| missing("<title>"))?;
    let title_end = html[title_start..]
        .find("</title>")
        .map(|i| title_start + i + "</title>".len())
        .ok_or_else(|| missing("</title>"))?;
    let html = replace_span(
        html,
        (title_start, title_end),
        &format!("<title>{}</title>", escape(config.name.get(lang))),
    );
    let theme = tag_with(&html, "meta", "theme-color").ok_or_else(|| missing("theme-color"))?;
    let html = replace_span(
        &html,
        theme,
        &format!(
            "<meta content=\"{}\" name=theme-color>",
            config.theme.primary
        ),
    );
    let root = tag_with(&html, "html", "lang=").ok_or_else(|| missing("<html lang>"))?;
    let html = replace_span(&html, root, &format!("<html lang={}>", lang.code()));
    let origin = config.server_url.as_deref().and_then(csp::origin_of);
    csp::with_meta(&html, origin.as_deref())
}

/// The web app manifest (JSON text): name in the default language, the other as the
/// description, the brand colour as `theme_color`, the [`ICONS`].
pub fn manifest(config: &ShellConfig) -> String {
    let lang = config.default_language;
    let name = config.name.get(lang);
    let icons: Vec<_> = ICONS
        .iter()
        .map(|(src, sizes)| json!({"src": src, "sizes": sizes, "type": "image/png", "purpose": "any"}))
        .collect();
    let other = if lang == Lang::ZhCn {
        Lang::En
    } else {
        Lang::ZhCn
    };
    let value = json!({
        "id": format!("./?deployment={}", config.id),
        "name": name,
        "short_name": name,
        "description": config.name.get(other),
        "lang": lang.code(),
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": config.theme.primary.to_string(),
        "icons": icons,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Whether a served file belongs in the service worker's precache: not the worker
/// itself, not the API (the app keeps its own offline copies), not the form designer
/// (staff only), not a precompressed
/// sibling (the list names files, not their encodings).
pub fn precached(path: &str) -> bool {
    path != "sw.js"
        && !path.starts_with("api/")
        && !path.starts_with(&format!("{DESIGNER_DIR}/"))
        && !path.ends_with(".br")
        && !path.ends_with(".gz")
}

/// The build's folder of the organisations' form designer (served at `/builder/`;
/// its page at `/staff/forms/{id}/build`): staff use it, residents' phones never
/// download or precache it.
pub const DESIGNER_DIR: &str = "builder";

/// The service worker for `files` (path, content), from [`SW_TEMPLATE`] or another
/// `template`: its precache list is their paths, its version a fingerprint of every
/// path and byte, so any change to a served file (a new build, a published config, a
/// new logo) makes browsers install it again and the app offer "立即更新".
///
/// Errors: the template lacks a placeholder.
pub fn service_worker(template: &str, files: &[(&str, &[u8])]) -> Result<String, SiteError> {
    let mut hash_input = Vec::new();
    for (path, bytes) in files {
        hash_input.extend_from_slice(path.as_bytes());
        hash_input.push(0);
        hash_input.extend_from_slice(bytes);
    }
    let version = format!("{:016x}", fnv1a(&hash_input));
    let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    let list = serde_json::to_string(&paths).map_err(|e| SiteError::new(e.to_string()))?;
    let placeholder = |name: &str| {
        SiteError::new(format!(
            "the service worker template has no {name}; update www/sw.js"
        ))
    };
    if !template.contains("\"__LINLI_VERSION__\"") {
        return Err(placeholder("\"__LINLI_VERSION__\""));
    }
    if !template.contains("[\"__LINLI_PRECACHE__\"]") {
        return Err(placeholder("[\"__LINLI_PRECACHE__\"]"));
    }
    Ok(template
        .replacen("\"__LINLI_VERSION__\"", &format!("\"{version}\""), 1)
        .replacen("[\"__LINLI_PRECACHE__\"]", &list, 1))
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
///
/// Errors: a directory or entry cannot be read.
pub fn list_files(dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    fn walk(
        base: &std::path::Path,
        dir: &std::path::Path,
        out: &mut Vec<String>,
    ) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(base, &path, out)?;
            } else if let Ok(rel) = path.strip_prefix(base) {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// FNV-1a, 64 bit: a stable content fingerprint (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(primary: &str, name: &str) -> ShellConfig {
        let text = format!(
            r#"{{"id":"t","name":{{"zh-CN":"{name}","en":"Test"}},"logo":"logo.svg",
            "theme":{{"primary":"{primary}"}},"hotline":"12345","privacy":"隐私",
            "scenarios":[]}}"#
        );
        linli_core::config::parse(&text).unwrap()
    }

    #[test]
    fn fnv1a_matches_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(escape("<b>&\"</b>"), "&lt;b&gt;&amp;&quot;&lt;/b&gt;");
    }

    #[test]
    fn a_branded_page_is_branded_again_by_a_new_config() {
        let build = include_str!("../../www/index.html");
        let once = brand_index(build, &config("#00695c", "荷花街道")).unwrap();
        assert!(once.contains("<title>荷花街道</title>"));
        assert!(once.contains("<meta content=\"#00695c\" name=theme-color>"));
        let twice = brand_index(&once, &config("#1d4ed8", "<b>新</b>")).unwrap();
        assert!(
            twice.contains("<title>&lt;b&gt;新&lt;/b&gt;</title>"),
            "{twice}"
        );
        assert!(twice.contains("<meta content=\"#1d4ed8\" name=theme-color>"));
        assert!(!twice.contains("#00695c"));
        assert_eq!(twice.matches("Content-Security-Policy").count(), 1);
        assert_eq!(twice.matches("<title>").count(), 1);
        // The policy allows exactly the inline scripts the page has.
        let boot = csp::inline_scripts(&twice)[0];
        assert!(csp::meta_policy(&twice)
            .unwrap()
            .contains(&csp::hash_source(boot)));
    }

    #[test]
    fn manifest_takes_name_and_colour_from_config() {
        let m: serde_json::Value =
            serde_json::from_str(&manifest(&config("#00695c", "荷花街道"))).unwrap();
        assert_eq!(m["name"], "荷花街道");
        assert_eq!(m["description"], "Test");
        assert_eq!(m["theme_color"], "#00695c");
        assert_eq!(m["icons"][1]["sizes"], "512x512");
    }

    #[test]
    fn any_change_to_a_served_file_changes_the_workers_version() {
        let files: &[(&str, &[u8])] = &[("index.html", b"a"), ("config.json", b"{}")];
        let sw = service_worker(SW_TEMPLATE, files).unwrap();
        assert!(!sw.contains("__LINLI_"));
        assert!(sw.contains("[\"index.html\",\"config.json\"]"));
        let changed: &[(&str, &[u8])] = &[("index.html", b"a"), ("config.json", b"{ }")];
        assert_ne!(sw, service_worker(SW_TEMPLATE, changed).unwrap());
        assert!(service_worker("const VERSION = 1;", files).is_err());
    }

    #[test]
    fn precache_leaves_out_the_worker_the_api_the_designer_and_encodings() {
        for path in [
            "sw.js",
            "builder/index.html",
            "builder/linli-builder-0123.wasm",
            "api/v1/notices",
            "app-0123.wasm.br",
            "index.html.gz",
        ] {
            assert!(!precached(path), "{path}");
        }
        assert!(precached("app-0123.wasm") && precached("icons/icon-192.png"));
    }
}
