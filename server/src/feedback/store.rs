//! The feedback tables: cases (诉求) with their current state, every step with who,
//! role, when and a note (全程溯源), corrections of category and place kept as history
//! (越用越准), photos, the handler accounts of each department or grid, and Open311
//! API keys. Every step runs the core loop's [`step`] inside its write transaction, so
//! the database never holds a state the loop cannot reach.

use linli_core::feedback::{
    current, step, Action, Case, Corrected, Correction, Rating, State, StepError, Who,
};
use sqlx::Row;

use crate::store::{digest, map_rows, random_token, Actor, Conn, DbRow, Store, StoreError, Tx};

/// Why a step or a correction was not taken.
#[derive(Debug, thiserror::Error)]
pub enum FeedbackError {
    /// No such case (or not this household's).
    #[error("no such case")]
    NotFound,
    /// The loop refuses the step.
    #[error("step refused: {0:?}")]
    Step(StepError),
    /// A dispatch to a handler config does not list.
    #[error("unknown handler")]
    UnknownHandler,
    /// A category config does not list.
    #[error("unknown category")]
    UnknownCategory,
    /// A correction without its reason, or to the same value.
    #[error("a correction needs a new value and its reason")]
    BadCorrection,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for FeedbackError {
    fn from(e: sqlx::Error) -> FeedbackError {
        FeedbackError::Store(StoreError::from(e))
    }
}

/// A case as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseRow {
    /// 受理编号 (the Open311 `service_request_id`).
    pub id: i64,
    /// The report's submission id (residents' reports).
    pub submission: Option<String>,
    /// The reporting household (residents' reports).
    pub unit_id: Option<i64>,
    /// `resident`, `open311` or `staff`.
    pub source: String,
    /// The category the resident chose.
    pub reported_category: String,
    /// The place the resident gave.
    pub reported_place: String,
    /// The category after corrections: what counts use.
    pub category: String,
    /// The place after corrections.
    pub place: String,
    /// What the resident wrote.
    pub description: String,
    /// The contact phone, normalised (personal: unmasked only to the assigned handler).
    pub phone: Option<String>,
    /// A name given through Open311 (personal).
    pub contact_name: Option<String>,
    /// An email given through Open311 (personal).
    pub email: Option<String>,
    /// WGS84 latitude given through Open311.
    pub lat: Option<f64>,
    /// WGS84 longitude given through Open311.
    pub lon: Option<f64>,
    /// An address given through Open311.
    pub address: Option<String>,
    /// Where it stands.
    pub state: State,
    /// The handler it is dispatched to.
    pub handler: Option<String>,
    /// Times reopened.
    pub reopened: i64,
    /// Times returned by a handler (退单).
    pub returned: i64,
    /// The rating, once rated.
    pub rating: Option<Rating>,
    /// The latest answer to the resident (答复).
    pub reply: String,
    /// When the time limits started (受理; a reopening restarts them), ms.
    pub recorded_at: i64,
    /// When it was first reported (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub updated_at: i64,
    /// When it was closed (办结), ms.
    pub closed_at: Option<i64>,
    /// How many photos it has.
    pub photos: i64,
}

impl CaseRow {
    /// What the loop needs of it.
    pub fn loop_case(&self) -> Case {
        Case {
            state: self.state,
            handler: self.handler.clone(),
            reopened: u32::try_from(self.reopened).unwrap_or(u32::MAX),
            returned: u32::try_from(self.returned).unwrap_or(u32::MAX),
            rating: self.rating,
        }
    }
}

const CASE_COLUMNS: &str = "c.id, c.submission, c.unit_id, c.source, c.reported_category, \
     c.reported_place, c.category, c.place, c.description, c.phone, c.contact_name, c.email, \
     c.lat, c.lon, c.address, c.state, c.handler, c.reopened, c.returned, c.rating, c.reply, \
     c.recorded_at, c.created_at, c.updated_at, c.closed_at, \
     (SELECT COUNT(*) FROM feedback_photos p WHERE p.case_id = c.id) AS photos";

