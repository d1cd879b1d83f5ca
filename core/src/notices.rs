//! Notices (公告) as the sub-district's staff publish them: each is scheduled, live,
//! expired or withdrawn at instants (ms since the epoch) that staff give as local
//! times in the deployment's zone, and residents see the live ones, pinned first, then
//! newest first. One rule for the console, the server's notice list and the shell.

use crate::config::{LocalText, Notice};
use crate::date::Date;
use crate::i18n::{Lang, StaffText};
use crate::json::Value;

/// A notice as the console keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    /// What residents read (its `date` is the publication day shown on the list),
    /// with its pin and its expiry, which phones need too.
    pub notice: Notice,
    /// When it goes up (ms since the epoch).
    pub publish_at: i64,
    /// When staff withdrew it (ms): it is gone from then on, whatever else it says.
    pub withdrawn_at: Option<i64>,
}

/// Where a posting stands at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Not up yet.
    Scheduled,
    /// Residents see it.
    Live,
    /// Its time is over.
    Expired,
    /// Staff took it down.
    Withdrawn,
}

/// Why a posting cannot be saved as staff entered it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostingError {
    /// It would come down before, or as, it goes up.
    ExpiresBeforePublish,
}

impl PostingError {
    /// What staff read, in their language.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            PostingError::ExpiresBeforePublish => lang.t(StaffText::NoticeExpiresFirst),
        }
    }
}

impl Posting {
    /// Where it stands at `now` (ms). Each boundary belongs to what follows it: live
    /// from the publishing instant on, expired and withdrawn from theirs on.
    pub fn standing(&self, now: i64) -> Standing {
        if self.withdrawn_at.is_some_and(|at| at <= now) {
            Standing::Withdrawn
        } else if now < self.publish_at {
            Standing::Scheduled
        } else if !self.notice.up_at(now) {
            Standing::Expired
        } else {
            Standing::Live
        }
    }

    /// Checks what staff entered: an expiry, if any, comes after publishing.
    pub fn check(&self) -> Result<(), PostingError> {
        match self.notice.expires_at {
            Some(at) if at <= self.publish_at => Err(PostingError::ExpiresBeforePublish),
            _ => Ok(()),
        }
    }
}

/// A notice a deployment's `config.json` carried, as the server takes it over: up from
/// the start of its date in the deployment's zone (`offset_minutes` east of UTC),
/// never withdrawn.
pub fn from_config(notice: &Notice, offset_minutes: i64) -> Posting {
    Posting {
        notice: notice.clone(),
        publish_at: notice.date.local_instant(0, offset_minutes),
        withdrawn_at: None,
    }
}

/// The postings residents see at `now`: live ones, pinned first, then the latest
/// published first (equal instants keep their order).
pub fn live(postings: &[Posting], now: i64) -> Vec<&Posting> {
    // An insertion sort, as for the config's notices: lists are short and the slice
    // sort would add kilobytes to the residents' download.
    let rank = |p: &Posting| (!p.notice.pinned, -p.publish_at);
    let mut list: Vec<&Posting> = Vec::new();
    for p in postings
        .iter()
        .filter(|p| p.standing(now) == Standing::Live)
    {
        let at = list
            .iter()
            .position(|q| rank(q) > rank(p))
            .unwrap_or(list.len());
        list.insert(at, p);
    }
    list
}

/// A live notice as `GET /api/v1/notices` sends it: the shape of a notice in
/// `config.json` (`id`, `date`, `title` and `body` as `{"zh-CN", "en"}`), `pinned`,
/// and `expires_at` (ms since the epoch) when it has one. Read back by
/// [`crate::config::notices_from_value`].
pub fn to_value(n: &Notice) -> Value {
    let text = |t: &LocalText| {
        let mut m = vec![("zh-CN", Value::String(t.zh.clone()))];
        if let Some(en) = &t.en {
            m.push(("en", Value::String(en.clone())));
        }
        Value::object(m)
    };
    let mut members = vec![
        ("id", Value::String(n.id.clone())),
        ("date", Value::String(n.date.to_string())),
        ("title", text(&n.title)),
        ("body", text(&n.body)),
        ("pinned", Value::Bool(n.pinned)),
    ];
    if let Some(at) = n.expires_at {
        members.push(("expires_at", Value::Number(at as f64)));
    }
    if let Some(image) = &n.image {
        members.push(("image", Value::String(image.clone())));
    }
    if let Some(attachment) = &n.attachment {
        members.push(("attachment", text(attachment)));
    }
    Value::object(members)
}

