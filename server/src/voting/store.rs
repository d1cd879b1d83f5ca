//! The voting tables: votes, their rosters and corrections, ballots (one per owner per
//! vote: the primary key of `vote_ballots`) and the deliberation's comments. Every
//! change is made in a write transaction holding the audit chain's lock and audited.

use linli_core::json::{self, Value};
use linli_core::voting::{
    ballot_counts, tally, AssemblyRules, Ballot, BoardComment, BoardVote, Choice, ListedBallot,
    Matter, MyBallot, OwnerKey, Stage, Tally, TallyError, Turnout, Unit, VoteResult, VotingBoard,
    Window,
};
use linli_core::Lang;
use sqlx::Row;

use crate::store::{
    map_rows, readable_code, unit_label, Actor, Conn, DbRow, Store, StoreError, Tx,
};

/// Characters of a ballot's receipt code (of 31 unmistakable letters and digits: ~50
/// bits, unguessable for anyone checking the published list).
pub const RECEIPT_LEN: usize = 10;
/// The most votes a household's board lists (newest first).
const BOARD_VOTES: i64 = 50;

/// A vote as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteRow {
    /// Id.
    pub id: i64,
    /// Title (≤ 80 characters).
    pub title: String,
    /// The proposal with its attachments' text (≤ 20,000 characters).
    pub body: String,
    /// The matter of art. 278(1).
    pub matter: Matter,
    /// Where it stands.
    pub stage: Stage,
    /// The published list shows receipts, not units.
    pub secret: bool,
    /// Owners may change their ballot until the close.
    pub changes_allowed: bool,
    /// The assembly's rule that silent owners follow the majority (a separate line).
    pub silent_follow: bool,
    /// Voting window (0 until voting opens) and grace.
    pub window: Window,
    /// Who created it.
    pub created_by: String,
    /// When (ms).
    pub created_at: i64,
    /// The tally's JSON (`tally_json`), once published.
    pub result: Option<String>,
    /// When it was published (ms).
    pub published_at: Option<i64>,
}

impl VoteRow {
    /// The assembly's own rules for the tally.
    pub fn rules(&self) -> AssemblyRules {
        AssemblyRules {
            silent_follow_majority: self.silent_follow,
        }
    }

    /// Whether the matter, text, options and roster may still change: before voting.
    pub fn editable(&self) -> bool {
        self.stage < Stage::Voting
    }
}

/// A vote as staff create it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewVote {
    /// Title.
    pub title: String,
    /// The proposal.
    pub body: String,
    /// The matter.
    pub matter: Matter,
    /// Secret ballot.
    pub secret: bool,
    /// Changes allowed until the close.
    pub changes_allowed: bool,
    /// The assembly's rule on silent owners.
    pub silent_follow: bool,
    /// Grace after the close (ms).
    pub grace_ms: i64,
}

/// A ballot as stored: the owner's one ballot on a vote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotRow {
    /// The owner it counts for (`n:<name>`, `developer`).
    pub owner_key: String,
    /// The roster unit it was cast through.
    pub unit: String,
    /// The choice.
    pub choice: Choice,
    /// `online` or `paper`.
    pub source: String,
    /// Its receipt code.
    pub receipt: String,
    /// When the device made it (ms; paper: when entered).
    pub made_at: i64,
    /// When the server received it (ms).
    pub received_at: i64,
    /// Arrived within the grace after the close.
    pub late: bool,
    /// Who entered it (paper).
    pub entered_by: Option<String>,
    /// Why staff replaced the owner's earlier ballot with this paper one.
    pub replace_reason: Option<String>,
    /// How many times it was changed.
    pub changes: i64,
}

/// A correction of the roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// The unit.
    pub unit: String,
    /// `area` or `owner`.
    pub field: String,
    /// Before and after, as written (areas in m²).
    pub before: String,
    /// After.
    pub after: String,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
    /// When (ms).
    pub at: i64,
}

/// A paper ballot as staff enter it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paper<'a> {
    /// The roster unit whose owner marked it.
    pub unit: &'a str,
    /// The choice marked.
    pub choice: Choice,
    /// When it was collected (ms): before the close.
    pub collected_at: i64,
    /// Why it replaces the owner's existing ballot (≤ 100 characters), if it does.
    pub replace: Option<&'a str>,
}

/// A correction staff make to a unit of the roster before voting opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RosterFix<'a> {
    /// The unit as the roster names it.
    pub unit: &'a str,
    /// Its corrected 专有部分面积 (0.01 m²), if corrected.
    pub area: Option<u64>,
    /// Its corrected owner, if corrected.
    pub owner: Option<&'a str>,
    /// Why (kept with who and when).
    pub reason: &'a str,
}