fn case_row(r: &DbRow) -> Result<CaseRow, sqlx::Error> {
    let decode = |col: &str, what: String| sqlx::Error::ColumnDecode {
        index: col.into(),
        source: what.into(),
    };
    let state: String = r.try_get("state")?;
    let rating: Option<String> = r.try_get("rating")?;
    Ok(CaseRow {
        id: r.try_get("id")?,
        submission: r.try_get("submission")?,
        unit_id: r.try_get("unit_id")?,
        source: r.try_get("source")?,
        reported_category: r.try_get("reported_category")?,
        reported_place: r.try_get("reported_place")?,
        category: r.try_get("category")?,
        place: r.try_get("place")?,
        description: r.try_get("description")?,
        phone: r.try_get("phone")?,
        contact_name: r.try_get("contact_name")?,
        email: r.try_get("email")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        address: r.try_get("address")?,
        state: State::from_id(&state).ok_or_else(|| decode("state", state.clone()))?,
        handler: r.try_get("handler")?,
        reopened: r.try_get("reopened")?,
        returned: r.try_get("returned")?,
        rating: match rating {
            None => None,
            Some(id) => Some(Rating::from_id(&id).ok_or_else(|| decode("rating", id.clone()))?),
        },
        reply: r.try_get("reply")?,
        recorded_at: r.try_get("recorded_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        closed_at: r.try_get("closed_at")?,
        photos: r.try_get("photos")?,
    })
}

/// A step of a case's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRow {
    /// Its id.
    pub id: i64,
    /// The case.
    pub case_id: i64,
    /// `report`, `dispatch`, `accept`, `return`, `reply`, `close`, `visit`, `rate`,
    /// `reopen`, `correct`.
    pub action: String,
    /// The state after it.
    pub state: State,
    /// `resident`, `staff`, `handler` or `open311`.
    pub actor_kind: String,
    /// A staff username, `household`, or an Open311 client's name.
    pub actor: String,
    /// The actor's role.
    pub role: String,
    /// The handler dispatched to.
    pub handler: Option<String>,
    /// The handler the knowledge base suggested at a dispatch.
    pub suggested: Option<String>,
    /// The rating given.
    pub rating: Option<String>,
    /// The note (the answer, a return's reason, a correction's why).
    pub note: String,
    /// Shown on the resident's timeline.
    pub public: bool,
    /// When (ms).
    pub at: i64,
}

const STEP_COLUMNS: &str =
    "id, case_id, action, state, actor_kind, actor, role, handler, suggested, rating, note, public, at";

fn step_row(r: &DbRow) -> Result<StepRow, sqlx::Error> {
    let state: String = r.try_get("state")?;
    Ok(StepRow {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        action: r.try_get("action")?,
        state: State::from_id(&state).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "state".into(),
            source: state.clone().into(),
        })?,
        actor_kind: r.try_get("actor_kind")?,
        actor: r.try_get("actor")?,
        role: r.try_get("role")?,
        handler: r.try_get("handler")?,
        suggested: r.try_get("suggested")?,
        rating: r.try_get("rating")?,
        note: r.try_get("note")?,
        public: r.try_get::<i64, _>("public")? != 0,
        at: r.try_get("at")?,
    })
}

/// A new case, from a resident's report, an Open311 client or staff.
#[derive(Clone, Debug, Default)]
pub struct NewCase {
    /// The report's submission id.
    pub submission: Option<String>,
    /// The reporting household.
    pub unit_id: Option<i64>,
    /// `resident`, `open311` or `staff`.
    pub source: &'static str,
    /// A category id of config.
    pub category: String,
    /// A place of config's list, or free text.
    pub place: String,
    /// What is wrong.
    pub description: String,
    /// Normalised contact phone.
    pub phone: Option<String>,
    /// Open311 first and last name.
    pub contact_name: Option<String>,
    /// Open311 email.
    pub email: Option<String>,
    /// Open311 latitude.
    pub lat: Option<f64>,
    /// Open311 longitude.
    pub lon: Option<f64>,
    /// Open311 address.
    pub address: Option<String>,
    /// The Open311 key it came with.
    pub api_key_id: Option<i64>,
    /// JPEGs this server drew again.
    pub photos: Vec<Vec<u8>>,
}

