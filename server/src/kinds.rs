//! Which submission kinds this server accepts, each with the core rule that checks its
//! payload. Scenarios add their kinds here as they land (the same rules run in the
//! browser before a submission is queued); a kind not listed is refused.

use std::sync::Arc;

use linli_core::json::Value;
use linli_core::sync::wire::WireError;

use crate::error::ApiError;

/// Checks a payload; errors name the field relative to the payload.
pub type Validator = fn(&Value) -> Result<(), WireError>;

/// The registry of kinds.
#[derive(Clone, Default)]
pub struct Kinds(Arc<Vec<(&'static str, Validator)>>);

impl Kinds {
    /// The kinds of this build's scenarios. The meal kinds are taken only where the
    /// deployment's config enables meals (else `unknown_kind`).
    pub fn builtin() -> Kinds {
        Kinds::default()
            .with("meal_order", crate::meals::check_order)
            .with("meal_cancel", crate::meals::check_cancel)
            .with("meal_profile", crate::meals::check_profile)
    }

    /// The registry plus one kind.
    pub fn with(self, name: &'static str, validator: Validator) -> Kinds {
        let mut list = (*self.0).clone();
        list.push((name, validator));
        Kinds(Arc::new(list))
    }

    /// Checks `payload` against the rule of `kind`.
    pub fn check(&self, kind: &str, payload: &Value) -> Result<(), ApiError> {
        let (_, validate) = self
            .0
            .iter()
            .find(|(name, _)| *name == kind)
            .ok_or_else(|| ApiError::UnknownKind(kind.to_owned()))?;
        validate(payload).map_err(|e| {
            ApiError::Invalid(WireError {
                field: if e.field.is_empty() {
                    "payload".into()
                } else {
                    format!("payload.{}", e.field)
                },
                message: e.message,
            })
        })
    }
}