/// A comment with its author's household and staff name, for staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentRow {
    /// As owners see it.
    pub comment: BoardComment,
    /// The household that wrote it.
    pub unit_id: Option<i64>,
}

/// Why a staff action on a vote is refused.
#[derive(Debug)]
pub enum VoteError {
    /// The vote is past the stage where this may be done.
    Frozen,
    /// The roster is empty: voting cannot open.
    NoRoster,
    /// The window is impossible (closes before it opens, or in the past).
    BadWindow,
    /// The window and its grace have not passed: ballots may still arrive.
    StillOpen,
    /// The stage does not allow it.
    WrongStage,
    /// No such unit on the roster.
    UnknownUnit,
    /// No such comment on the vote.
    UnknownComment,
    /// The owner has a ballot already (paper after online, or a second paper).
    HasBallot(BallotRow),
    /// The tally cannot be made.
    Tally(TallyError),
    /// Storage.
    Store(StoreError),
}

impl From<StoreError> for VoteError {
    fn from(e: StoreError) -> VoteError {
        VoteError::Store(e)
    }
}

impl From<sqlx::Error> for VoteError {
    fn from(e: sqlx::Error) -> VoteError {
        VoteError::Store(e.into())
    }
}

/// The stored key of the owner a unit counts towards.
pub fn owner_key(unit: &Unit) -> String {
    match unit.owner_key() {
        OwnerKey::Named(name) => format!("n:{name}"),
        OwnerKey::Developer => "developer".into(),
    }
}

/// The building of a unit's label (`3幢2单元401` → `3幢`), for turnout by building
/// and for naming a comment's author without naming the household. The text up to
/// the first 幢, 栋 or 号楼, or before the first `-`; the whole label otherwise.
pub fn building_of(label: &str) -> String {
    for mark in ["幢", "栋", "号楼"] {
        if let Some(i) = label.find(mark) {
            return label[..i + mark.len()].to_owned();
        }
    }
    match label.split_once('-') {
        Some((b, _)) if !b.is_empty() => b.to_owned(),
        _ => label.to_owned(),
    }
}

fn flag(r: &DbRow, col: &str) -> Result<bool, sqlx::Error> {
    Ok(r.try_get::<i64, _>(col)? != 0)
}

fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(StoreError::corrupt(what, detail).to_string().into())
}

const VOTE_COLUMNS: &str = "id, title, body, matter, stage, secret, changes_allowed, \
    silent_follow, grace_ms, opens_at, closes_at, created_by, created_at, result, published_at";

fn vote_row(r: &DbRow) -> Result<VoteRow, sqlx::Error> {
    let matter: i64 = r.try_get("matter")?;
    let stage: String = r.try_get("stage")?;
    Ok(VoteRow {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        matter: u8::try_from(matter)
            .ok()
            .and_then(Matter::from_item)
            .ok_or_else(|| corrupt("matter", matter))?,
        stage: Stage::from_id(&stage).ok_or_else(|| corrupt("stage", &stage))?,
        secret: flag(r, "secret")?,
        changes_allowed: flag(r, "changes_allowed")?,
        silent_follow: flag(r, "silent_follow")?,
        window: Window {
            opens_at: r.try_get("opens_at")?,
            closes_at: r.try_get("closes_at")?,
            grace_ms: r.try_get("grace_ms")?,
        },
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        result: r.try_get("result")?,
        published_at: r.try_get("published_at")?,
    })
}

const BALLOT_COLUMNS: &str = "owner_key, unit, choice, source, receipt, made_at, received_at, \
    late, entered_by, replace_reason, changes";

fn ballot_row(r: &DbRow) -> Result<BallotRow, sqlx::Error> {
    let choice: String = r.try_get("choice")?;
    Ok(BallotRow {
        owner_key: r.try_get("owner_key")?,
        unit: r.try_get("unit")?,
        choice: Choice::parse(&choice).ok_or_else(|| corrupt("choice", &choice))?,
        source: r.try_get("source")?,
        receipt: r.try_get("receipt")?,
        made_at: r.try_get("made_at")?,
        received_at: r.try_get("received_at")?,
        late: flag(r, "late")?,
        entered_by: r.try_get("entered_by")?,
        replace_reason: r.try_get("replace_reason")?,
        changes: r.try_get("changes")?,
    })
}

fn roster_row(r: &DbRow) -> Result<Unit, sqlx::Error> {
    Ok(Unit {
        unit: r.try_get("unit")?,
        owner: r.try_get("owner")?,
        area: u64::try_from(r.try_get::<i64, _>("area")?).map_err(|e| corrupt("area", e))?,
        developer_held: flag(r, "developer_held")?,
    })
}