/// The kind of actor a step records, from the audit actor's role.
fn actor_kind(by: &Actor) -> &'static str {
    match by.role.as_str() {
        "resident" => "resident",
        "handler" => "handler",
        "open311" => "open311",
        _ => "staff",
    }
}

/// Records a new case in state 受理 with its photos and its first step, audited.
pub async fn insert_case(
    tx: &mut Tx,
    new: &NewCase,
    by: &Actor,
    now: i64,
) -> Result<i64, StoreError> {
    // Coordinates are written into the statement when absent: sqlx 0.8.6's `Any`
    // driver types a NULL double as PostgreSQL float4 (sqlx-core any/arguments.rs), and
    // a statement first prepared with it refuses a real coordinate later on the same
    // connection. Present, they are bound as float8.
    let coords = new.lat.zip(new.lon);
    let (lat, lon, next) = match coords {
        Some(_) => ("$10", "$11", 12),
        None => ("NULL", "NULL", 10),
    };
    let (address, now_at, key) = (next, next + 1, next + 2);
    let sql = format!(
        "INSERT INTO feedback_cases (submission, unit_id, source, reported_category, \
         reported_place, category, place, description, phone, contact_name, email, lat, lon, \
         address, state, recorded_at, created_at, updated_at, api_key_id) \
         VALUES ($1, $2, $3, $4, $5, $4, $5, $6, $7, $8, $9, {lat}, {lon}, ${address}, \
         'submitted', ${now_at}, ${now_at}, ${now_at}, ${key}) RETURNING id"
    );
    let mut q = sqlx::query(&sql)
        .bind(new.submission.as_deref())
        .bind(new.unit_id)
        .bind(new.source)
        .bind(&new.category)
        .bind(&new.place)
        .bind(&new.description)
        .bind(new.phone.as_deref())
        .bind(new.contact_name.as_deref())
        .bind(new.email.as_deref());
    if let Some((a, b)) = coords {
        q = q.bind(a).bind(b);
    }
    let id: i64 = q
        .bind(new.address.as_deref())
        .bind(now)
        .bind(new.api_key_id)
        .fetch_one(tx.conn())
        .await?
        .try_get("id")?;
    for (n, bytes) in new.photos.iter().enumerate() {
        sqlx::query("INSERT INTO feedback_photos (case_id, n, bytes) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(n as i64)
            .bind(bytes.as_slice())
            .execute(tx.conn())
            .await?;
    }
    add_step(
        tx.conn(),
        id,
        "report",
        State::Submitted,
        by,
        StepExtra::default(),
        now,
    )
    .await?;
    tx.audit(now, by, "feedback.report", &id.to_string())
        .await?;
    Ok(id)
}

/// What a step records besides who and what.
#[derive(Clone, Debug, Default)]
pub struct StepExtra<'a> {
    /// Dispatched to.
    pub handler: Option<&'a str>,
    /// Suggested by the knowledge base.
    pub suggested: Option<&'a str>,
    /// The rating.
    pub rating: Option<Rating>,
    /// The note.
    pub note: &'a str,
    /// Hidden from the resident (a return's reason, a correction).
    pub internal: bool,
}

async fn add_step(
    conn: &mut Conn,
    case_id: i64,
    action: &str,
    state: State,
    by: &Actor,
    extra: StepExtra<'_>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO feedback_steps (case_id, action, state, actor_kind, actor, role, handler, \
         suggested, rating, note, public, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(case_id)
    .bind(action)
    .bind(state.id())
    .bind(actor_kind(by))
    .bind(&by.name)
    .bind(&by.role)
    .bind(extra.handler)
    .bind(extra.suggested)
    .bind(extra.rating.map(Rating::id))
    .bind(extra.note)
    .bind(i64::from(!extra.internal))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A case by id.
pub async fn case(conn: &mut Conn, id: i64) -> Result<Option<CaseRow>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM feedback_cases c WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(case_row).transpose()?)
}

