//! The deployment as residents' apps are served it: the configuration published in the
//! console, and the files made from it at run time as `cargo xtask dist` makes them
//! for a static folder (`linli_site`): `config.json`, the manifest, the branded
//! `index.html` with its Content-Security-Policy, the logo and icons the console
//! stored, and a service worker whose version changes with any of them. Publishing a
//! version replaces them all at once, so an installed app is offered "立即更新" as it is
//! after a redeployment, and its own data is untouched.
//!
//! The build's other files (the WASM, the scripts) come from the folder served
//! (`--static`, or the build embedded in the binary, unpacked into the data folder).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use linli_core::config::ShellConfig;

use crate::store::{Store, StoreError};

/// A file made at run time: its media type and bytes.
#[derive(Clone, Debug)]
pub struct SiteFile {
    /// `application/json`, `text/html; charset=utf-8`, …
    pub mime: String,
    /// The content.
    pub bytes: Arc<[u8]>,
}

/// The configuration in force and the files made from it.
#[derive(Debug, Clone)]
pub struct Current {
    /// The published version (`None`: a config given to the process, not the
    /// database's; a test's).
    pub version: Option<i64>,
    /// The configuration.
    pub config: Arc<ShellConfig>,
    /// The files made from it, by path without the leading `/` (`index.html`).
    pub files: HashMap<String, SiteFile>,
    /// The residents' app's policy for the `Content-Security-Policy` header, from the
    /// `index.html` made, when one was.
    pub app_policy: Option<String>,
    /// A fingerprint of the build's `index.html` and `sw.js` the files were made from:
    /// a redeployment of the folder while the server runs makes them again.
    build_stamp: Option<u64>,
}

/// Why the published configuration could not be put in force.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored text no longer passes the config rules (a newer rule, a hand edit).
    #[error("config version {version} has problems: {problems}")]
    Config {
        /// The version.
        version: i64,
        /// Every problem, located.
        problems: linli_core::config::ConfigError,
    },
    /// The build's files could not be read or branded.
    #[error("the app's files: {0}")]
    Files(String),
}

/// The deployment served: where the build's files are and what is in force.
#[derive(Debug, Default)]
pub struct Site {
    build: Option<PathBuf>,
    current: RwLock<Option<Arc<Current>>>,
    /// Loads one at a time, so an older version never replaces a newer one.
    loading: tokio::sync::Mutex<()>,
}

/// What [`Site::load`] put in force.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    /// The version in force (`None`: nothing was ever published).
    pub version: Option<i64>,
    /// A newer publication that could not be put in force, and why.
    pub skipped: Option<(i64, String)>,
}

impl Site {
    /// A site whose build files are in `build` (none: the API and console only).
    pub fn new(build: Option<PathBuf>) -> Site {
        Site {
            build,
            ..Site::default()
        }
    }

    /// A site with `config` in force and no files of its own (tests, and a server
    /// given a config but no database version).
    pub fn fixed(config: ShellConfig) -> Site {
        let site = Site::default();
        site.set(Current {
            version: None,
            config: Arc::new(config),
            files: HashMap::new(),
            app_policy: None,
            build_stamp: None,
        });
        site
    }

    /// This site with its build's files in `build` (tests of pages served from it).
    pub fn with_build(self, build: PathBuf) -> Site {
        Site {
            build: Some(build),
            ..self
        }
    }

    /// The folder of the build's files, if any.
    pub fn build(&self) -> Option<&Path> {
        self.build.as_deref()
    }

    fn set(&self, current: Current) {
        if let Ok(mut slot) = self.current.write() {
            *slot = Some(Arc::new(current));
        }
    }

    /// What is in force, if anything.
    pub fn current(&self) -> Option<Arc<Current>> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    /// The configuration in force, if any.
    pub fn config(&self) -> Option<Arc<ShellConfig>> {
        self.current().map(|c| c.config.clone())
    }

