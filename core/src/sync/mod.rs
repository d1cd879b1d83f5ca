//! The path of a resident's submission from the device to the sub-district, as pure
//! rules: the wire types of `/api/v1` ([`wire`]), the outbox state machine
//! ([`outbox`]) and what a device's clock is believed ([`clock`]). Time and randomness come in as arguments, so every edge case (a
//! timeout after the server stored it, a rejection, the app killed mid-send) is a
//! host test.

pub mod clock;
pub mod outbox;
pub mod wire;