/// A household's case by its report's submission id.
pub async fn case_of_report(
    conn: &mut Conn,
    submission: &str,
    unit_id: i64,
) -> Result<Option<CaseRow>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM feedback_cases c WHERE c.submission = $1 AND c.unit_id = $2"
    ))
    .bind(submission)
    .bind(unit_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(case_row).transpose()?)
}

/// Takes `action` on case `id` as `who` (audited as `by`), by the loop's rule, inside
/// the caller's transaction: the state, handler, counts, rating and answer change
/// together with the step and its audit entry. A 答复 keeps `extra.note` as the answer;
/// a reopening restarts the time limits.
pub async fn take_step(
    tx: &mut Tx,
    id: i64,
    action: &Action,
    who: &Who,
    by: &Actor,
    extra: StepExtra<'_>,
    now: i64,
) -> Result<CaseRow, FeedbackError> {
    let row = case(tx.conn(), id).await?.ok_or(FeedbackError::NotFound)?;
    let next = step(&row.loop_case(), action, who).map_err(FeedbackError::Step)?;
    let reopened = next.reopened > row.loop_case().reopened;
    // A reopened case starts again: its old answer stays in the timeline only.
    let reply = match action {
        Action::Reply => extra.note.to_owned(),
        _ if reopened => String::new(),
        _ => row.reply.clone(),
    };
    let closed_at = match action {
        Action::Close => Some(now),
        _ if reopened => None,
        _ => row.closed_at,
    };
    sqlx::query(
        "UPDATE feedback_cases SET state = $1, handler = $2, reopened = $3, returned = $4, \
         rating = $5, reply = $6, closed_at = $7, recorded_at = $8, updated_at = $9 \
         WHERE id = $10",
    )
    .bind(next.state.id())
    .bind(next.handler.as_deref())
    .bind(i64::from(next.reopened))
    .bind(i64::from(next.returned))
    .bind(next.rating.map(Rating::id))
    .bind(&reply)
    .bind(closed_at)
    .bind(if reopened { now } else { row.recorded_at })
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    let handler = match action {
        Action::Dispatch { to } => Some(to.as_str()),
        _ => extra.handler,
    };
    let internal = extra.internal || matches!(action, Action::Return { .. });
    let rating = match action {
        Action::Rate(r) => Some(*r),
        _ => None,
    };
    add_step(
        tx.conn(),
        id,
        action.id(),
        next.state,
        by,
        StepExtra {
            handler,
            rating,
            internal,
            ..extra
        },
        now,
    )
    .await?;
    tx.audit(
        now,
        by,
        &format!("feedback.{}", action.id()),
        &id.to_string(),
    )
    .await?;
    case(tx.conn(), id).await?.ok_or(FeedbackError::NotFound)
}

/// A case's corrections, oldest first.
pub async fn corrections(conn: &mut Conn, id: i64) -> Result<Vec<Correction>, StoreError> {
    let rows = sqlx::query(
        "SELECT field, before_value, after_value, reason, by_name, at \
         FROM feedback_corrections WHERE case_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    map_rows(&rows, |r| {
        let field: String = r.try_get("field")?;
        Ok(Correction {
            field: if field == "place" {
                Corrected::Place
            } else {
                Corrected::Category
            },
            before: r.try_get("before_value")?,
            after: r.try_get("after_value")?,
            by: r.try_get("by_name")?,
            why: r.try_get("reason")?,
            at: r.try_get("at")?,
        })
    })
}

