//! Public evaluation's tables: per-day totals of anonymous use per service
//! (`evaluation_use`), which anonymous sends were received (`evaluation_received`,
//! a keyed hash of the random envelope id, pruned after the resend window), the
//! ratings (`evaluation_ratings`, with the household only when it agreed to be
//! contacted) and the "你说我改" notes (`evaluation_changes`).

use linli_core::date::Date;
use linli_core::evaluation::{
    Change, Counts, RatingPayload, Score, Service, UsePayload, KEEP_DAYS,
};
use sqlx::Row;

use crate::store::{map_rows, Actor, Conn, DbRow, Store, StoreError, Tx};

/// The most comments one page lists.
pub const MAX_COMMENTS: i64 = 500;

/// What became of an anonymous send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received {
    /// Counted now.
    New,
    /// The same send again (its acknowledgement was lost): nothing was added.
    Again,
    /// Another send in a bucket already filled (a second batch for a day, a second
    /// rating of a service in one period, from one phone): nothing was added.
    Taken,
}

/// Where a send is recorded: `bucket`, the keyed hash of the sending token with what it
/// may send once (a day's counts, a service's rating in a period); `sent`, the keyed
/// hash of the envelope id, to tell a resend from another send.
#[derive(Clone, Copy, Debug)]
pub struct Send<'a> {
    /// The bucket's digest.
    pub bucket: &'a str,
    /// The envelope's digest.
    pub sent: &'a str,
}

/// One day's totals of one service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UseRow {
    /// The deployment's calendar day.
    pub day: Date,
    /// The service.
    pub service: Service,
    /// Every device's counts added up.
    pub counts: Counts,
}

/// A number of ratings of one score, on one day, for one service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScoreRow {
    /// The day given.
    pub day: Date,
    /// The service rated.
    pub service: Service,
    /// The score.
    pub score: Score,
    /// How many gave it.
    pub count: u32,
}

/// A rating with a comment, as staff read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentRow {
    /// Its row id.
    pub id: i64,
    /// The day given.
    pub day: Date,
    /// The score.
    pub score: Score,
    /// What the resident wrote.
    pub comment: String,
    /// The household's label, only when it agreed to be contacted.
    pub unit: Option<String>,
    /// When staff marked it handled (ms), and who.
    pub handled: Option<(i64, String)>,
}

fn day_of(row: &DbRow, column: &str) -> Result<Date, sqlx::Error> {
    let text: String = row.try_get(column)?;
    Date::parse(&text).ok_or_else(|| sqlx::Error::Decode(format!("day {text:?}").into()))
}

fn service_of(row: &DbRow) -> Result<Service, sqlx::Error> {
    let id: String = row.try_get("service")?;
    Service::from_id(&id).ok_or_else(|| sqlx::Error::Decode(format!("service {id:?}").into()))
}

fn score_of(row: &DbRow) -> Result<Score, sqlx::Error> {
    let n: i64 = row.try_get("score")?;
    u8::try_from(n)
        .ok()
        .and_then(Score::new)
        .ok_or_else(|| sqlx::Error::Decode(format!("score {n}").into()))
}

