//! Demo data for `cargo xtask demo`: households of a fictional sub-district, one
//! account per staff role, and a few household codes to try.

use crate::error::ApiError;
use crate::staff::Role;
use crate::store::{Actor, Store};

/// The password of every demo account (printed by the demo; never for real use).
pub const DEMO_PASSWORD: &str = "linli-demo";

/// What the demo prints for its user.
pub struct DemoSeed {
    /// (username, role) of each staff account.
    pub accounts: Vec<(&'static str, Role)>,
    /// (unit label, household code) to try on a phone.
    pub codes: Vec<(String, String)>,
}

/// Seeds an empty database; refuses one that already has households.
pub async fn seed(store: &Store, now: i64) -> Result<DemoSeed, ApiError> {
    if !store.units().await?.is_empty() {
        return Err(ApiError::Invalid(linli_core::sync::wire::WireError {
            field: String::new(),
            message: "demo seeding needs an empty database".into(),
        }));
    }
    let system = Actor::system();
    let accounts = vec![
        ("admin", Role::Admin),
        ("wang", Role::Staff),
        ("chef", Role::Kitchen),
        ("org", Role::Organisation),
        ("audit", Role::Auditor),
    ];
    for (name, role) in &accounts {
        store
            .add_staff(name, DEMO_PASSWORD, *role, &system, now)
            .await?;
    }
    let mut units = Vec::new();
    for building in 1..=3 {
        for floor in 1..=2 {
            for door in 1..=2 {
                let label = format!("{building}幢{floor}0{door}");
                units.push((
                    store
                        .add_unit(&label, &format!("{building}幢"), &system, now)
                        .await?,
                    label,
                ));
            }
        }
    }
    let mut codes = Vec::new();
    for (id, label) in units.into_iter().take(4) {
        codes.push((label, store.issue_code(id, &system, now).await?));
    }
    Ok(DemoSeed { accounts, codes })
}