/// Corrects a case's category or place (front-line staff), keeping the correction in
/// its history with who, when and why; the case's current value is what the history
/// gives ([`current`]), so counts use the corrected one (越用越准).
pub async fn correct(
    tx: &mut Tx,
    id: i64,
    field: Corrected,
    after: &str,
    reason: &str,
    by: &Actor,
    now: i64,
) -> Result<(), FeedbackError> {
    let row = case(tx.conn(), id).await?.ok_or(FeedbackError::NotFound)?;
    let (before, reported, column, name) = match field {
        Corrected::Category => (
            &row.category,
            &row.reported_category,
            "category",
            "category",
        ),
        Corrected::Place => (&row.place, &row.reported_place, "place", "place"),
    };
    if after.is_empty() || reason.trim().is_empty() || after == before.as_str() {
        return Err(FeedbackError::BadCorrection);
    }
    sqlx::query(
        "INSERT INTO feedback_corrections (case_id, field, before_value, after_value, reason, \
         by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(name)
    .bind(before)
    .bind(after)
    .bind(reason.trim())
    .bind(&by.name)
    .bind(now)
    .execute(tx.conn())
    .await?;
    let history = corrections(tx.conn(), id).await?;
    let now_value = current(reported, field, &history);
    sqlx::query(&format!(
        "UPDATE feedback_cases SET {column} = $1, updated_at = $2 WHERE id = $3"
    ))
    .bind(&now_value)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    let note = format!("{name}: {before} → {now_value} ({})", reason.trim());
    add_step(
        tx.conn(),
        id,
        "correct",
        row.state,
        by,
        StepExtra {
            note: &note,
            internal: true,
            ..StepExtra::default()
        },
        now,
    )
    .await?;
    tx.audit(now, by, "feedback.correct", &id.to_string())
        .await?;
    Ok(())
}

/// The steps of some cases, oldest first.
pub async fn steps_of(conn: &mut Conn, ids: &[i64]) -> Result<Vec<StepRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(&format!(
        "SELECT {STEP_COLUMNS} FROM feedback_steps WHERE case_id IN ({list}) ORDER BY case_id, id"
    ))
    .fetch_all(conn)
    .await?;
    map_rows(&rows, step_row)
}

/// Which cases a list shows.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    /// Only these states (any when empty).
    pub states: Vec<State>,
    /// Newest reported first (else the oldest recorded first).
    pub newest_first: bool,
    /// Only this handler's (a handler account sees nothing else).
    pub handler: Option<String>,
    /// Only those changed since (ms).
    pub updated_since: Option<i64>,
    /// Only those reported from (ms).
    pub from: Option<i64>,
    /// Only those reported before (ms).
    pub to: Option<i64>,
    /// Only this category.
    pub category: Option<String>,
    /// Only these ids.
    pub ids: Vec<i64>,
}

/// The most cases a list carries.
pub const LIST_LIMIT: i64 = 1_000;

/// Erased text in place of what a household wrote, once its data is erased.
pub const ERASED: &str = "—";

impl Store {
    /// Cases by `filter`, oldest recorded first, at most `limit`.
    pub async fn feedback_cases(
        &self,
        filter: &CaseFilter,
        limit: i64,
    ) -> Result<Vec<CaseRow>, StoreError> {
        let mut conn = self.read().await?;
        let mut sql = format!("SELECT {CASE_COLUMNS} FROM feedback_cases c WHERE 1 = 1");
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        let mut texts: Vec<String> = Vec::new();
        if !filter.states.is_empty() {
            // State ids are the loop's own constants, never input.
            let list = filter
                .states
                .iter()
                .map(|s| format!("'{}'", s.id()))
                .collect::<Vec<_>>()
                .join(", ");
            sql.push_str(&format!(" AND c.state IN ({list})"));
        }
        if let Some(h) = &filter.handler {
            let i = next();
            sql.push_str(&format!(" AND c.handler = ${i}"));
            texts.push(h.clone());
        }
        if let Some(cat) = &filter.category {
            let i = next();
            sql.push_str(&format!(" AND c.category = ${i}"));
            texts.push(cat.clone());
        }
        // Numbers are written into the statement: they are integers, never text.
        if let Some(t) = filter.updated_since {
            sql.push_str(&format!(" AND c.updated_at >= {t}"));
        }
        if let Some(t) = filter.from {
            sql.push_str(&format!(" AND c.created_at >= {t}"));
        }
        if let Some(t) = filter.to {
            sql.push_str(&format!(" AND c.created_at < {t}"));
        }
        if !filter.ids.is_empty() {
            let list = filter
                .ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            sql.push_str(&format!(" AND c.id IN ({list})"));
        }
        sql.push_str(&format!(
            " ORDER BY c.recorded_at, c.id LIMIT {}",
            limit.clamp(1, LIST_LIMIT)
        ));
        let mut q = sqlx::query(&sql);
        for t in &texts {
            q = q.bind(t);
        }
        let rows = q.fetch_all(&mut *conn).await?;
        map_rows(&rows, case_row)
    }

