//! A deployment's `config.json`: who the sub-district is, how it looks, what it offers.
//!
//! One build of the shell serves every sub-district; everything that differs between
//! them is here. [`from_value`] checks a parsed file and reports *every* problem with
//! the path of the field it concerns, so a staff member can fix the file in one pass:
//!
//! ```
//! let err = linli_core::config::parse(r##"{"theme": {"primary": "#12"}}"##).unwrap_err();
//! assert!(err.to_string().contains(r##"theme.primary: "#12" is not a colour"##));
//! ```

mod error;
mod evaluation;
mod feedback;
mod meals;
mod voting;
mod walk;

pub use error::{ConfigError, FieldError, Problem};
pub use evaluation::EvaluationConfig;
pub use feedback::{
    CategoryConfig, FeedbackConfig, HandlerConfig, HandlerKind, DEFAULT_LIMITS, MAX_PLACE,
    MAX_PLACES,
};
pub use meals::{format_time, parse_time, MealsConfig, SlotConfig, TierConfig};
pub use voting::VotingConfig;

use crate::colour::{ratio_text, Colour, MIN_TEXT_CONTRAST};
use crate::date::Date;
use crate::i18n::Lang;
use crate::json::Value;
use crate::Scenario;
use walk::{Checker, Fields};

/// A validated deployment configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct ShellConfig {
    /// Short machine id of the deployment (`qingshan`), lowercase, digits and hyphens.
    pub id: String,
    /// The sub-district's display name.
    pub name: LocalText,
    /// Path of the logo inside the deployment folder (`logo.svg`).
    pub logo: String,
    /// Brand colours.
    pub theme: Theme,
    /// The service hotline residents can call.
    pub hotline: String,
    /// The privacy notice shown in 我的.
    pub privacy: LocalText,
    /// The scenarios offered, in tile order.
    pub scenarios: Vec<Scenario>,
    /// Notices (公告), in the order written.
    pub notices: Vec<Notice>,
    /// The language before a resident picks one.
    pub default_language: Lang,
    /// Where submissions go; absent until a server is deployed.
    pub server_url: Option<String>,
    /// Meal slots, tiers and cut-offs; present when the meals scenario is enabled.
    pub meals: Option<MealsConfig>,
    /// Owners' voting rules beyond the statute (grace period, the assembly's rule on
    /// silent owners); the defaults when the section is absent.
    pub voting: VotingConfig,
    /// Handlers, categories with their time limits, places and the working calendar
    /// of residents' feedback; present when the feedback scenario is enabled.
    pub feedback: Option<FeedbackConfig>,
    /// How often residents are asked to rate a service and the fewest ratings
    /// published (公众评价); the defaults when the section is absent.
    pub evaluation: EvaluationConfig,
}

/// Brand colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// The brand colour: header, buttons, active tab.
    pub primary: Colour,
    /// Text drawn on the brand colour; at least 4.5:1 against it.
    pub on_primary: Colour,
}

/// A text in Chinese, optionally in English too (Chinese is shown where English is
/// missing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalText {
    /// zh-CN, required.
    pub zh: String,
    /// English, optional.
    pub en: Option<String>,
}

impl LocalText {
    /// Chinese only (the common case for staff; English falls back to it).
    pub fn zh(text: impl Into<String>) -> LocalText {
        LocalText {
            zh: text.into(),
            en: None,
        }
    }

    /// The text in `lang`, falling back to Chinese.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => en,
            _ => &self.zh,
        }
    }
}

/// A notice (公告) on the notices page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Stable id, used in the notice's address.
    pub id: String,
    /// Publication date.
    pub date: Date,
    /// Headline.
    pub title: LocalText,
    /// Body, plain text; blank lines separate paragraphs.
    pub body: LocalText,
    /// Kept at the top of the list while live (`pinned` on the wire; never in a
    /// `config.json`).
    pub pinned: bool,
    /// When it comes down by itself, ms since the epoch, if ever (`expires_at` on the
    /// wire, so a phone offline stops showing it on time; never in a `config.json`).
    pub expires_at: Option<i64>,
    /// A picture staff added, as a path under the server (`api/v1/notice-images/
    /// <hash>.jpg`, a JPEG the server drew again); never in a `config.json`.
    pub image: Option<String>,
    /// The text of an attachment (附件: a list of buildings, a timetable), shown under
    /// the body; never in a `config.json`.
    pub attachment: Option<LocalText>,
}