fn count_of(row: &DbRow, column: &str) -> Result<u32, sqlx::Error> {
    let n: i64 = row.try_get(column)?;
    Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

/// Records a send in its bucket, and prunes records past the resend window; whether
/// it is new, a resend, or a second send in a filled bucket. `today` is the server's day.
async fn receive(conn: &mut Conn, send: Send<'_>, today: Date) -> Result<Received, StoreError> {
    let oldest = today.add_days(-(KEEP_DAYS + 10)).unwrap_or(today);
    sqlx::query("DELETE FROM evaluation_received WHERE day < $1")
        .bind(oldest.to_string())
        .execute(&mut *conn)
        .await?;
    let added = sqlx::query(
        "INSERT INTO evaluation_received (digest, sent, day) VALUES ($1, $2, $3) ON CONFLICT (digest) DO NOTHING",
    )
    .bind(send.bucket)
    .bind(send.sent)
    .bind(today.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if added == 1 {
        return Ok(Received::New);
    }
    let first: Option<String> =
        sqlx::query_scalar("SELECT sent FROM evaluation_received WHERE digest = $1")
            .bind(send.bucket)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(if first.as_deref() == Some(send.sent) {
        Received::Again
    } else {
        Received::Taken
    })
}

/// Adds one device's finished day to the totals, once per bucket (inside the caller's
/// transaction). Nothing of the sender is written.
pub async fn add_use(
    tx: &mut Tx,
    send: Send<'_>,
    batch: &UsePayload,
    today: Date,
) -> Result<Received, StoreError> {
    let received = receive(tx.conn(), send, today).await?;
    if received != Received::New {
        return Ok(received);
    }
    for s in &batch.services {
        sqlx::query(
            "INSERT INTO evaluation_use (day, service, visits, started, completed) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (day, service) DO UPDATE SET visits = evaluation_use.visits + excluded.visits, \
             started = evaluation_use.started + excluded.started, \
             completed = evaluation_use.completed + excluded.completed",
        )
        .bind(batch.day.to_string())
        .bind(s.service.id())
        .bind(i64::from(s.counts.visits))
        .bind(i64::from(s.counts.started))
        .bind(i64::from(s.counts.completed))
        .execute(tx.conn())
        .await?;
    }
    Ok(Received::New)
}

/// Stores a rating once per bucket, with household `unit` only when the resident
/// agreed to be contacted and wrote something to be contacted about (a bare score
/// keeps no household).
pub async fn add_rating(
    tx: &mut Tx,
    send: Send<'_>,
    rating: &RatingPayload,
    unit: Option<i64>,
    today: Date,
) -> Result<Received, StoreError> {
    let received = receive(tx.conn(), send, today).await?;
    if received != Received::New {
        return Ok(received);
    }
    sqlx::query(
        "INSERT INTO evaluation_ratings (service, day, score, comment, unit_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(rating.service.id())
    .bind(rating.day.to_string())
    .bind(i64::from(rating.score.get()))
    .bind(&rating.comment)
    .bind(unit.filter(|_| rating.contact && !rating.comment.is_empty()))
    .execute(tx.conn())
    .await?;
    Ok(Received::New)
}

/// Erases a household's part inside the erasure's transaction: its ratings stay as
/// anonymous scores, without the link or the comment it wrote.
pub async fn erase_household(conn: &mut Conn, unit: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE evaluation_ratings SET unit_id = NULL, comment = '' WHERE unit_id = $1")
        .bind(unit)
        .execute(conn)
        .await?;
    Ok(())
}

impl Store {
    /// The daily totals from `from` to `to` (both included), by day then service.
    pub async fn evaluation_use(&self, from: Date, to: Date) -> Result<Vec<UseRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT day, service, visits, started, completed FROM evaluation_use \
             WHERE day >= $1 AND day <= $2 ORDER BY day, service",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok(UseRow {
                day: day_of(r, "day")?,
                service: service_of(r)?,
                counts: Counts {
                    visits: count_of(r, "visits")?,
                    started: count_of(r, "started")?,
                    completed: count_of(r, "completed")?,
                },
            })
        })
    }

    /// The ratings from `from` to `to` counted per day, service and score.
    pub async fn evaluation_scores(
        &self,
        from: Date,
        to: Date,
    ) -> Result<Vec<ScoreRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT day, service, score, COUNT(*) AS n FROM evaluation_ratings \
             WHERE day >= $1 AND day <= $2 GROUP BY day, service, score ORDER BY day, service, score",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok(ScoreRow {
                day: day_of(r, "day")?,
                service: service_of(r)?,
                score: score_of(r)?,
                count: count_of(r, "n")?,
            })
        })
    }

    /// The ratings of `service` with a comment from `from` to `to`, newest first, at
    /// most [`MAX_COMMENTS`].
    pub async fn evaluation_comments(
        &self,
        service: Service,
        from: Date,
        to: Date,
    ) -> Result<Vec<CommentRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.day, r.score, r.comment, u.label, r.handled_at, r.handled_by \
             FROM evaluation_ratings r LEFT JOIN units u ON u.id = r.unit_id \
             WHERE r.service = $1 AND r.day >= $2 AND r.day <= $3 AND r.comment <> '' \
             ORDER BY r.day DESC, r.id DESC LIMIT $4",
        )
        .bind(service.id())
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(MAX_COMMENTS)
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            let at: Option<i64> = r.try_get("handled_at")?;
            let by: Option<String> = r.try_get("handled_by")?;
            Ok(CommentRow {
                id: r.try_get("id")?,
                day: day_of(r, "day")?,
                score: score_of(r)?,
                comment: r.try_get("comment")?,
                unit: r.try_get("label")?,
                handled: at.zip(by),
            })
        })
    }

    /// Marks a comment of `service` handled (or not), audited; `false` when there is no
    /// such rating of that service.
    pub async fn evaluation_mark(
        &self,
        service: Service,
        id: i64,
        handled: bool,
        by: &Actor,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write_tx(async |tx| {
            let (at, name) = if handled {
                (Some(now), Some(by.name.clone()))
            } else {
                (None, None)
            };
            let changed = sqlx::query(
                "UPDATE evaluation_ratings SET handled_at = $1, handled_by = $2 WHERE id = $3 AND service = $4",
            )
            .bind(at)
            .bind(name)
            .bind(id)
            .bind(service.id())
            .execute(tx.conn())
            .await?
            .rows_affected();
            if changed == 1 {
                let action = if handled {
                    "evaluation.comment.handled"
                } else {
                    "evaluation.comment.reopened"
                };
                tx.audit(now, by, action, &id.to_string()).await?;
            }
            Ok::<_, StoreError>(changed == 1)
        })
        .await
    }

    /// Publishes a "你说我改" note about `service`, audited.
    pub async fn evaluation_add_change(
        &self,
        service: Service,
        day: Date,
        text: &str,
        by: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            sqlx::query(
                "INSERT INTO evaluation_changes (service, day, text, by_name, at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(service.id())
            .bind(day.to_string())
            .bind(text)
            .bind(&by.name)
            .bind(now)
            .execute(tx.conn())
            .await?;
            tx.audit(now, by, "evaluation.change", service.id()).await
        })
        .await
    }

    /// The latest "你说我改" notes of `service` not withdrawn, newest first, with their
    /// row ids.
    pub async fn evaluation_changes(
        &self,
        service: Service,
        limit: i64,
    ) -> Result<Vec<(i64, Change)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, day, text FROM evaluation_changes WHERE service = $1 AND withdrawn_at IS NULL \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(service.id())
        .bind(limit)
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok((
                r.try_get("id")?,
                Change {
                    date: day_of(r, "day")?,
                    text: r.try_get("text")?,
                },
            ))
        })
    }

    /// Withdraws a "你说我改" note of `service` (residents no longer see it; the row and
    /// the audit entry stay); `false` when there is no such note still shown.
    pub async fn evaluation_withdraw_change(
        &self,
        service: Service,
        id: i64,
        by: &Actor,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write_tx(async |tx| {
            let changed = sqlx::query(
                "UPDATE evaluation_changes SET withdrawn_at = $1, withdrawn_by = $2 \
                 WHERE id = $3 AND service = $4 AND withdrawn_at IS NULL",
            )
            .bind(now)
            .bind(&by.name)
            .bind(id)
            .bind(service.id())
            .execute(tx.conn())
            .await?
            .rows_affected();
            if changed == 1 {
                tx.audit(now, by, "evaluation.change.withdrawn", &id.to_string())
                    .await?;
            }
            Ok::<_, StoreError>(changed == 1)
        })
        .await
    }

    /// A household's ratings that carry its link (it agreed to be contacted), for its
    /// own download: (service, day, score, comment).
    pub async fn evaluation_household(
        &self,
        unit: i64,
    ) -> Result<Vec<(Service, Date, Score, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT service, day, score, comment FROM evaluation_ratings WHERE unit_id = $1 ORDER BY id",
        )
        .bind(unit)
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok((
                service_of(r)?,
                day_of(r, "day")?,
                score_of(r)?,
                r.try_get("comment")?,
            ))
        })
    }
}