    /// Cases per state, for the inbox's tabs (a handler's own when `handler` is set).
    pub async fn feedback_counts(
        &self,
        handler: Option<&str>,
    ) -> Result<Vec<(State, i64)>, StoreError> {
        let mut conn = self.read().await?;
        let rows = match handler {
            Some(h) => sqlx::query(
                "SELECT state, COUNT(*) AS n FROM feedback_cases WHERE handler = $1 GROUP BY state",
            )
            .bind(h)
            .fetch_all(&mut *conn)
            .await?,
            None => {
                sqlx::query("SELECT state, COUNT(*) AS n FROM feedback_cases GROUP BY state")
                    .fetch_all(&mut *conn)
                    .await?
            }
        };
        let pairs = map_rows(&rows, |r| {
            Ok((r.try_get::<String, _>("state")?, r.try_get::<i64, _>("n")?))
        })?;
        Ok(pairs
            .into_iter()
            .filter_map(|(s, n)| State::from_id(&s).map(|s| (s, n)))
            .collect())
    }

    /// A case by id.
    pub async fn feedback_case(&self, id: i64) -> Result<Option<CaseRow>, StoreError> {
        case(&mut *self.read().await?, id).await
    }

    /// A case's steps, oldest first.
    pub async fn feedback_steps(&self, id: i64) -> Result<Vec<StepRow>, StoreError> {
        steps_of(&mut *self.read().await?, &[id]).await
    }

    /// A case's corrections, oldest first.
    pub async fn feedback_corrections(&self, id: i64) -> Result<Vec<Correction>, StoreError> {
        corrections(&mut *self.read().await?, id).await
    }