/// A vote by id.
pub async fn vote(conn: &mut Conn, id: i64) -> Result<Option<VoteRow>, StoreError> {
    let row = sqlx::query(&format!("SELECT {VOTE_COLUMNS} FROM votes WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.as_ref().map(vote_row).transpose()?)
}

/// A vote that must exist, inside a write transaction.
async fn vote_in(tx: &mut Tx, id: i64) -> Result<VoteRow, StoreError> {
    vote(tx.conn(), id)
        .await?
        .ok_or(StoreError::NotFound("vote"))
}

/// The roster of a vote, in its file's order.
pub async fn roster(conn: &mut Conn, vote: i64) -> Result<Vec<Unit>, StoreError> {
    let rows = sqlx::query(
        "SELECT unit, owner, area, developer_held FROM vote_roster WHERE vote_id = $1 ORDER BY line",
    )
    .bind(vote)
    .fetch_all(&mut *conn)
    .await?;
    map_rows(&rows, roster_row)
}

/// One unit of a vote's roster.
pub async fn roster_unit(
    conn: &mut Conn,
    vote: i64,
    unit: &str,
) -> Result<Option<Unit>, StoreError> {
    let row = sqlx::query(
        "SELECT unit, owner, area, developer_held FROM vote_roster WHERE vote_id = $1 AND unit = $2",
    )
    .bind(vote)
    .bind(unit)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.as_ref().map(roster_row).transpose()?)
}

/// Every ballot of a vote, by unit.
pub async fn ballots(conn: &mut Conn, vote: i64) -> Result<Vec<BallotRow>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {BALLOT_COLUMNS} FROM vote_ballots WHERE vote_id = $1 ORDER BY unit"
    ))
    .bind(vote)
    .fetch_all(&mut *conn)
    .await?;
    map_rows(&rows, ballot_row)
}

/// The owner's ballot on a vote.
pub async fn ballot_of(
    conn: &mut Conn,
    vote: i64,
    owner_key: &str,
) -> Result<Option<BallotRow>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {BALLOT_COLUMNS} FROM vote_ballots WHERE vote_id = $1 AND owner_key = $2"
    ))
    .bind(vote)
    .bind(owner_key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.as_ref().map(ballot_row).transpose()?)
}

/// Participation so far: owners with a ballot and their units' area, of all.
pub async fn turnout(conn: &mut Conn, vote: i64) -> Result<Turnout, StoreError> {
    let all = sqlx::query(
        "SELECT COUNT(DISTINCT owner_key) AS owners, CAST(COALESCE(SUM(area), 0) AS BIGINT) AS area \
         FROM vote_roster WHERE vote_id = $1",
    )
    .bind(vote)
    .fetch_one(&mut *conn)
    .await?;
    let took = sqlx::query(
        "SELECT COUNT(DISTINCT owner_key) AS owners, CAST(COALESCE(SUM(area), 0) AS BIGINT) AS area \
         FROM vote_roster WHERE vote_id = $1 \
         AND owner_key IN (SELECT owner_key FROM vote_ballots WHERE vote_id = $1)",
    )
    .bind(vote)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Turnout {
        owners: took.try_get("owners")?,
        of_owners: all.try_get("owners")?,
        area: took.try_get("area")?,
        of_area: all.try_get("area")?,
    })
}

/// The tally of a vote now: the core function over its roster and ballots (each
/// ballot named by its receipt).
pub async fn tally_of(conn: &mut Conn, vote: &VoteRow) -> Result<Tally, VoteError> {
    let roster = roster(conn, vote.id).await?;
    let cast: Vec<Ballot> = ballots(conn, vote.id)
        .await?
        .into_iter()
        .map(|b| Ballot {
            unit: b.unit,
            choice: b.choice,
            source: b.receipt,
        })
        .collect();
    tally(vote.matter, &roster, &cast, vote.rules()).map_err(VoteError::Tally)
}

/// A new receipt code, unused on this vote.
async fn new_receipt(conn: &mut Conn, vote: i64) -> Result<String, StoreError> {
    loop {
        let code = readable_code(RECEIPT_LEN)?;
        let taken = sqlx::query("SELECT 1 FROM vote_ballots WHERE vote_id = $1 AND receipt = $2")
            .bind(vote)
            .bind(&code)
            .fetch_optional(&mut *conn)
            .await?
            .is_some();
        if !taken {
            return Ok(code);
        }
    }
}

