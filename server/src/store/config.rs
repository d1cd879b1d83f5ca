//! The deployment's configuration as the console keeps it: numbered versions (the
//! whole `config.json` text, who saved it, when, a note), publications (the current
//! config is the last one published; a rollback publishes an earlier version), and the
//! files the console uploaded or drew (a logo and its icons). Every save and
//! publication is audited in the same transaction. The caller checks a config with
//! the core rules before saving it; this module keeps what it is given.

use sqlx::Row;

use super::{Actor, Store, StoreError};

/// A saved version of the configuration (the console's history).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigVersion {
    /// 1, 2, … in the order saved.
    pub version: i64,
    /// Who saved it (a staff username, or `system` for an import).
    pub actor: String,
    /// When, ms since the epoch.
    pub at: i64,
    /// What the change was, as the saver wrote it.
    pub note: String,
}

/// The configuration residents' apps are served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// Its version.
    pub version: i64,
    /// The `config.json` text.
    pub body: String,
    /// When it was published (ms since the epoch).
    pub at: i64,
}

/// A stored file: its media type and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// `image/png`, `image/webp`.
    pub mime: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl Store {
    /// Saves `body` (a checked `config.json`) as a new version; answers its number.
    /// Audited as `config.save`. Nothing residents see changes until it is published.
    pub async fn save_config(
        &self,
        body: &str,
        note: &str,
        by: &Actor,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.write_tx(async |tx| {
            let version: i64 = sqlx::query(
                "INSERT INTO config_versions (version, body, note, actor, at) \
                 VALUES ((SELECT COALESCE(MAX(version), 0) + 1 FROM config_versions), \
                 $1, $2, $3, $4) RETURNING version",
            )
            .bind(body)
            .bind(note)
            .bind(&by.name)
            .bind(now)
            .fetch_one(tx.conn())
            .await?
            .try_get("version")?;
            tx.audit(now, by, "config.save", &format!("config:{version}"))
                .await?;
            Ok(version)
        })
        .await
    }

    /// Publishes a saved version: residents' apps are offered it as an update.
    /// Publishing a version older than the current one is a rollback and audited as
    /// `config.rollback`, any other as `config.publish`; publishing the current one
    /// again changes and logs nothing. [`StoreError::NotFound`] for no such version.
    pub async fn publish_config(
        &self,
        version: i64,
        by: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let exists = sqlx::query("SELECT 1 FROM config_versions WHERE version = $1")
                .bind(version)
                .fetch_optional(tx.conn())
                .await?
                .is_some();
            if !exists {
                return Err(StoreError::NotFound("config version"));
            }
            let current: Option<i64> =
                sqlx::query("SELECT version FROM config_publications ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(tx.conn())
                    .await?
                    .map(|r| r.try_get("version"))
                    .transpose()?;
            if current == Some(version) {
                return Ok(());
            }
            sqlx::query("INSERT INTO config_publications (version, actor, at) VALUES ($1, $2, $3)")
                .bind(version)
                .bind(&by.name)
                .bind(now)
                .execute(tx.conn())
                .await?;
            let action = match current {
                Some(c) if version < c => "config.rollback",
                _ => "config.publish",
            };
            tx.audit(now, by, action, &format!("config:{version}"))
                .await
        })
        .await
    }

    /// Takes over, once per database, a deployment's `config.json` (the folder served
    /// or `--config`, or `init`'s starting settings) as version 1 with `note`,
    /// published, by the system: answers the version, or
    /// `None` when this database has taken one over or has versions already (the
    /// console's are kept; the file is no longer read).
    pub async fn import_config(
        &self,
        body: &str,
        note: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.write_tx(async |tx| {
            let first = tx.first_import("config.json", now).await?;
            let empty = sqlx::query("SELECT 1 FROM config_versions LIMIT 1")
                .fetch_optional(tx.conn())
                .await?
                .is_none();
            if !first || !empty {
                return Ok(None);
            }
            let by = Actor::system();
            sqlx::query(
                "INSERT INTO config_versions (version, body, note, actor, at) \
                 VALUES (1, $1, $2, $3, $4)",
            )
            .bind(body)
            .bind(note)
            .bind(&by.name)
            .bind(now)
            .execute(tx.conn())
            .await?;
            sqlx::query("INSERT INTO config_publications (version, actor, at) VALUES (1, $1, $2)")
                .bind(&by.name)
                .bind(now)
                .execute(tx.conn())
                .await?;
            tx.audit(now, &by, "config.import", "config:1").await?;
            Ok(Some(1))
        })
        .await
    }

    /// Every saved version, newest first.
    pub async fn config_versions(&self) -> Result<Vec<ConfigVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, note, actor, at FROM config_versions ORDER BY version DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ConfigVersion {
                    version: r.try_get("version")?,
                    actor: r.try_get("actor")?,
                    at: r.try_get("at")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// A saved version's `config.json` text.
    pub async fn config_body(&self, version: i64) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query("SELECT body FROM config_versions WHERE version = $1")
                .bind(version)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("body"))
                .transpose()?,
        )
    }

    /// The version residents' apps are served, if one was ever published.
    pub async fn published_config(&self) -> Result<Option<Published>, StoreError> {
        let row = sqlx::query(
            "SELECT p.version, p.at, v.body FROM config_publications p \
             JOIN config_versions v ON v.version = p.version ORDER BY p.seq DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Published {
                version: r.try_get("version")?,
                body: r.try_get("body")?,
                at: r.try_get("at")?,
            })
        })
        .transpose()
    }

    /// The version of the newest publication, if any (a cheap check other server
    /// processes make to follow a publication).
    pub async fn published_version(&self) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query("SELECT version FROM config_publications ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("version"))
                .transpose()?,
        )
    }

    /// The versions published, newest publication first, each once (at most 20: the
    /// ones a server falls back to).
    pub async fn published_versions(&self) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, MAX(seq) AS last FROM config_publications \
             GROUP BY version ORDER BY last DESC LIMIT 20",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("version")?)).collect()
    }

    /// Keeps a file under `path` (a path names one content: a second put of it keeps
    /// the first).
    pub async fn put_asset(
        &self,
        path: &str,
        mime: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            sqlx::query(
                "INSERT INTO assets (path, mime, bytes, at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (path) DO NOTHING",
            )
            .bind(path)
            .bind(mime)
            .bind(bytes)
            .bind(now)
            .execute(tx.conn())
            .await?;
            Ok(())
        })
        .await
    }

    /// A stored file by path.
    pub async fn asset(&self, path: &str) -> Result<Option<Asset>, StoreError> {
        let row = sqlx::query("SELECT mime, bytes FROM assets WHERE path = $1")
            .bind(path)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Asset {
                mime: r.try_get("mime")?,
                bytes: r.try_get("bytes")?,
            })
        })
        .transpose()
    }
}
