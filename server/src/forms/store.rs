//! Forms' tables (migration `0019_forms`): `forms` (the definition being edited and
//! the form's state), `form_versions` (every published version, whole) and
//! `form_answers` (once per outbox submission, as the validator kept them).

use linli_core::forms::form::Form;
use linli_core::json;
use sqlx::Row;

use crate::store::{map_rows, Actor, Conn, Store, StoreError, Tx};

/// A form's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Being made: residents do not see it.
    Draft,
    /// Published and taking answers.
    Open,
    /// No longer taking answers (its answers stay).
    Closed,
}

impl State {
    /// The stored id.
    pub fn id(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Open => "open",
            State::Closed => "closed",
        }
    }

    fn from_id(id: &str) -> State {
        match id {
            "open" => State::Open,
            "closed" => State::Closed,
            _ => State::Draft,
        }
    }
}

/// A form as the organisation's list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct FormRow {
    /// Its row id.
    pub id: i64,
    /// The definition's id.
    pub key: String,
    /// The definition being edited.
    pub draft: Form,
    /// Its state.
    pub state: State,
    /// The newest published version (0: none yet).
    pub published: i64,
    /// How many answers it has.
    pub answers: i64,
    /// When it was last changed (ms).
    pub updated_at: i64,
    /// Who made it (a staff username): an organisation sees only its own forms.
    pub created_by: String,
}

/// The columns of a [`FormRow`], from `forms f`, for a `WHERE` or an `ORDER BY` to
/// follow.
const FORM_ROW: &str = "SELECT f.id, f.form_key, f.draft, f.state, f.published, f.updated_at, \
     f.created_by, (SELECT COUNT(*) FROM form_answers a WHERE a.form_id = f.id) AS answers \
     FROM forms f";

fn form_row(r: &crate::store::DbRow) -> Result<FormRow, sqlx::Error> {
    let draft: String = r.try_get("draft")?;
    let state: String = r.try_get("state")?;
    Ok(FormRow {
        id: r.try_get("id")?,
        key: r.try_get("form_key")?,
        draft: read_form(&draft)?,
        state: State::from_id(&state),
        published: r.try_get("published")?,
        answers: r.try_get("answers")?,
        updated_at: r.try_get("updated_at")?,
        created_by: r.try_get("created_by")?,
    })
}

/// What became of a draft saved with [`crate::store::Store::forms_save`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Stored; the draft's new time of change (ms), to send with the next save.
    At(i64),
    /// There is no such form.
    Missing,
    /// The draft changed since the time given (another tab, another member): nothing
    /// was stored.
    Changed,
}

/// One stored answer set.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerRow {
    /// The outbox's UUID.
    pub submission_id: String,
    /// The version answered.
    pub version: i64,
    /// When it arrived (ms).
    pub received_at: i64,
    /// The answers as kept (JSON).
    pub answers: String,
}

/// Why a form could not be added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddError {
    /// Another form has this id.
    Taken,
}

fn read_form(text: &str) -> Result<Form, sqlx::Error> {
    json::from_str(text)
        .ok()
        .and_then(|v| Form::from_value(&v).ok())
        .ok_or_else(|| sqlx::Error::Decode("a stored form definition does not read".into()))
}