/// The notices of a `GET /api/v1/notices` answer that this app can read: all of them
/// when the answer reads ([`crate::config::notices_from_value`]), else each notice
/// that reads on its own, so one this version cannot read (a newer server's) hides
/// only itself. `None` when the answer is not a list of notices at all.
pub fn readable(value: &Value) -> Option<Vec<Notice>> {
    if let Ok(list) = crate::config::notices_from_value(value) {
        return Some(list);
    }
    let Value::Object(members) = value else {
        return None;
    };
    let Some((_, Value::Array(items))) = members.iter().find(|(k, _)| k == "notices") else {
        return None;
    };
    let one = |item: &Value| {
        let alone = Value::object(vec![("notices", Value::Array(vec![item.clone()]))]);
        crate::config::notices_from_value(&alone).ok()
    };
    Some(items.iter().filter_map(one).flatten().collect())
}

/// A local time as staff type it, `YYYY-MM-DD HH:MM` (or with `T`, as a browser's
/// `datetime-local` field sends it), in a deployment `offset_minutes` east of UTC:
/// the instant in ms since the epoch. `None` for anything else.
pub fn parse_local(text: &str, offset_minutes: i64) -> Option<i64> {
    let text = text.trim();
    let (day, time) = text.split_once([' ', 'T'])?;
    let date = Date::parse(day)?;
    let (h, m) = time.split_once(':')?;
    // Two ASCII digits each: `8:5` or `+8:+5` is not a time staff meant.
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(date.local_instant(h * 60 + m, offset_minutes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LocalText;
    use crate::date::CHINA_OFFSET_MINUTES as CST;

    fn posting(id: &str, publish: &str, expires: Option<&str>, pinned: bool) -> Posting {
        let at = |t: &str| parse_local(t, CST).unwrap();
        Posting {
            notice: Notice {
                id: id.into(),
                date: Date::parse(&publish[..10]).unwrap(),
                title: LocalText::zh(id),
                body: LocalText::zh("正文"),
                pinned,
                expires_at: expires.map(at),
                image: None,
                attachment: None,
            },
            publish_at: at(publish),
            withdrawn_at: None,
        }
    }

    #[test]
    fn a_notice_goes_up_and_comes_down_at_the_local_instants_staff_gave() {
        let p = posting("water", "2026-12-02 08:00", Some("2026-12-05 00:00"), false);
        let at = |t: &str| parse_local(t, CST).unwrap();
        // 08:00 in Beijing is 00:00 UTC.
        assert_eq!(at("2026-12-02 08:00"), 1_796_169_600_000);
        assert_eq!(
            p.standing(at("2026-12-02 07:59") + 59_999),
            Standing::Scheduled
        );
        assert_eq!(p.standing(at("2026-12-02 08:00")), Standing::Live);
        assert_eq!(p.standing(at("2026-12-04 23:59") + 59_999), Standing::Live);
        assert_eq!(p.standing(at("2026-12-05 00:00")), Standing::Expired);
        // The same local times mean other instants in another zone.
        assert_eq!(
            parse_local("2026-12-02 08:00", 0).unwrap() - at("2026-12-02 08:00"),
            8 * 3_600_000
        );
    }

    #[test]
    fn a_withdrawn_notice_is_gone_from_the_withdrawal_on_even_before_it_went_up() {
        let at = |t: &str| parse_local(t, CST).unwrap();
        let mut p = posting("lift", "2026-12-02 08:00", None, true);
        p.withdrawn_at = Some(at("2026-12-03 10:00"));
        assert_eq!(p.standing(at("2026-12-03 09:59")), Standing::Live);
        assert_eq!(p.standing(at("2026-12-03 10:00")), Standing::Withdrawn);
        p.withdrawn_at = Some(at("2026-12-01 10:00"));
        assert_eq!(p.standing(at("2026-12-01 12:00")), Standing::Withdrawn);
        assert_eq!(p.standing(at("2026-12-02 08:00")), Standing::Withdrawn);
    }

    #[test]
    fn residents_see_live_notices_pinned_first_then_newest_first() {
        let at = |t: &str| parse_local(t, CST).unwrap();
        let list = [
            posting("old", "2026-11-20 09:00", None, false),
            posting("pinned", "2026-11-01 09:00", None, true),
            posting("new", "2026-12-01 09:00", None, false),
            posting("later", "2026-12-09 09:00", None, false),
            posting("gone", "2026-11-25 09:00", Some("2026-11-30 00:00"), false),
        ];
        let ids: Vec<&str> = live(&list, at("2026-12-02 12:00"))
            .iter()
            .map(|p| p.notice.id.as_str())
            .collect();
        assert_eq!(ids, ["pinned", "new", "old"]);
    }

    #[test]
    fn an_expiry_before_publishing_is_refused_in_the_staff_language() {
        let p = posting("x", "2026-12-02 08:00", Some("2026-12-02 08:00"), false);
        let e = p.check().unwrap_err();
        assert_eq!(e, PostingError::ExpiresBeforePublish);
        assert_eq!(e.text(Lang::ZhCn), "下架时间要晚于发布时间");
        assert!(posting("y", "2026-12-02 08:00", None, false)
            .check()
            .is_ok());
    }

    #[test]
    fn the_list_phones_receive_reads_back_as_it_was_sent_expiry_and_pin_included() {
        let list = [
            posting("lift", "2026-12-02 08:00", Some("2026-12-05 00:00"), true),
            posting("water", "2026-12-01 09:00", None, false),
        ];
        let wire = Value::object(vec![
            (
                "notices",
                Value::Array(list.iter().map(|p| to_value(&p.notice)).collect()),
            ),
            ("now", Value::Number(1.0)),
        ]);
        let back = crate::config::notices_from_value(&wire).unwrap();
        let sent: Vec<Notice> = list.iter().map(|p| p.notice.clone()).collect();
        assert_eq!(back, sent);
        // A picture and an attachment's text travel too.
        let mut with = list[0].notice.clone();
        with.image = Some("api/v1/notice-images/0123456789ab.jpg".into());
        with.attachment = Some(LocalText {
            zh: "停水范围：1至12幢".into(),
            en: Some("Buildings 1 to 12".into()),
        });
        let wire = Value::object(vec![("notices", Value::Array(vec![to_value(&with)]))]);
        assert_eq!(crate::config::notices_from_value(&wire).unwrap(), [with]);
        // A phone offline stops showing it at its expiry.
        let at = |t: &str| parse_local(t, CST).unwrap();
        assert!(back[0].up_at(at("2026-12-04 23:59")));
        assert!(!back[0].up_at(at("2026-12-05 00:00")));
        assert!(back[1].up_at(i64::MAX));
    }

    #[test]
    fn a_damaged_list_is_refused_with_the_place_of_each_problem() {
        let wire = crate::json::from_str(
            r#"{"notices": [{"id": "a", "date": "2026-12-32", "title": {"zh-CN": ""},
                "body": {"zh-CN": "x"}, "expires_at": "soon", "pinned": "yes", "colour": 1,
                "image": "../secret", "attachment": {"en": "only English"}}]}"#,
        )
        .unwrap();
        let paths: Vec<String> = crate::config::notices_from_value(&wire)
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.path)
            .collect();
        assert_eq!(
            paths,
            [
                "notices[0].colour",
                "notices[0].date",
                "notices[0].title.zh-CN",
                "notices[0].expires_at",
                "notices[0].pinned",
                "notices[0].image",
                "notices[0].attachment.zh-CN"
            ]
        );
    }

    #[test]
    fn a_config_notice_goes_up_at_the_start_of_its_day_in_the_deployments_zone() {
        let n = posting("water", "2026-11-26 15:00", None, false).notice;
        let p = from_config(&n, CST);
        assert_eq!(p.publish_at, parse_local("2026-11-26 00:00", CST).unwrap());
        assert_eq!(p.standing(p.publish_at - 1), Standing::Scheduled);
        assert_eq!(p.standing(p.publish_at), Standing::Live);
        assert_eq!(from_config(&n, 0).publish_at - p.publish_at, 8 * 3_600_000);
    }

    #[test]
    fn a_notice_this_app_cannot_read_hides_only_itself() {
        let wire = crate::json::from_str(
            r#"{"notices": [
                {"id": "a", "date": "2026-12-01", "title": {"zh-CN": "停水"}, "body": {"zh-CN": "x"}},
                {"id": "b", "date": "2026-12-01", "title": {"zh-CN": "新"}, "body": {"zh-CN": "x"},
                 "attachment": {"kind": "pdf"}},
                {"id": "c", "date": "2026-12-01", "title": {"zh-CN": "义诊"}, "body": {"zh-CN": "x"}}
            ], "now": 1}"#,
        )
        .unwrap();
        let ids: Vec<String> = readable(&wire).unwrap().into_iter().map(|n| n.id).collect();
        assert_eq!(ids, ["a", "c"]);
        for not_a_list in [r#"{"notices": 3}"#, "[]", r#"{"other": []}"#] {
            assert_eq!(
                readable(&crate::json::from_str(not_a_list).unwrap()),
                None,
                "{not_a_list}"
            );
        }
    }

    #[test]
    fn local_times_are_read_as_staff_and_browsers_write_them() {
        let spaced = parse_local("2026-12-02 08:00", CST);
        assert!(spaced.is_some());
        assert_eq!(parse_local("2026-12-02T08:00", CST), spaced);
        for bad in [
            "2026-12-02",
            "2026-12-02 24:00",
            "2026-12-02 08:60",
            "2026-12-02 8:00",
            "2026-12-02 +8:+5",
            "2026-13-02 08:00",
            "08:00",
            "",
        ] {
            assert_eq!(parse_local(bad, CST), None, "{bad}");
        }
    }
}