/// A ballot to record for an owner.
pub struct Cast<'a> {
    /// The vote.
    pub vote: i64,
    /// The roster unit it is cast through.
    pub unit: &'a Unit,
    /// The choice.
    pub choice: Choice,
    /// `online` or `paper`.
    pub source: &'static str,
    /// When made (ms).
    pub made_at: i64,
    /// When received (ms).
    pub received_at: i64,
    /// Within the grace after the close.
    pub late: bool,
    /// The submission that carried it (online).
    pub submission: Option<&'a str>,
    /// Who entered it (paper).
    pub entered_by: Option<&'a str>,
    /// Why it replaces the owner's earlier ballot (paper, by staff).
    pub replace_reason: Option<&'a str>,
}

/// Records `cast` as its owner's ballot: a new row, or (`replace`) the owner's
/// existing one changed, keeping its receipt and counting the change. Answers the
/// ballot as stored. The caller has checked the rules; the primary key (vote, owner)
/// is the database's word that an owner has one ballot.
pub async fn record_ballot(
    tx: &mut Tx,
    cast: Cast<'_>,
    existing: Option<&BallotRow>,
    by: &Actor,
    now: i64,
) -> Result<BallotRow, StoreError> {
    let key = owner_key(cast.unit);
    let conn = tx.conn();
    let action = match existing {
        Some(_) => {
            sqlx::query(
                "UPDATE vote_ballots SET unit = $1, choice = $2, source = $3, made_at = $4, \
                 received_at = $5, late = $6, submission = $7, entered_by = $8, \
                 replace_reason = $9, changes = changes + 1 WHERE vote_id = $10 AND owner_key = $11",
            )
            .bind(&cast.unit.unit)
            .bind(cast.choice.id())
            .bind(cast.source)
            .bind(cast.made_at)
            .bind(cast.received_at)
            .bind(i64::from(cast.late))
            .bind(cast.submission)
            .bind(cast.entered_by)
            .bind(cast.replace_reason)
            .bind(cast.vote)
            .bind(&key)
            .execute(&mut *conn)
            .await?;
            "vote.ballot_change"
        }
        None => {
            let receipt = new_receipt(conn, cast.vote).await?;
            sqlx::query(
                "INSERT INTO vote_ballots (vote_id, owner_key, unit, choice, source, receipt, \
                 made_at, received_at, late, submission, entered_by, changes) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0)",
            )
            .bind(cast.vote)
            .bind(&key)
            .bind(&cast.unit.unit)
            .bind(cast.choice.id())
            .bind(cast.source)
            .bind(&receipt)
            .bind(cast.made_at)
            .bind(cast.received_at)
            .bind(i64::from(cast.late))
            .bind(cast.submission)
            .bind(cast.entered_by)
            .execute(&mut *conn)
            .await?;
            "vote.ballot"
        }
    };
    let action = if cast.source == "paper" {
        match existing {
            Some(_) => "vote.paper_replace",
            None => "vote.paper",
        }
    } else {
        action
    };
    // The unit, never the choice: a secret vote's audit log says who voted, not how.
    tx.audit(
        now,
        by,
        action,
        &format!("vote:{} unit:{}", cast.vote, cast.unit.unit),
    )
    .await?;
    ballot_of(tx.conn(), cast.vote, &key)
        .await?
        .ok_or(StoreError::NotFound("ballot"))
}

/// Adds a comment (a household's, or staff's reply) to a vote's deliberation.
pub async fn add_comment(
    tx: &mut Tx,
    vote: i64,
    author: (Option<i64>, Option<&str>),
    building: &str,
    text: &str,
    reply_to: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let (unit_id, staff) = author;
    let row = sqlx::query(
        "INSERT INTO vote_comments (vote_id, unit_id, staff, building, text, reply_to, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(vote)
    .bind(unit_id)
    .bind(staff)
    .bind(building)
    .bind(text)
    .bind(reply_to)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    let id: i64 = row.try_get("id")?;
    let by = match (unit_id, staff) {
        (Some(u), _) => Actor::unit(u),
        (None, Some(s)) => Actor {
            name: s.to_owned(),
            role: "staff".into(),
        },
        _ => Actor::system(),
    };
    tx.audit(
        now,
        &by,
        "vote.comment",
        &format!("vote:{vote} comment:{id}"),
    )
    .await?;
    Ok(id)
}

/// How many comments a household has posted on a vote.
pub async fn comments_by(conn: &mut Conn, vote: i64, unit_id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM vote_comments WHERE vote_id = $1 AND unit_id = $2",
        )
        .bind(vote)
        .bind(unit_id)
        .fetch_one(&mut *conn)
        .await?,
    )
}