    /// A file made from the configuration in force, by path (`index.html`).
    pub fn file(&self, path: &str) -> Option<SiteFile> {
        self.current()?.files.get(path).cloned()
    }

    /// Makes a saved version's files without putting them in force: a version that
    /// no longer passes the config rules, or a build that cannot be branded, is an
    /// error here, before anything is published.
    pub async fn make(&self, store: &Store, version: i64) -> Result<Current, SiteError> {
        let body = store
            .config_body(version)
            .await?
            .ok_or(StoreError::NotFound("config version"))?;
        let config = linli_core::config::parse(&body)
            .map_err(|problems| SiteError::Config { version, problems })?;
        let mut files = HashMap::new();
        let mut put = |path: &str, mime: &str, bytes: Vec<u8>| {
            files.insert(
                path.to_owned(),
                SiteFile {
                    mime: mime.to_owned(),
                    bytes: bytes.into(),
                },
            );
        };
        put("config.json", "application/json", body.into_bytes());
        put(
            "manifest.webmanifest",
            "application/manifest+json",
            linli_site::manifest(&config).into_bytes(),
        );
        // The logo the console stored and the icons drawn from it, at the paths the
        // manifest and the page name (a logo in the build's folder is served from there).
        if let Some(asset) = store.asset(&config.logo).await? {
            put(&config.logo, &asset.mime, asset.bytes);
        }
        for (path, sizes) in linli_site::ICONS {
            let size = sizes.split('x').next().unwrap_or_default();
            if let Some(icon) = icon_for(&config.logo, size) {
                if let Some(asset) = store.asset(&icon).await? {
                    put(path, &asset.mime, asset.bytes);
                }
            }
        }
        let (app_policy, build_stamp) = self.made_from_build(&config, &mut files)?;
        Ok(Current {
            version: Some(version),
            config: Arc::new(config),
            files,
            app_policy,
            build_stamp,
        })
    }

    /// Puts made files in force (after their publication was committed).
    pub fn install(&self, current: Current) {
        self.set(current);
    }

    /// Puts the database's published version in force, with its files made anew;
    /// answers its version (`None`: nothing published, and what was in force stays).
    /// When the newest publication cannot be put in force (a rule made stricter since,
    /// a build that changed) an earlier one that can is, and the error says why, so the
    /// server still serves residents and the console to fix it.
    pub async fn load(&self, store: &Store) -> Result<Loaded, SiteError> {
        let _one_at_a_time = self.loading.lock().await;
        let published = store.published_versions().await?;
        let mut first_error = None;
        for version in published {
            match self.make(store, version).await {
                Ok(current) => {
                    self.set(current);
                    return Ok(Loaded {
                        version: Some(version),
                        skipped: first_error,
                    });
                }
                Err(e) => {
                    first_error.get_or_insert((version, e.to_string()));
                }
            }
        }
        match first_error {
            Some((version, problem)) => Err(SiteError::Files(format!(
                "no published version can be served (version {version}: {problem})"
            ))),
            None => Ok(Loaded::default()),
        }
    }

    /// Follows a publication made by another server process on the same database:
    /// puts the newest published version in force if it is not the one here.
    pub async fn follow(&self, store: &Store) {
        let here = self.current().and_then(|c| c.version);
        let Ok(newest) = store.published_version().await else {
            return;
        };
        if newest.is_some() && newest != here {
            if let Err(e) = self.load(store).await {
                crate::log::event("config_load_failed", &[("error", &e.to_string())]);
            }
        }
    }

