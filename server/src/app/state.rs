//! What every handler shares.

use std::sync::Arc;

use linli_core::config::ShellConfig;
use linli_core::{Role, StaffText};

use super::{Registry, Site};
use crate::auth::Hasher;
use crate::limits::{Limiter, TrustedProxies};
use crate::store::Store;

/// Now, in ms since the epoch: the system clock, or one a test sets.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(system_now))
    }

    /// A clock that always says `ms`.
    pub fn fixed(ms: i64) -> Clock {
        Clock(Arc::new(move || ms))
    }

    /// A clock read from `f` (a test moves it).
    pub fn from_fn(f: impl Fn() -> i64 + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }

    /// Now.
    pub fn now(&self) -> i64 {
        (self.0)()
    }
}

/// Milliseconds since the Unix epoch from the system clock.
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// One entry of the staff console's navigation: a page and the roles that may use it.
/// The generic pages and every scenario contribute theirs; the layout shows a member
/// only the entries of their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavEntry {
    /// The page (`/staff/meals`).
    pub path: &'static str,
    /// Its name.
    pub label: StaffText,
    /// Who may open it.
    pub roles: &'static [Role],
}

/// How the server is reached: which proxies to believe, its public origin, whether it
/// is served over HTTPS.
#[derive(Clone, Debug, Default)]
pub struct Net {
    /// Proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` count.
    pub trusted: TrustedProxies,
    /// `https://linli.example.gov.cn` when given (`--public-url`): the only origin
    /// state-changing requests may come from, and HTTPS cookies.
    pub public_origin: Option<String>,
}

/// Everything a handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<Store>,
    /// Now.
    pub clock: Clock,
    /// Guessing limits.
    pub limiter: Arc<Limiter>,
    /// Password hashing off the async workers.
    pub hasher: Hasher,
    /// Proxies and origin.
    pub net: Arc<Net>,
    /// The deployment served: the configuration in force (the version published in
    /// the console) and the files made from it, and the build's folder.
    pub site: Arc<Site>,
    /// The console's navigation, from the generic pages and every scenario.
    pub nav: Arc<Vec<NavEntry>>,
    /// Demo mode (`serve --demo`): demo passwords allowed, no second factor asked.
    pub demo: bool,
    /// The scenarios this server runs.
    pub scenarios: Registry,
}

impl AppState {
    /// State with the system clock and no deployment.
    pub fn new(store: Arc<Store>) -> AppState {
        AppState {
            limiter: Arc::new(Limiter::new(store.key())),
            store,
            clock: Clock::system(),
            hasher: Hasher::default(),
            net: Arc::new(Net::default()),
            site: Arc::new(Site::default()),
            nav: Arc::new(Vec::new()),
            demo: false,
            scenarios: Registry::default(),
        }
    }

    /// Now, ms since the epoch.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The deployment's configuration in force, if there is one.
    pub fn deployment(&self) -> Option<Arc<ShellConfig>> {
        self.site.config()
    }

    /// The deployment's UTC offset in minutes ([`ShellConfig::utc_offset_minutes`];
    /// China's +480 when the server has no deployment).
    pub fn utc_offset_minutes(&self) -> i64 {
        self.deployment()
            .map_or(linli_core::date::CHINA_OFFSET_MINUTES, |d| {
                d.utc_offset_minutes()
            })
    }

    /// A time (ms since the epoch) as staff read it: `YYYY-MM-DD HH:MM` in the
    /// deployment's zone.
    pub fn format_time(&self, ms: i64) -> String {
        linli_core::date::format_timestamp(ms, self.utc_offset_minutes())
    }

    /// The name the second factor shows in authenticator apps: the sub-district's.
    pub fn issuer(&self) -> String {
        self.deployment().map_or_else(
            || "linli".to_owned(),
            |d| format!("linli {}", d.name.get(d.default_language)),
        )
    }

    /// Whether a role must give a second factor here (never in demo mode).
    pub fn needs_second_factor(&self, role: Role) -> bool {
        role.needs_second_factor() && !self.demo
    }

    /// The navigation entries `role` may use, in order.
    pub fn nav_for(&self, role: Role) -> Vec<NavEntry> {
        self.nav
            .iter()
            .filter(|e| e.roles.contains(&role))
            .copied()
            .collect()
    }

    /// Where `role` lands after signing in: its first page.
    pub fn landing(&self, role: Role) -> &'static str {
        self.nav
            .iter()
            .find(|e| e.roles.contains(&role))
            .map_or("/staff/account", |e| e.path)
    }
}