/// Deletes a household's answers (its erasure), inside the caller's transaction.
pub async fn erase_household(conn: &mut Conn, unit: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM form_answers WHERE unit_id = $1")
        .bind(unit)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores an answer set once per submission (inside the submission's transaction);
/// `false` when this submission's answers are already stored.
pub async fn add_answer(
    tx: &mut Tx,
    submission_id: &str,
    form_id: i64,
    version: i64,
    unit: i64,
    answers: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let added = sqlx::query(
        "INSERT INTO form_answers (submission_id, form_id, version, unit_id, answers, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (submission_id) DO NOTHING",
    )
    .bind(submission_id)
    .bind(form_id)
    .bind(version)
    .bind(unit)
    .bind(answers)
    .bind(now)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(added == 1)
}

/// The open form `key`'s row id and the definition of `version`, if the form takes
/// answers and has that version (inside the submission's transaction).
pub async fn open_version(
    tx: &mut Tx,
    key: &str,
    version: i64,
) -> Result<Option<(i64, Form)>, StoreError> {
    let row = sqlx::query(
        "SELECT f.id, v.definition FROM forms f JOIN form_versions v ON v.form_id = f.id \
         WHERE f.form_key = $1 AND f.state = 'open' AND v.version = $2",
    )
    .bind(key)
    .bind(version)
    .fetch_optional(tx.conn())
    .await?;
    match row {
        None => Ok(None),
        Some(r) => {
            let id: i64 = r.try_get("id")?;
            let text: String = r.try_get("definition")?;
            Ok(Some((id, read_form(&text)?)))
        }
    }
}

impl Store {
    /// Adds a form whose definition is `form` (a draft); its row id.
    pub async fn forms_add(
        &self,
        form: &Form,
        by: &Actor,
        now: i64,
    ) -> Result<Result<i64, AddError>, StoreError> {
        let text = json::to_string(&form.to_value());
        self.write_tx(async |tx| {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO forms (form_key, draft, state, created_by, created_at, updated_at) \
                 VALUES ($1, $2, 'draft', $3, $4, $4) ON CONFLICT (form_key) DO NOTHING RETURNING id",
            )
            .bind(&form.id)
            .bind(&text)
            .bind(&by.name)
            .bind(now)
            .fetch_optional(tx.conn())
            .await?;
            let Some(id) = id else {
                return Ok(Err(AddError::Taken));
            };
            tx.audit(now, by, "forms.added", &form.id).await?;
            Ok::<_, StoreError>(Ok(id))
        })
        .await
    }

    /// Saves the definition being edited. With `since` (the draft's time of change as
    /// the editor loaded it) it is stored only if nobody saved in between, checked in
    /// the `UPDATE` itself ([`Saved::Changed`] otherwise). The id stays the form's own
    /// (a changed `id` in the JSON is put back).
    pub async fn forms_save(
        &self,
        id: i64,
        form: &Form,
        since: Option<i64>,
        by: &Actor,
        now: i64,
    ) -> Result<Saved, StoreError> {
        let Some(row) = self.forms_get(id).await? else {
            return Ok(Saved::Missing);
        };
        let mut form = form.clone();
        form.id = row.key.clone();
        let text = json::to_string(&form.to_value());
        // Later than the time it replaces, so a save within the same millisecond still
        // tells the next one that the draft changed.
        let at = now.max(row.updated_at + 1);
        self.write_tx(async |tx| {
            let changed = match since {
                Some(since) => {
                    sqlx::query(
                        "UPDATE forms SET draft = $1, updated_at = $2 WHERE id = $3 AND updated_at = $4",
                    )
                    .bind(&text)
                    .bind(at)
                    .bind(id)
                    .bind(since)
                    .execute(tx.conn())
                    .await?
                }
                None => {
                    sqlx::query("UPDATE forms SET draft = $1, updated_at = $2 WHERE id = $3")
                        .bind(&text)
                        .bind(at)
                        .bind(id)
                        .execute(tx.conn())
                        .await?
                }
            }
            .rows_affected();
            if changed == 1 {
                tx.audit(now, by, "forms.saved", &row.key).await?;
                Ok::<_, StoreError>(Saved::At(at))
            } else if since.is_some() {
                Ok(Saved::Changed)
            } else {
                Ok(Saved::Missing)
            }
        })
        .await
    }

    /// Publishes the draft as the next version (its `version` set to the number) and
    /// opens the form: the version's number; `None` when there is no such form or the
    /// draft is no longer `checked` (the definition the caller found sound: a save in
    /// between is not published unchecked).
    pub async fn forms_publish(
        &self,
        id: i64,
        checked: &Form,
        by: &Actor,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.write_tx(async |tx| {
            let row = sqlx::query("SELECT form_key, draft, published FROM forms WHERE id = $1")
                .bind(id)
                .fetch_optional(tx.conn())
                .await?;
            let Some(row) = row else {
                return Ok(None);
            };
            let key: String = row.try_get("form_key")?;
            let draft: String = row.try_get("draft")?;
            let version: i64 = row.try_get::<i64, _>("published")? + 1;
            let mut form = read_form(&draft)?;
            if form != *checked {
                return Ok(None);
            }
            // Publishing what is already the newest version (a second tap, a reload of
            // the page the post answered) makes no new one: every draft on the phones
            // would otherwise be "an older version" for nothing.
            let newest: Option<String> = sqlx::query_scalar(
                "SELECT definition FROM form_versions WHERE form_id = $1 AND version = $2",
            )
            .bind(id)
            .bind(version - 1)
            .fetch_optional(tx.conn())
            .await?;
            form.version = (version - 1).to_string();
            if newest.as_deref().map(read_form).transpose()?.as_ref() == Some(&form) {
                return Ok(Some(version - 1));
            }
            form.version = version.to_string();
            let text = json::to_string(&form.to_value());
            sqlx::query(
                "INSERT INTO form_versions (form_id, version, definition, published_at, published_by) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(version)
            .bind(&text)
            .bind(now)
            .bind(&by.name)
            .execute(tx.conn())
            .await?;
            sqlx::query(
                "UPDATE forms SET published = $1, state = 'open', draft = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(version)
            .bind(&text)
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
            tx.audit(now, by, "forms.published", &format!("{key} v{version}"))
                .await?;
            Ok::<_, StoreError>(Some(version))
        })
        .await
    }

    /// Closes a form to answers, or opens it again (only once published); `false` when
    /// nothing changed.
    pub async fn forms_set_state(
        &self,
        id: i64,
        state: State,
        by: &Actor,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write_tx(async |tx| {
            let changed = sqlx::query(
                "UPDATE forms SET state = $1, updated_at = $2 WHERE id = $3 AND published > 0 AND state <> $1",
            )
            .bind(state.id())
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if changed == 1 {
                tx.audit(now, by, &format!("forms.{}", state.id()), &id.to_string())
                    .await?;
            }
            Ok::<_, StoreError>(changed == 1)
        })
        .await
    }

    /// Every form, newest change first.
    pub async fn forms_list(&self) -> Result<Vec<FormRow>, StoreError> {
        let rows = sqlx::query(&format!("{FORM_ROW} ORDER BY f.updated_at DESC, f.id DESC"))
            .fetch_all(&mut *self.read().await?)
            .await?;
        map_rows(&rows, form_row)
    }

    /// One form.
    pub async fn forms_get(&self, id: i64) -> Result<Option<FormRow>, StoreError> {
        let rows = sqlx::query(&format!("{FORM_ROW} WHERE f.id = $1"))
            .bind(id)
            .fetch_all(&mut *self.read().await?)
            .await?;
        Ok(map_rows(&rows, form_row)?.into_iter().next())
    }

    /// The published definitions of the open forms (their newest versions), for
    /// residents.
    pub async fn forms_open(&self) -> Result<Vec<Form>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.definition FROM forms f JOIN form_versions v \
             ON v.form_id = f.id AND v.version = f.published \
             WHERE f.state = 'open' ORDER BY f.id",
        )
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| read_form(&r.try_get::<String, _>("definition")?))
    }

    /// Every published version of a form: (number, definition).
    pub async fn forms_versions(&self, id: i64) -> Result<Vec<(i64, Form)>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, definition FROM form_versions WHERE form_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok((
                r.try_get("version")?,
                read_form(&r.try_get::<String, _>("definition")?)?,
            ))
        })
    }

    /// A form's answers, in the order they arrived.
    pub async fn forms_answers(&self, id: i64) -> Result<Vec<AnswerRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT submission_id, version, received_at, answers FROM form_answers \
             WHERE form_id = $1 ORDER BY received_at, submission_id",
        )
        .bind(id)
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok(AnswerRow {
                submission_id: r.try_get("submission_id")?,
                version: r.try_get("version")?,
                received_at: r.try_get("received_at")?,
                answers: r.try_get("answers")?,
            })
        })
    }

    /// Deletes one respondent's answers on their request (audited, and gone from the
    /// disk with the write-ahead log); `false` when there were none.
    pub async fn forms_delete_answer(
        &self,
        id: i64,
        submission_id: &str,
        by: &Actor,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write_tx(async |tx| {
            let gone =
                sqlx::query("DELETE FROM form_answers WHERE form_id = $1 AND submission_id = $2")
                    .bind(id)
                    .bind(submission_id)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
            if gone == 1 {
                tx.removes_personal_data();
                tx.audit(now, by, "forms.answer.deleted", submission_id)
                    .await?;
            }
            Ok::<_, StoreError>(gone == 1)
        })
        .await
    }
}

impl Store {
    /// A household's answers, for its own download: (form id, version, received ms,
    /// answers JSON).
    pub async fn forms_household(
        &self,
        unit: i64,
    ) -> Result<Vec<(String, i64, i64, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.form_key, a.version, a.received_at, a.answers FROM form_answers a \
             JOIN forms f ON f.id = a.form_id WHERE a.unit_id = $1 ORDER BY a.received_at",
        )
        .bind(unit)
        .fetch_all(&mut *self.read().await?)
        .await?;
        map_rows(&rows, |r| {
            Ok((
                r.try_get("form_key")?,
                r.try_get("version")?,
                r.try_get("received_at")?,
                r.try_get("answers")?,
            ))
        })
    }
}
