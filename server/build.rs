//! `sqlx::migrate!` embeds the migration files at compile time but does not tell cargo
//! to compile again when one changes (sqlx's documented caveat): without this, a
//! changed migration leaves binaries embedding different checksums of the same
//! version, and a database one wrote is refused by the other.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