    /// Photo `n` of case `id` (a JPEG).
    pub async fn feedback_photo(&self, id: i64, n: i64) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query("SELECT bytes FROM feedback_photos WHERE case_id = $1 AND n = $2")
            .bind(id)
            .bind(n)
            .fetch_optional(&mut *self.read().await?)
            .await?;
        Ok(row.map(|r| r.try_get("bytes")).transpose()?)
    }

    /// A household's cases, newest first, at most `limit`, with their steps.
    pub async fn feedback_household(
        &self,
        unit_id: i64,
        limit: i64,
    ) -> Result<(Vec<CaseRow>, Vec<StepRow>), StoreError> {
        let mut conn = self.read().await?;
        let rows = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM feedback_cases c WHERE c.unit_id = $1 \
             ORDER BY c.id DESC LIMIT {limit}"
        ))
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?;
        let cases = map_rows(&rows, case_row)?;
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        let steps = steps_of(&mut conn, &ids).await?;
        Ok((cases, steps))
    }

    /// The closed cases the knowledge base learns from (办结 or later, with the handler
    /// that answered), newest first, at most `limit`.
    pub async fn feedback_closed(&self, limit: i64) -> Result<Vec<CaseRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM feedback_cases c \
             WHERE c.state IN ('closed', 'visited', 'rated') AND c.handler IS NOT NULL \
             ORDER BY c.closed_at DESC, c.id DESC LIMIT {limit}"
        ))
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, case_row)
    }

    /// Every dispatch's chosen handler and the knowledge base's suggestion at the time:
    /// the measure of how often the suggestion is taken.
    pub async fn feedback_dispatches(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT handler, suggested FROM feedback_steps \
             WHERE action = 'dispatch' AND suggested IS NOT NULL AND handler IS NOT NULL",
        )
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok((r.try_get("handler")?, r.try_get("suggested")?))
        })
    }

    /// Every rating residents gave since `since` (ms), from the steps: a 不满意 reopens
    /// its case, so the cases themselves keep only the ratings that stood.
    pub async fn feedback_ratings(&self, since: i64) -> Result<Vec<Rating>, StoreError> {
        let rows = sqlx::query(
            "SELECT rating FROM feedback_steps WHERE action = 'rate' AND rating IS NOT NULL AND at >= $1",
        )
        .bind(since)
        .fetch_all(&mut *self.read().await?)
        .await?;
        let ids = map_rows(&rows, |r| r.try_get::<String, _>("rating"))?;
        Ok(ids.iter().filter_map(|id| Rating::from_id(id)).collect())
    }

    /// Every rating of the loop from `from` to `to` (ms, `to` excluded): the
    /// resident's own (评价) and those given on the follow-up call (回访), with when.
    pub async fn feedback_rated(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, Rating)>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, rating FROM feedback_steps WHERE action IN ('rate', 'visit') \
             AND rating IS NOT NULL AND at >= $1 AND at < $2 ORDER BY at",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut *self.read().await?)
        .await?;
        let list = map_rows(&rows, |r| {
            Ok((
                r.try_get::<i64, _>("at")?,
                r.try_get::<String, _>("rating")?,
            ))
        })?;
        Ok(list
            .into_iter()
            .filter_map(|(at, id)| Rating::from_id(&id).map(|r| (at, r)))
            .collect())
    }

    /// What the knowledge base is built from has changed when this has: (closed cases,
    /// the latest change to one).
    pub async fn feedback_closed_mark(&self) -> Result<(i64, i64), StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, CAST(COALESCE(MAX(updated_at), 0) AS BIGINT) AS at FROM feedback_cases \
             WHERE state IN ('closed', 'visited', 'rated')",
        )
        .fetch_one(&mut *self.read().await?)
        .await?;
        Ok((row.try_get("n")?, row.try_get("at")?))
    }

    /// The handler (department or grid) a handler account works for.
    pub async fn feedback_member(&self, staff_id: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT handler FROM feedback_members WHERE staff_id = $1")
            .bind(staff_id)
            .fetch_optional(&mut *self.read().await?)
            .await?;
        Ok(row.map(|r| r.try_get("handler")).transpose()?)
    }

    /// Every handler account's handler: (staff id, username, handler).
    pub async fn feedback_members(&self) -> Result<Vec<(i64, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.staff_id, s.username, m.handler FROM feedback_members m \
             JOIN staff s ON s.id = m.staff_id ORDER BY s.username",
        )
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok((
                r.try_get("staff_id")?,
                r.try_get("username")?,
                r.try_get("handler")?,
            ))
        })
    }

    /// Makes a handler account work for `handler` (or for none), audited.
    pub async fn set_feedback_member(
        &self,
        staff_id: i64,
        handler: Option<&str>,
        by: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            sqlx::query("DELETE FROM feedback_members WHERE staff_id = $1")
                .bind(staff_id)
                .execute(tx.conn())
                .await?;
            if let Some(h) = handler {
                sqlx::query(
                    "INSERT INTO feedback_members (staff_id, handler, by_name, at) VALUES ($1, $2, $3, $4)",
                )
                .bind(staff_id)
                .bind(h)
                .bind(&by.name)
                .bind(now)
                .execute(tx.conn())
                .await?;
            }
            tx.audit(
                now,
                by,
                "feedback.member",
                &format!("{staff_id}:{}", handler.unwrap_or("-")),
            )
            .await
        })
        .await
    }

    /// Issues an Open311 API key to a machine client: the key, shown once; only its
    /// digest is kept.
    pub async fn create_open311_key(
        &self,
        name: &str,
        by: &Actor,
        now: i64,
    ) -> Result<String, StoreError> {
        let key = random_token()?;
        let hash = digest(&key);
        self.write_tx(async |tx| {
            let id: i64 = sqlx::query(
                "INSERT INTO open311_keys (name, key_hash, created_by, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(name)
            .bind(&hash)
            .bind(&by.name)
            .bind(now)
            .fetch_one(tx.conn())
            .await?
            .try_get("id")?;
            tx.audit(now, by, "open311.key_create", &id.to_string())
                .await
        })
        .await?;
        Ok(key)
    }

    /// Revokes an Open311 key, audited.
    pub async fn revoke_open311_key(
        &self,
        id: i64,
        by: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            sqlx::query(
                "UPDATE open311_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
            tx.audit(now, by, "open311.key_revoke", &id.to_string())
                .await
        })
        .await
    }

    /// The Open311 keys: (id, client name, issued by, issued at, revoked at).
    pub async fn open311_keys(
        &self,
    ) -> Result<Vec<(i64, String, String, i64, Option<i64>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_by, created_at, revoked_at FROM open311_keys ORDER BY id",
        )
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok((
                r.try_get("id")?,
                r.try_get("name")?,
                r.try_get("created_by")?,
                r.try_get("created_at")?,
                r.try_get("revoked_at")?,
            ))
        })
    }

    /// The client an Open311 key belongs to, while it is not revoked: (id, name).
    pub async fn open311_client(&self, key: &str) -> Result<Option<(i64, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        )
        .bind(digest(key))
        .fetch_optional(&mut *self.read().await?)
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("id")?, r.try_get("name")?)))
            .transpose()?)
    }
}