/// Whether a comment is on a vote.
pub async fn comment_on(conn: &mut Conn, vote: i64, id: i64) -> Result<bool, StoreError> {
    Ok(
        sqlx::query("SELECT 1 FROM vote_comments WHERE vote_id = $1 AND id = $2")
            .bind(vote)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}

/// A vote's comments (the newest [`linli_core::voting::MAX_COMMENTS_SHOWN`]), oldest
/// first, as `viewer` (a household) sees them.
pub async fn comments(
    conn: &mut Conn,
    vote: i64,
    viewer: Option<i64>,
) -> Result<Vec<CommentRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, unit_id, staff, building, text, reply_to, created_at FROM (\
         SELECT * FROM vote_comments WHERE vote_id = $1 ORDER BY id DESC LIMIT $2) AS newest \
         ORDER BY id",
    )
    .bind(vote)
    .bind(linli_core::voting::MAX_COMMENTS_SHOWN)
    .fetch_all(&mut *conn)
    .await?;
    map_rows(&rows, |r| {
        let unit_id: Option<i64> = r.try_get("unit_id")?;
        let staff: Option<String> = r.try_get("staff")?;
        Ok(CommentRow {
            comment: BoardComment {
                id: r.try_get("id")?,
                author: r.try_get("building")?,
                text: r.try_get("text")?,
                at: r.try_get("created_at")?,
                reply_to: r.try_get("reply_to")?,
                staff: staff.is_some(),
                mine: viewer.is_some() && unit_id == viewer,
            },
            unit_id,
        })
    })
}

/// The published list: named votes by unit, secret votes by receipt (sorted, so the
/// list gives away no order of casting).
pub fn listed(vote: &VoteRow, ballots: &[BallotRow]) -> Vec<ListedBallot> {
    let mut list: Vec<ListedBallot> = ballots
        .iter()
        .map(|b| ListedBallot {
            unit: if vote.secret {
                String::new()
            } else {
                b.unit.clone()
            },
            receipt: if vote.secret {
                b.receipt.clone()
            } else {
                String::new()
            },
            choice: b.choice,
        })
        .collect();
    list.sort_by(|a, b| (&a.unit, &a.receipt).cmp(&(&b.unit, &b.receipt)));
    list
}

/// The published result of a vote from its stored tally and ballots.
fn result_of(vote: &VoteRow, ballots: &[BallotRow]) -> Result<Option<VoteResult>, StoreError> {
    let (Stage::Published, Some(text)) = (vote.stage, vote.result.as_deref()) else {
        return Ok(None);
    };
    let o = super::Outcome::read(text).ok_or_else(|| StoreError::corrupt("vote result", text))?;
    Ok(Some(VoteResult {
        quorum: o.quorum,
        passed: o.passed,
        explanation_zh: o.explanation_zh,
        explanation_en: o.explanation_en,
        late: ballots.iter().filter(|b| b.late).count() as i64,
        ballots: listed(vote, ballots),
    }))
}

