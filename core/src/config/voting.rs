//! The `voting` section of `config.json`: the deployment's rules for owners' votes
//! beyond the statute. Optional; every field has a default.

use super::walk::Checker;
use crate::json::Value;

/// The voting settings of a deployment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VotingConfig {
    /// How long after a vote's close a ballot made before the close may still reach
    /// the server and count (minutes, 0–1,440; default 15): a phone offline at the
    /// close. Each vote can set its own when it is created.
    pub grace_minutes: i64,
    /// The assembly's rules of procedure count owners who did not take part with the
    /// majority (沉默票 / 从众): shown as a separate line of the result, labelled as the
    /// assembly's own rule, never changing the statutory outcome. Default `false`.
    pub silent_follow_majority: bool,
}

impl Default for VotingConfig {
    fn default() -> VotingConfig {
        VotingConfig {
            grace_minutes: 15,
            silent_follow_majority: false,
        }
    }
}

const FIELDS: &[&str] = &["grace_minutes", "silent_follow_majority"];

pub(super) fn read(c: &mut Checker, value: &Value, path: &str) -> Option<VotingConfig> {
    let f = c.object(value, path, FIELDS)?;
    let grace = super::meals::optional_number(c, &f, "grace_minutes", 15, 0, 1_440);
    let silent = match f.get("silent_follow_majority") {
        None => Some(false),
        Some(v) => c.boolean(v, &f.path("silent_follow_majority")),
    };
    Some(VotingConfig {
        grace_minutes: grace?,
        silent_follow_majority: silent?,
    })
}