    /// Makes the files again if the build's folder changed under them (a new build
    /// copied in while the server runs), so its new worker is offered as before.
    pub fn refresh(&self) {
        let Some(current) = self.current() else {
            return;
        };
        if current.version.is_none() || self.build.is_none() {
            return;
        }
        if build_stamp(self.build.as_deref()) == current.build_stamp {
            return;
        }
        let mut files = current.files.clone();
        files.remove("index.html");
        files.remove("sw.js");
        match self.made_from_build(&current.config, &mut files) {
            Ok((app_policy, build_stamp)) => {
                let fresh = Current {
                    version: current.version,
                    config: current.config.clone(),
                    files,
                    app_policy,
                    build_stamp,
                };
                // Only over what it was made from: a version published meanwhile stays.
                if let Ok(mut slot) = self.current.write() {
                    if slot.as_ref().is_some_and(|c| Arc::ptr_eq(c, &current)) {
                        *slot = Some(Arc::new(fresh));
                    }
                }
            }
            Err(e) => crate::log::event("site_refresh_failed", &[("error", &e.to_string())]),
        }
    }

    /// Adds the branded `index.html` and the service worker to `files` when the build
    /// has a page: answers the app's policy and the build's stamp.
    fn made_from_build(
        &self,
        config: &ShellConfig,
        files: &mut HashMap<String, SiteFile>,
    ) -> Result<(Option<String>, Option<u64>), SiteError> {
        let Some(build) = &self.build else {
            return Ok((None, None));
        };
        let stamp = build_stamp(Some(build));
        let index = build.join("index.html");
        if !index.is_file() {
            return Ok((None, stamp));
        }
        let html = std::fs::read_to_string(&index)
            .map_err(|e| SiteError::Files(format!("{}: {e}", index.display())))?;
        let branded =
            linli_site::brand_index(&html, config).map_err(|e| SiteError::Files(e.to_string()))?;
        let policy = linli_site::csp::meta_policy(&branded)
            .map(|p| format!("{}; frame-ancestors 'none'", p.trim_end_matches(';')));
        let file = |mime: &str, text: String| SiteFile {
            mime: mime.to_owned(),
            bytes: text.into_bytes().into(),
        };
        files.insert(
            "index.html".into(),
            file("text/html; charset=utf-8", branded),
        );
        let worker = service_worker(build, files)?;
        files.insert(
            "sw.js".into(),
            file("text/javascript; charset=utf-8", worker),
        );
        Ok((policy, stamp))
    }
}

/// The icon of `size` (`192`, `512`) drawn from a logo the console stored
/// (`brand/logo-<hash>.png` → `brand/icon-192-<hash>.png`); `None` for another logo.
pub fn icon_for(logo: &str, size: &str) -> Option<String> {
    let hash = logo.strip_prefix("brand/logo-")?.strip_suffix(".png")?;
    Some(format!("brand/icon-{size}-{hash}.png"))
}

/// A fingerprint of the build's `index.html` and `sw.js` (`dist` writes a new worker
/// for any change to the folder), or `None` without a build.
fn build_stamp(build: Option<&Path>) -> Option<u64> {
    let build = build?;
    let mut bytes = std::fs::read(build.join("index.html")).unwrap_or_default();
    bytes.extend(std::fs::read(build.join("sw.js")).unwrap_or_default());
    Some(linli_site::fnv1a(&bytes))
}

/// The service worker for the build's files with the ones made here in their place.
fn service_worker(build: &Path, made: &HashMap<String, SiteFile>) -> Result<String, SiteError> {
    let io = |e: std::io::Error| SiteError::Files(format!("{}: {e}", build.display()));
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for path in linli_site::list_files(build).map_err(io)? {
        if linli_site::precached(&path) && !made.contains_key(&path) {
            let bytes = std::fs::read(build.join(&path)).map_err(io)?;
            files.push((path, bytes));
        }
    }
    let mut list: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .chain(made.iter().map(|(p, f)| (p.as_str(), &f.bytes[..])))
        .filter(|(p, _)| linli_site::precached(p))
        .collect();
    list.sort_by(|a, b| a.0.cmp(b.0));
    linli_site::service_worker(linli_site::SW_TEMPLATE, &list)
        .map_err(|e| SiteError::Files(e.to_string()))
}