impl Notice {
    /// Whether it is still up at `now` (ms since the epoch): not past its expiry.
    pub fn up_at(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

impl ShellConfig {
    /// The deployment's offset from UTC in minutes, for every date and time shown to a
    /// resident or staff member: the meals config's `utc_offset_minutes` where there is
    /// one, else China Standard Time (+480; China has one zone and no daylight saving).
    pub fn utc_offset_minutes(&self) -> i64 {
        self.meals
            .as_ref()
            .map_or(crate::date::CHINA_OFFSET_MINUTES, |m| m.utc_offset_minutes)
    }

    /// The notices, newest first (equal dates keep file order).
    pub fn notices_newest_first(&self) -> Vec<&Notice> {
        // An insertion sort: notices are few, and the slice sort would add kilobytes
        // of WASM. Inserting before the first older notice keeps equal dates in order.
        let mut list: Vec<&Notice> = Vec::with_capacity(self.notices.len());
        for notice in &self.notices {
            let at = list
                .iter()
                .position(|n| n.date < notice.date)
                .unwrap_or(list.len());
            list.insert(at, notice);
        }
        list
    }

    /// The hotline as a `tel:` link: digits and a leading `+` only.
    pub fn hotline_uri(&self) -> String {
        let dial: String = self
            .hotline
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{dial}")
    }
}

const TOP_FIELDS: &[&str] = &[
    "id",
    "name",
    "logo",
    "theme",
    "hotline",
    "privacy",
    "scenarios",
    "notices",
    "default_language",
    "server_url",
    "meals",
    "voting",
    "feedback",
    "evaluation",
];
const THEME_FIELDS: &[&str] = &["primary", "on_primary"];
const TEXT_FIELDS: &[&str] = &["zh-CN", "en"];
const NOTICE_FIELDS: &[&str] = &["id", "date", "title", "body"];
/// A notice as `GET /api/v1/notices` sends it (`linli_core::notices::to_value`).
const WIRE_NOTICE_FIELDS: &[&str] = &[
    "id",
    "date",
    "title",
    "body",
    "pinned",
    "expires_at",
    "image",
    "attachment",
];

const MAX_ID: usize = 40;
const MAX_NAME: usize = 40;
const MAX_PATH: usize = 200;
const MAX_PHONE: usize = 30;
/// The longest notice title, in characters.
pub const MAX_TITLE: usize = 80;
/// The longest notice body, in characters.
pub const MAX_BODY: usize = 5_000;
const MAX_PRIVACY: usize = 20_000;
const MAX_URL: usize = 500;

/// Parses and checks config text (host side; the browser uses [`from_value`]).
#[cfg(feature = "json")]
pub fn parse(text: &str) -> Result<ShellConfig, ConfigError> {
    let value = crate::json::from_str(text).map_err(ConfigError::syntax)?;
    from_value(&value)
}

/// Checks a parsed config, collecting every problem.
pub fn from_value(value: &Value) -> Result<ShellConfig, ConfigError> {
    let mut c = Checker::default();
    let config = read_config(&mut c, value);
    match config {
        Some(config) if c.errors.is_empty() => Ok(config),
        _ => Err(ConfigError { errors: c.errors }),
    }
}

fn read_config(c: &mut Checker, value: &Value) -> Option<ShellConfig> {
    let f = c.object(value, "", TOP_FIELDS)?;
    // Every field is read before any `?`, so all problems are reported together.
    let id = read_id(c, &f, "id", MAX_ID);
    let name = c
        .required(&f, "name")
        .and_then(|v| local_text(c, v, &f.path("name"), MAX_NAME));
    let logo = c
        .required_text(&f, "logo", MAX_PATH)
        .and_then(|p| asset_path(c, p, &f.path("logo")));
    let theme = c
        .required(&f, "theme")
        .and_then(|v| read_theme(c, v, &f.path("theme")));
    let hotline = c
        .required_text(&f, "hotline", MAX_PHONE)
        .and_then(|p| phone(c, p, &f.path("hotline")));
    let privacy = c
        .required(&f, "privacy")
        .and_then(|v| local_text(c, v, &f.path("privacy"), MAX_PRIVACY));
    let scenarios = c
        .required(&f, "scenarios")
        .and_then(|v| read_scenarios(c, v, &f.path("scenarios")));
    let notices = match f.get("notices") {
        Some(v) => read_notices(c, v, &f.path("notices"), NOTICE_FIELDS),
        None => Some(Vec::new()),
    };
    let default_language = match f.get("default_language") {
        Some(v) => read_lang(c, v, &f.path("default_language")),
        None => Some(Lang::ZhCn),
    };
    let server_url = match f.get("server_url") {
        None | Some(Value::Null) => Some(None),
        Some(v) => {
            let path = f.path("server_url");
            c.text(v, &path, MAX_URL)
                .and_then(|u| url(c, u, &path))
                .map(Some)
        }
    };
    let meals = match (f.get("meals"), &scenarios) {
        (Some(v), _) => meals::read(c, v, &f.path("meals")).map(Some),
        (None, Some(list)) if list.contains(&Scenario::Meals) => {
            c.push("meals", Problem::MealsMissing);
            None
        }
        (None, _) => Some(None),
    };
    let voting = match f.get("voting") {
        Some(v) => voting::read(c, v, &f.path("voting")),
        None => Some(VotingConfig::default()),
    };
    let evaluation = match f.get("evaluation") {
        Some(v) => evaluation::read(c, v, &f.path("evaluation")),
        None => Some(EvaluationConfig::default()),
    };
    #[cfg(feature = "feedback")]
    let feedback = match (f.get("feedback"), &scenarios) {
        (Some(v), _) => feedback::read(c, v, &f.path("feedback")).map(Some),
        (None, Some(list)) if list.contains(&Scenario::Feedback) => {
            c.push("feedback", Problem::FeedbackMissing);
            None
        }
        (None, _) => Some(None),
    };
    // A build without the feedback scenario offers none: the section is not its to read.
    #[cfg(not(feature = "feedback"))]
    let feedback = Some(None);
    Some(ShellConfig {
        id: id?,
        name: name?,
        logo: logo?,
        theme: theme?,
        hotline: hotline?,
        privacy: privacy?,
        scenarios: scenarios?,
        notices: notices?,
        default_language: default_language?,
        server_url: server_url?,
        meals: meals?,
        voting: voting?,
        feedback: feedback?,
        evaluation: evaluation?,
    })
}

fn read_id(c: &mut Checker, f: &Fields<'_>, key: &str, max: usize) -> Option<String> {
    let id = c.required_text(f, key, max)?;
    if id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some(id)
    } else {
        c.push(f.path(key), Problem::BadId(id));
        None
    }
}

fn local_text(c: &mut Checker, value: &Value, path: &str, max: usize) -> Option<LocalText> {
    // A bare string is accepted as Chinese-only text: the common case for staff.
    if let Value::String(_) = value {
        let zh = c.text(value, path, max)?;
        return Some(LocalText { zh, en: None });
    }
    let f = c.object(value, path, TEXT_FIELDS)?;
    let zh = c.required_text(&f, "zh-CN", max);
    let en = match f.get("en") {
        Some(v) => Some(c.text(v, &f.path("en"), max)?),
        None => None,
    };
    Some(LocalText { zh: zh?, en })
}

fn read_theme(c: &mut Checker, value: &Value, path: &str) -> Option<Theme> {
    let f = c.object(value, path, THEME_FIELDS)?;
    let primary = c
        .required_text(&f, "primary", 20)
        .and_then(|s| colour(c, s, &f.path("primary")));
    let on_primary = match f.get("on_primary") {
        Some(v) => {
            let p = f.path("on_primary");
            c.text(v, &p, 20).and_then(|s| colour(c, s, &p))
        }
        None => Some(Colour::WHITE),
    };
    let (primary, on_primary) = (primary?, on_primary?);
    let ratio = primary.contrast(on_primary);
    if ratio < MIN_TEXT_CONTRAST {
        c.push(
            f.path("primary"),
            Problem::LowContrast {
                other: format!("{} ({on_primary})", f.path("on_primary")),
                ratio: ratio_text(ratio),
            },
        );
        return None;
    }
    Some(Theme {
        primary,
        on_primary,
    })
}

fn colour(c: &mut Checker, text: String, path: &str) -> Option<Colour> {
    let parsed = Colour::parse(&text);
    if parsed.is_none() {
        c.push(path, Problem::NotAColour(text));
    }
    parsed
}

fn phone(c: &mut Checker, text: String, path: &str) -> Option<String> {
    let dialable = text
        .chars()
        .all(|ch| ch.is_ascii_digit() || matches!(ch, ' ' | '-' | '+'))
        && text.chars().filter(char::is_ascii_digit).count() >= 3;
    if dialable {
        Some(text)
    } else {
        c.push(path, Problem::BadPhone(text));
        None
    }
}

fn url(c: &mut Checker, text: String, path: &str) -> Option<String> {
    let ok = text.starts_with("https://")
        || text.starts_with("http://")
        || (text.starts_with('/') && !text.starts_with("//"));
    if ok && !text.contains(char::is_whitespace) {
        Some(text)
    } else {
        c.push(path, Problem::BadUrl(text));
        None
    }
}

fn asset_path(c: &mut Checker, text: String, path: &str) -> Option<String> {
    let bad = text.starts_with('/')
        || text.contains(':')
        || text.contains('\\')
        || text.split('/').any(|part| part == ".." || part.is_empty());
    if bad {
        c.push(path, Problem::BadAssetPath(text));
        None
    } else {
        Some(text)
    }
}

fn read_lang(c: &mut Checker, value: &Value, path: &str) -> Option<Lang> {
    let code = c.text(value, path, 10)?;
    let lang = Lang::from_code(&code);
    if lang.is_none() {
        c.push(path, Problem::BadLanguage(code));
    }
    lang
}

fn read_scenarios(c: &mut Checker, value: &Value, path: &str) -> Option<Vec<Scenario>> {
    let mut seen: Vec<Scenario> = Vec::new();
    c.array(value, path, |c, item, item_path| {
        let id = c.text(item, &item_path, 40)?;
        let Some(scenario) = Scenario::from_id(&id) else {
            c.push(item_path, Problem::UnknownScenario(id));
            return None;
        };
        if seen.contains(&scenario) {
            c.push(item_path, Problem::Duplicate(id));
            return None;
        }
        seen.push(scenario);
        Some(scenario)
    })
}

/// The notices at `path`, each object allowed the members in `fields`: a
/// `config.json`'s ([`NOTICE_FIELDS`]) or the server's list ([`WIRE_NOTICE_FIELDS`]).
fn read_notices(
    c: &mut Checker,
    value: &Value,
    path: &str,
    fields: &[&'static str],
) -> Option<Vec<Notice>> {
    let mut ids: Vec<String> = Vec::new();
    c.array(value, path, |c, item, item_path| {
        let f = c.object(item, &item_path, fields)?;
        let id = read_id(c, &f, "id", MAX_ID);
        if let Some(id) = &id {
            if ids.contains(id) {
                c.push(f.path("id"), Problem::Duplicate(id.clone()));
            }
            ids.push(id.clone());
        }
        let date = c.required_text(&f, "date", 10).and_then(|d| {
            let parsed = Date::parse(&d);
            if parsed.is_none() {
                c.push(f.path("date"), Problem::BadDate(d));
            }
            parsed
        });
        let title = c
            .required(&f, "title")
            .and_then(|v| local_text(c, v, &f.path("title"), MAX_TITLE));
        let body = c
            .required(&f, "body")
            .and_then(|v| local_text(c, v, &f.path("body"), MAX_BODY));
        // Only the server's list has these (the field list refused them elsewhere).
        // Each is checked before any `?`, so every problem is reported.
        let expires_at = f
            .get("expires_at")
            .map(|v| c.number(v, &f.path("expires_at")));
        let pinned = f.get("pinned").map(|v| c.boolean(v, &f.path("pinned")));
        let image = f.get("image").map(|v| {
            let path = f.path("image");
            c.text(v, &path, MAX_PATH)
                .and_then(|p| asset_path(c, p, &path))
        });
        let attachment = f
            .get("attachment")
            .map(|v| local_text(c, v, &f.path("attachment"), MAX_BODY));
        let expires_at = match expires_at {
            Some(at) => Some(at? as i64),
            None => None,
        };
        let image = match image {
            Some(p) => Some(p?),
            None => None,
        };
        let attachment = match attachment {
            Some(a) => Some(a?),
            None => None,
        };
        Some(Notice {
            id: id?,
            date: date?,
            title: title?,
            body: body?,
            pinned: pinned.unwrap_or(Some(false))?,
            expires_at,
            image,
            attachment,
        })
    })
}

/// The notices of a `GET /api/v1/notices` answer (`{notices: [...]}`), checked by the
/// rules a `config.json`'s notices follow, plus `pinned` and `expires_at`. Errors are
/// located as in a config (`notices[0].title.zh-CN`).
pub fn notices_from_value(value: &Value) -> Result<Vec<Notice>, ConfigError> {
    let mut c = Checker::default();
    let list = c
        .object(value, "", &["notices", "now"])
        .and_then(|f| c.required(&f, "notices"))
        .and_then(|v| read_notices(&mut c, v, "notices", WIRE_NOTICE_FIELDS));
    match list {
        Some(list) if c.errors.is_empty() => Ok(list),
        _ => Err(ConfigError { errors: c.errors }),
    }
}

#[cfg(test)]
mod tests;
