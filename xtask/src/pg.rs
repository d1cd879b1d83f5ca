//! A throwaway PostgreSQL for the tests (issue 11): Debian's PostgreSQL binaries, a new
//! cluster in a temporary folder owned by the `postgres` user (PostgreSQL refuses to
//! run as root), on a free port, listening on 127.0.0.1 only and on a socket in its own
//! folder, without fsync (the tests need no durability across a crash of this
//! machine). Stopped and removed when dropped, whatever the tests did.

use std::path::{Path, PathBuf};

use crate::util::{cmd, run, Result};

/// A running throwaway cluster.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub url: String,
}

/// The newest installed PostgreSQL's `bin` folder (`/usr/lib/postgresql/15/bin`).
fn bin_dir() -> Result<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("PostgreSQL is not installed (/usr/lib/postgresql: {e}); `cargo xtask setup --for test` installs it"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no PostgreSQL with initdb under /usr/lib/postgresql".into())
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// A command run as the `postgres` user.
fn as_postgres(program: &Path) -> std::process::Command {
    let mut c = cmd("runuser");
    c.args(["-u", "postgres", "--"]).arg(program);
    c
}

impl Cluster {
    /// Makes and starts a cluster for the tests (no fsync: nothing outlives the run);
    /// `Cluster::url` connects to it.
    pub fn start() -> Result<Cluster> {
        Cluster::start_with("-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    }

    /// A cluster with PostgreSQL's own durability (fsync, synchronous commit), for the
    /// benchmark: a commit is acknowledged once it is on disk, as in production.
    pub fn start_durable() -> Result<Cluster> {
        Cluster::start_with("")
    }

    fn start_with(durability: &str) -> Result<Cluster> {
        let bin = bin_dir()?;
        let dir = std::env::temp_dir().join(format!("linli-pg-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        run(cmd("chown").arg("postgres:postgres").arg(&dir))?;
        let data = dir.join("data");
        run(as_postgres(&bin.join("initdb"))
            .args([
                "--auth=trust",
                "--username=postgres",
                "--no-sync",
                "--encoding=UTF8",
            ])
            .arg("-D")
            .arg(&data))?;
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 {durability} -c max_connections=200",
            dir.display()
        );
        let cluster = Cluster {
            dir: dir.clone(),
            bin: bin.clone(),
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        };
        run(as_postgres(&bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(dir.join("log"))
            .args(["-w", "start"]))?;
        println!("throwaway PostgreSQL at {}", cluster.url);
        Ok(cluster)
    }
}

impl Cluster {
    /// Prints what the cluster said of itself (the last 40 lines of its log) and the
    /// space left where it writes: what a failed test run on it needs to be explained,
    /// since the cluster is removed with the run.
    pub fn report(&self) {
        let log = std::fs::read_to_string(self.dir.join("log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        eprintln!("--- the throwaway PostgreSQL's log, last 40 lines ---");
        for line in &lines[lines.len().saturating_sub(40)..] {
            eprintln!("{line}");
        }
        let _ = cmd("df").args(["-h"]).arg(&self.dir).status();
        let _ = cmd("du").args(["-sh"]).arg(&self.dir).status();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_postgres(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
