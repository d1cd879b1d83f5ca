//! Notices (公告) as staff publish them: one row per notice, its schedule and whether
//! it was withdrawn. What residents see at an instant is `linli_core::notices::live`
//! over these rows; every save and withdrawal is audited in the same transaction.

use linli_core::config::{LocalText, Notice};
use linli_core::date::Date;
use linli_core::notices::Posting;
use sqlx::Row;

use super::{Actor, Db, DbRow, Store, StoreError, Tx};

fn posting(row: &DbRow) -> Result<Posting, StoreError> {
    let day: String = row.try_get("day")?;
    Ok(Posting {
        notice: Notice {
            id: row.try_get("id")?,
            date: Date::parse(&day).ok_or_else(|| StoreError::corrupt("notice day", day))?,
            title: LocalText {
                zh: row.try_get("title_zh")?,
                en: row.try_get("title_en")?,
            },
            body: LocalText {
                zh: row.try_get("body_zh")?,
                en: row.try_get("body_en")?,
            },
            pinned: row.try_get::<i64, _>("pinned")? != 0,
            expires_at: row.try_get("expires_at")?,
            image: row.try_get("image")?,
            attachment: row
                .try_get::<Option<String>, _>("attachment_zh")?
                .map(|zh| -> Result<LocalText, StoreError> {
                    Ok(LocalText {
                        zh,
                        en: row.try_get("attachment_en")?,
                    })
                })
                .transpose()?,
        },
        publish_at: row.try_get("publish_at")?,
        withdrawn_at: row.try_get("withdrawn_at")?,
    })
}

/// A query of the notices table, its thirteen columns in table order bound from `p`.
type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

fn bind_notice<'q>(q: Query<'q>, p: &'q Posting, now: i64) -> Query<'q> {
    let n = &p.notice;
    q.bind(&n.id)
        .bind(n.date.to_string())
        .bind(&n.title.zh)
        .bind(&n.title.en)
        .bind(&n.body.zh)
        .bind(&n.body.en)
        .bind(p.publish_at)
        .bind(n.expires_at)
        .bind(i64::from(n.pinned))
        .bind(now)
        .bind(&n.image)
        .bind(n.attachment.as_ref().map(|a| a.zh.clone()))
        .bind(n.attachment.as_ref().and_then(|a| a.en.clone()))
}

/// Inserts a notice unless its id is taken; answers whether it did.
async fn insert(tx: &mut Tx, p: &Posting, now: i64) -> Result<bool, StoreError> {
    let q = sqlx::query(
        "INSERT INTO notices (id, day, title_zh, title_en, body_zh, body_en, \
         publish_at, expires_at, pinned, updated_at, image, attachment_zh, attachment_en) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (id) DO NOTHING",
    );
    let done = bind_notice(q, p, now).execute(tx.conn()).await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// Saves a new notice as staff entered it; the caller has checked it
    /// (`Posting::check`, the config's text limits). Never overwrites: an id already
    /// taken is [`StoreError::Exists`], and the caller draws another. Audited as
    /// `notice.publish`.
    pub async fn add_notice(&self, p: &Posting, by: &Actor, now: i64) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            if !insert(tx, p, now).await? {
                return Err(StoreError::Exists("notice"));
            }
            tx.audit(
                now,
                by,
                "notice.publish",
                &format!("notice:{}", p.notice.id),
            )
            .await
        })
        .await
    }

    /// Changes a notice's text and schedule (by id); a withdrawn notice stays
    /// withdrawn. Audited as `notice.edit`; [`StoreError::NotFound`] when there is no
    /// such notice.
    pub async fn edit_notice(&self, p: &Posting, by: &Actor, now: i64) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let changed = bind_notice(
                sqlx::query(
                    "UPDATE notices SET day = $2, title_zh = $3, title_en = $4, body_zh = $5, \
                     body_en = $6, publish_at = $7, expires_at = $8, pinned = $9, \
                     updated_at = $10, image = $11, attachment_zh = $12, attachment_en = $13 \
                     WHERE id = $1",
                ),
                p,
                now,
            )
            .execute(tx.conn())
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound("notice"));
            }
            tx.audit(now, by, "notice.edit", &format!("notice:{}", p.notice.id))
                .await
        })
        .await
    }

    /// Withdraws a notice from `now` on. Audited as `notice.withdraw`, once: withdrawing
    /// it again (a second click) changes and logs nothing. [`StoreError::NotFound`]
    /// when there is no such notice.
    pub async fn withdraw_notice(&self, id: &str, by: &Actor, now: i64) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let changed = sqlx::query(
                "UPDATE notices SET withdrawn_at = $2, updated_at = $2 \
                 WHERE id = $1 AND withdrawn_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if changed == 0 {
                let exists = sqlx::query("SELECT 1 FROM notices WHERE id = $1")
                    .bind(id)
                    .fetch_optional(tx.conn())
                    .await?
                    .is_some();
                return if exists {
                    Ok(())
                } else {
                    Err(StoreError::NotFound("notice"))
                };
            }
            tx.audit(now, by, "notice.withdraw", &format!("notice:{id}"))
                .await
        })
        .await
    }

    /// Takes over, once per database, the notices a deployment's `config.json` carried
    /// before staff published from the console: each goes up at the start of its date
    /// in the deployment's zone (`linli_core::notices::from_config`), unpinned, with no
    /// expiry, audited as `notice.import` by the system. Answers how many were added,
    /// or that this database has taken them over before (the `imports` row, whichever
    /// instance came first: `None`), and a notice whose id staff already used is left
    /// out.
    pub async fn import_config_notices(
        &self,
        notices: &[Notice],
        offset_minutes: i64,
        now: i64,
    ) -> Result<Option<usize>, StoreError> {
        self.write_tx(async |tx| {
            if !tx.first_import("config.notices", now).await? {
                return Ok(None);
            }
            let mut added = 0;
            for notice in notices {
                let p = linli_core::notices::from_config(notice, offset_minutes);
                if insert(tx, &p, now).await? {
                    added += 1;
                    let target = format!("notice:{}", notice.id);
                    tx.audit(now, &Actor::system(), "notice.import", &target)
                        .await?;
                }
            }
            Ok(Some(added))
        })
        .await
    }

    /// Every notice, withdrawn ones included, latest published first (the console).
    pub async fn notices(&self) -> Result<Vec<Posting>, StoreError> {
        let rows = sqlx::query("SELECT * FROM notices ORDER BY publish_at DESC, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(posting).collect()
    }

    /// The notices live at `now` (up, not expired, not withdrawn), filtered by the
    /// database so a public list never reads the archive; the order is
    /// `linli_core::notices::live`'s.
    pub async fn live_notices(&self, now: i64) -> Result<Vec<Posting>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM notices WHERE publish_at <= $1 \
             AND (expires_at IS NULL OR expires_at > $1) \
             AND (withdrawn_at IS NULL OR withdrawn_at > $1)",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(posting).collect()
    }
}