impl Store {
    /// Every vote, newest first.
    pub async fn votes(&self) -> Result<Vec<VoteRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VOTE_COLUMNS} FROM votes ORDER BY id DESC"
        ))
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, vote_row)
    }

    /// A vote by id.
    pub async fn vote(&self, id: i64) -> Result<Option<VoteRow>, StoreError> {
        vote(&mut *self.read().await?, id).await
    }

    /// Creates a vote in draft; answers its id.
    pub async fn create_vote(&self, v: &NewVote, by: &Actor, now: i64) -> Result<i64, StoreError> {
        self.write_tx(async |tx| {
            let row = sqlx::query(
                "INSERT INTO votes (title, body, matter, stage, secret, changes_allowed, \
                 silent_follow, grace_ms, opens_at, closes_at, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, 0, 0, $8, $9, $9) RETURNING id",
            )
            .bind(&v.title)
            .bind(&v.body)
            .bind(i64::from(v.matter.item()))
            .bind(i64::from(v.secret))
            .bind(i64::from(v.changes_allowed))
            .bind(i64::from(v.silent_follow))
            .bind(v.grace_ms)
            .bind(&by.name)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
            let id: i64 = row.try_get("id")?;
            tx.audit(now, by, "vote.create", &format!("vote:{id}"))
                .await?;
            Ok(id)
        })
        .await
    }

    /// Changes a vote's title, text, matter and rules before voting opens.
    pub async fn update_vote(
        &self,
        id: i64,
        v: &NewVote,
        by: &Actor,
        now: i64,
    ) -> Result<(), VoteError> {
        self.write_tx(async |tx| {
            if !vote_in(tx, id).await?.editable() {
                return Err(VoteError::Frozen);
            }
            sqlx::query(
                "UPDATE votes SET title = $1, body = $2, matter = $3, secret = $4, \
                 changes_allowed = $5, silent_follow = $6, grace_ms = $7, updated_at = $8 \
                 WHERE id = $9",
            )
            .bind(&v.title)
            .bind(&v.body)
            .bind(i64::from(v.matter.item()))
            .bind(i64::from(v.secret))
            .bind(i64::from(v.changes_allowed))
            .bind(i64::from(v.silent_follow))
            .bind(v.grace_ms)
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
            tx.audit(now, by, "vote.edit", &format!("vote:{id}"))
                .await?;
            Ok(())
        })
        .await
    }

    /// Replaces a vote's roster while it is a draft (afterwards only corrections,
    /// [`Store::correct_roster`]).
    pub async fn import_roster(
        &self,
        id: i64,
        units: &[Unit],
        by: &Actor,
        now: i64,
    ) -> Result<(), VoteError> {
        self.write_tx(async |tx| {
            let v = vote_in(tx, id).await?;
            // Once owners see the vote, the roster changes only unit by unit, each
            // correction kept with who, when and why.
            if v.stage != Stage::Draft {
                return Err(VoteError::Frozen);
            }
            sqlx::query("DELETE FROM vote_roster WHERE vote_id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
            for (line, u) in units.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO vote_roster (vote_id, unit, owner, owner_key, area, developer_held, line) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(&u.unit)
                .bind(&u.owner)
                .bind(owner_key(u))
                .bind(i64::try_from(u.area).map_err(|e| StoreError::corrupt("area", e))?)
                .bind(i64::from(u.developer_held))
                .bind(line as i64)
                .execute(tx.conn())
                .await?;
            }
            tx.audit(now, by, "vote.roster", &format!("vote:{id} units:{}", units.len()))
                .await?;
            Ok(())
        })
        .await
    }

    /// Corrects a unit's area (0.01 m²) or owner before voting opens, keeping who,
    /// when and why.
    pub async fn correct_roster(
        &self,
        id: i64,
        fix: &RosterFix<'_>,
        by: &Actor,
        now: i64,
    ) -> Result<(), VoteError> {
        let RosterFix {
            unit,
            area,
            owner,
            reason,
        } = *fix;
        self.write_tx(async |tx| {
            let v = vote_in(tx, id).await?;
            if !v.editable() {
                return Err(VoteError::Frozen);
            }
            let Some(mut u) = roster_unit(tx.conn(), id, unit).await? else {
                return Err(VoteError::UnknownUnit);
            };
            let mut changes: Vec<(&str, String, String)> = Vec::new();
            if let Some(area) = area.filter(|a| *a != u.area) {
                changes.push(("area", m2(u.area), m2(area)));
                u.area = area;
            }
            if let Some(owner) = owner.filter(|o| *o != u.owner) {
                changes.push(("owner", u.owner.clone(), owner.to_owned()));
                u.owner = owner.to_owned();
            }
            if changes.is_empty() {
                return Ok(());
            }
            sqlx::query(
                "UPDATE vote_roster SET area = $1, owner = $2, owner_key = $3 WHERE vote_id = $4 AND unit = $5",
            )
            .bind(i64::try_from(u.area).map_err(|e| StoreError::corrupt("area", e))?)
            .bind(&u.owner)
            .bind(owner_key(&u))
            .bind(id)
            .bind(unit)
            .execute(tx.conn())
            .await?;
            for (field, before, after) in changes {
                sqlx::query(
                    "INSERT INTO vote_roster_corrections (vote_id, unit, field, before_value, \
                     after_value, reason, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(unit)
                .bind(field)
                .bind(&before)
                .bind(&after)
                .bind(reason)
                .bind(&by.name)
                .bind(now)
                .execute(tx.conn())
                .await?;
                tx.audit(now, by, "vote.roster_correct", &format!("vote:{id} unit:{unit} {field}"))
                    .await?;
            }
            Ok(())
        })
        .await
    }

    /// A vote's roster corrections, oldest first.
    pub async fn corrections(&self, id: i64) -> Result<Vec<Correction>, StoreError> {
        let rows = sqlx::query(
            "SELECT unit, field, before_value, after_value, reason, by_name, at \
             FROM vote_roster_corrections WHERE vote_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok(Correction {
                unit: r.try_get("unit")?,
                field: r.try_get("field")?,
                before: r.try_get("before_value")?,
                after: r.try_get("after_value")?,
                reason: r.try_get("reason")?,
                by: r.try_get("by_name")?,
                at: r.try_get("at")?,
            })
        })
    }

    /// Moves a vote on: to deliberation; to voting with its window (frozen from then:
    /// the roster must not be empty, the window must close after it opens and after
    /// `now`; it opens at `now` at the earliest); to closed (after the window and its
    /// grace); to published (the tally stored with its explanation).
    pub async fn advance_vote(
        &self,
        id: i64,
        to: Stage,
        window: Option<(i64, i64)>,
        by: &Actor,
        now: i64,
    ) -> Result<(), VoteError> {
        self.write_tx(async |tx| {
            let v = vote_in(tx, id).await?;
            let (mut opens, mut closes) = (v.window.opens_at, v.window.closes_at);
            let mut result: Option<String> = None;
            match (v.stage, to) {
                (Stage::Draft, Stage::Deliberation) => {}
                (Stage::Draft | Stage::Deliberation, Stage::Voting) => {
                    let (o, c) = window.ok_or(VoteError::BadWindow)?;
                    (opens, closes) = (o.max(now), c);
                    if closes <= opens {
                        return Err(VoteError::BadWindow);
                    }
                    if roster(tx.conn(), id).await?.is_empty() {
                        return Err(VoteError::NoRoster);
                    }
                }
                (Stage::Voting, Stage::Closed) => {
                    if !v.window.may_close(now) {
                        return Err(VoteError::StillOpen);
                    }
                }
                (Stage::Closed, Stage::Published) => {
                    let t = tally_of(tx.conn(), &v).await?;
                    result = Some(json::to_string(&super::tally_json(&t)));
                }
                _ => return Err(VoteError::WrongStage),
            }
            sqlx::query(
                "UPDATE votes SET stage = $1, opens_at = $2, closes_at = $3, updated_at = $4, \
                 result = COALESCE($5, result), \
                 published_at = CASE WHEN $1 = 'published' THEN $4 ELSE published_at END \
                 WHERE id = $6",
            )
            .bind(to.id())
            .bind(opens)
            .bind(closes)
            .bind(now)
            .bind(result)
            .bind(id)
            .execute(tx.conn())
            .await?;
            tx.audit(now, by, &format!("vote.{}", to.id()), &format!("vote:{id}"))
                .await?;
            Ok(())
        })
        .await
    }

    /// A paper ballot staff enter for the owner of `paper.unit` (marked paper, entered
    /// by `by`), collected at `paper.collected_at`: before the close, entered by the
    /// end of the grace. Refused naming the existing ballot when the owner has one,
    /// unless `paper.replace` gives the reason for replacing it (kept with the
    /// ballot). A developer-held unit's paper ballot is the developer's one ballot.
    pub async fn enter_paper(
        &self,
        id: i64,
        paper: &Paper<'_>,
        by: &Actor,
        now: i64,
    ) -> Result<BallotRow, VoteError> {
        self.write_tx(async |tx| {
            let v = vote_in(tx, id).await?;
            let collected = paper.collected_at.min(now);
            if collected < v.window.opens_at {
                return Err(VoteError::WrongStage);
            }
            let late = ballot_counts(v.stage, v.window, collected, now)
                .map_err(|_| VoteError::WrongStage)?;
            let Some(u) = roster_unit(tx.conn(), id, paper.unit).await? else {
                return Err(VoteError::UnknownUnit);
            };
            let existing = ballot_of(tx.conn(), id, &owner_key(&u)).await?;
            if let (Some(b), None) = (&existing, paper.replace) {
                return Err(VoteError::HasBallot(b.clone()));
            }
            let cast = Cast {
                vote: id,
                unit: &u,
                choice: paper.choice,
                source: "paper",
                made_at: collected,
                received_at: now,
                late,
                submission: None,
                entered_by: Some(&by.name),
                replace_reason: existing.as_ref().and(paper.replace),
            };
            Ok(record_ballot(tx, cast, existing.as_ref(), by, now).await?)
        })
        .await
    }

    /// A vote's ballots (staff: after the close, or for turnout).
    pub async fn vote_ballots(&self, id: i64) -> Result<Vec<BallotRow>, StoreError> {
        ballots(&mut *self.read().await?, id).await
    }

    /// A vote's roster.
    pub async fn vote_roster(&self, id: i64) -> Result<Vec<Unit>, StoreError> {
        roster(&mut *self.read().await?, id).await
    }

    /// A vote's turnout.
    pub async fn vote_turnout(&self, id: i64) -> Result<Turnout, StoreError> {
        turnout(&mut *self.read().await?, id).await
    }

    /// A vote's comments for staff.
    pub async fn vote_comments(&self, id: i64) -> Result<Vec<CommentRow>, StoreError> {
        comments(&mut *self.read().await?, id, None).await
    }

    /// A staff reply (or comment) on a vote.
    pub async fn reply_to_vote(
        &self,
        id: i64,
        text: &str,
        reply_to: Option<i64>,
        by: &Actor,
        now: i64,
    ) -> Result<(), VoteError> {
        self.write_tx(async |tx| {
            vote(tx.conn(), id)
                .await?
                .filter(|v| v.stage != Stage::Draft && v.stage < Stage::Closed)
                .ok_or(VoteError::WrongStage)?;
            if let Some(r) = reply_to {
                if !comment_on(tx.conn(), id, r).await? {
                    return Err(VoteError::UnknownComment);
                }
            }
            add_comment(tx, id, (None, Some(&by.name)), "", text, reply_to, now).await?;
            Ok(())
        })
        .await
    }

    /// A household's voting board: the votes shown to residents (not drafts), newest
    /// first, each with this household's place on its roster, its ballot, the live
    /// turnout (never the choices before publication), the comments and the
    /// published result.
    pub async fn voting_board(&self, unit_id: i64, now: i64) -> Result<VotingBoard, StoreError> {
        let mut conn = self.read().await?;
        let label = unit_label(&mut conn, unit_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT {VOTE_COLUMNS} FROM votes WHERE stage <> 'draft' ORDER BY id DESC LIMIT {BOARD_VOTES}"
        ))
        .fetch_all(&mut *conn)
        .await?;
        let mut votes = Vec::new();
        for v in map_rows(&rows, vote_row)? {
            let unit = roster_unit(&mut conn, v.id, &label).await?;
            let ballot = match &unit {
                Some(u) => ballot_of(&mut conn, v.id, &owner_key(u)).await?,
                None => None,
            };
            let all = if v.stage == Stage::Published {
                ballots(&mut conn, v.id).await?
            } else {
                Vec::new()
            };
            votes.push(BoardVote {
                id: v.id,
                title: v.title.clone(),
                body: v.body.clone(),
                matter: u32::from(v.matter.item()),
                stage: v.stage,
                opens_at: v.window.opens_at,
                closes_at: v.window.closes_at,
                grace_ms: v.window.grace_ms,
                secret: v.secret,
                changes_allowed: v.changes_allowed,
                eligible: unit.as_ref().is_some_and(|u| !u.developer_held),
                unit: unit.map(|u| u.unit).unwrap_or_default(),
                turnout: turnout(&mut conn, v.id).await?,
                ballot: ballot.map(|b| MyBallot {
                    unit: b.unit,
                    choice: b.choice,
                    receipt: b.receipt,
                    source: b.source,
                    made_at: b.made_at,
                    received_at: b.received_at,
                    late: b.late,
                }),
                comments: comments(&mut conn, v.id, Some(unit_id))
                    .await?
                    .into_iter()
                    .map(|c| c.comment)
                    .collect(),
                result: result_of(&v, &all)?,
            });
        }
        Ok(VotingBoard { votes, now })
    }

    /// What the voting tables hold about a household: its comments (its ballots are
    /// the roster owner's, named by unit, and stay with the vote's record).
    pub async fn voting_household(&self, unit_id: i64) -> Result<Value, StoreError> {
        let rows = sqlx::query(
            "SELECT vote_id, text, created_at FROM vote_comments WHERE unit_id = $1 ORDER BY id",
        )
        .bind(unit_id)
        .fetch_all(&mut *self.read().await?)
        .await?;
        let list = map_rows(&rows, |r| {
            Ok(Value::object(vec![
                (
                    "vote",
                    Value::Number(r.try_get::<i64, _>("vote_id")? as f64),
                ),
                ("text", Value::String(r.try_get("text")?)),
                (
                    "at",
                    Value::Number(r.try_get::<i64, _>("created_at")? as f64),
                ),
            ]))
        })?;
        Ok(Value::object(vec![("comments", Value::Array(list))]))
    }
}

/// Erases a household's comments' text (the deliberation keeps that a comment was
/// there, by its building, not what the household wrote).
pub async fn erase_household(tx: &mut Tx, unit_id: i64, _now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE vote_comments SET text = '—', unit_id = NULL WHERE unit_id = $1")
        .bind(unit_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// An area in 0.01 m² as square metres with two decimals (`8956` → `89.56`).
pub fn m2(area: u64) -> String {
    format!("{}.{:02}", area / 100, area % 100)
}

/// The language-neutral owner label of a ballot's owner key, for staff lists: the
/// developer's units are named in `lang`.
pub fn owner_label(unit: &Unit, lang: Lang) -> String {
    if unit.developer_held {
        lang.t(linli_core::voting::VoteText::Developer).to_owned()
    } else {
        unit.owner.clone()
    }
}