/// Removes a household's personal data from its reports (erasure): what it wrote, its
/// phone and photos, its own words on the timeline and the call-back notes, the link
/// to its submissions, and a place in its own words (kept as its building when it is
/// not one of `places`, the deployment's list). The cases stay, without the
/// household, for the statistics.
pub async fn erase_household(
    tx: &mut Tx,
    unit: i64,
    places: &[String],
    now: i64,
) -> Result<(), StoreError> {
    let rows =
        sqlx::query("SELECT id, place, reported_place FROM feedback_cases WHERE unit_id = $1")
            .bind(unit)
            .fetch_all(tx.conn())
            .await?;
    let cases = map_rows(&rows, |r| {
        Ok((
            r.try_get::<i64, _>("id")?,
            r.try_get::<String, _>("place")?,
            r.try_get::<String, _>("reported_place")?,
        ))
    })?;
    let listed = |p: &str| {
        if places.iter().any(|x| x == p) {
            p.to_owned()
        } else {
            crate::voting::store::building_of(p)
        }
    };
    for (id, place, reported) in &cases {
        sqlx::query("DELETE FROM feedback_photos WHERE case_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "UPDATE feedback_cases SET description = $1, phone = NULL, unit_id = NULL, \
             submission = NULL, place = $2, reported_place = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(ERASED)
        .bind(listed(place))
        .bind(listed(reported))
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
        sqlx::query(
            "UPDATE feedback_steps SET actor = 'household', note = '' WHERE case_id = $1 \
             AND (actor_kind = 'resident' OR action IN ('visit', 'correct'))",
        )
        .bind(id)
        .execute(tx.conn())
        .await?;
        let fixes = sqlx::query(
            "SELECT id, before_value, after_value FROM feedback_corrections \
             WHERE case_id = $1 AND field = 'place'",
        )
        .bind(id)
        .fetch_all(tx.conn())
        .await?;
        let fixes = map_rows(&fixes, |r| {
            Ok((
                r.try_get::<i64, _>("id")?,
                r.try_get::<String, _>("before_value")?,
                r.try_get::<String, _>("after_value")?,
            ))
        })?;
        for (fix, before, after) in fixes {
            sqlx::query(
                "UPDATE feedback_corrections SET before_value = $1, after_value = $2 WHERE id = $3",
            )
            .bind(listed(&before))
            .bind(listed(&after))
            .bind(fix)
            .execute(tx.conn())
            .await?;
        }
    }
    Ok(())
}
