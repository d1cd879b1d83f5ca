//! Notices (公告) as staff publish them: one row per notice, its schedule and whether
//! it was withdrawn. What residents see at an instant is `linli_core::notices::live`
//! over these rows; every save and withdrawal is audited in the same transaction.

use linli_core::config::{LocalText, Notice};
use linli_core::date::Date;
use linli_core::notices::Posting;
use sqlx::Row;

use super::{Actor, DbRow, Store, StoreError};

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
        },
        publish_at: row.try_get("publish_at")?,
        expires_at: row.try_get("expires_at")?,
        pinned: row.try_get::<i64, _>("pinned")? != 0,
        withdrawn_at: row.try_get("withdrawn_at")?,
    })
}

impl Store {
    /// Saves a notice, new or edited (by id), as staff entered it; the caller has
    /// checked it (`Posting::check`, the config's text limits). Audited as
    /// `notice.publish`. A withdrawn notice stays withdrawn.
    pub async fn put_notice(&self, p: &Posting, by: &Actor, now: i64) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let n = &p.notice;
            sqlx::query(
                "INSERT INTO notices (id, day, title_zh, title_en, body_zh, body_en, publish_at, \
                 expires_at, pinned, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (id) DO UPDATE SET day = $2, title_zh = $3, title_en = $4, \
                 body_zh = $5, body_en = $6, publish_at = $7, expires_at = $8, pinned = $9, \
                 updated_at = $10",
            )
            .bind(&n.id)
            .bind(n.date.to_string())
            .bind(&n.title.zh)
            .bind(&n.title.en)
            .bind(&n.body.zh)
            .bind(&n.body.en)
            .bind(p.publish_at)
            .bind(p.expires_at)
            .bind(i64::from(p.pinned))
            .bind(now)
            .execute(tx.conn())
            .await?;
            tx.audit(now, by, "notice.publish", &format!("notice:{}", n.id))
                .await
        })
        .await
    }

    /// Withdraws a notice from `now` on. Audited as `notice.withdraw`; withdrawing
    /// twice keeps the first instant.
    pub async fn withdraw_notice(&self, id: &str, by: &Actor, now: i64) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let changed = sqlx::query(
                "UPDATE notices SET withdrawn_at = COALESCE(withdrawn_at, $2), updated_at = $2 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound("notice"));
            }
            tx.audit(now, by, "notice.withdraw", &format!("notice:{id}"))
                .await
        })
        .await
    }

    /// Every notice, withdrawn ones included, latest published first.
    pub async fn notices(&self) -> Result<Vec<Posting>, StoreError> {
        let rows = sqlx::query("SELECT * FROM notices ORDER BY publish_at DESC, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(posting).collect()
    }
}
