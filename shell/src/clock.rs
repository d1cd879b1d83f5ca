//! The server's clock, as this phone can know it. Each answer from the server carries
//! a `Date` header; when the phone's clock differs from it by more than
//! [`SKEW_NOTICE_MS`] the shell judges open and closed meals (and later voting
//! windows) by the server's time, stamps submissions with it, and tells the resident
//! the phone's clock is wrong. The measure lives as long as the page: kept across
//! starts, it would outlive the resident setting the clock right (as the notice asks)
//! and stamp what is then made offline two days ahead, which the server refuses; a
//! new start measures again at its first answer from the server.

use std::cell::Cell;

use linli_core::sync::clock::{parse_http_date, skew, SKEW_NOTICE_MS};

/// Fired on `window` when the measured difference appears, changes or goes away.
pub const CLOCK_EVENT: &str = "linli-clock";
thread_local! {
    /// The measured difference, when the phone's clock is off.
    static SKEW: Cell<Option<i64>> = const { Cell::new(None) };
}

/// What to add to the phone's clock to get the server's, ms; 0 when the phone's clock
/// is right or the server was never reached.
pub fn skew_ms() -> i64 {
    known().unwrap_or(0)
}

fn known() -> Option<i64> {
    SKEW.with(Cell::get)
}

/// Now by the server's clock, ms since the epoch: the phone's clock corrected.
pub fn server_now() -> f64 {
    js_sys::Date::now() + skew_ms() as f64
}

/// Takes one answer's `Date` header (received now, by the phone's clock).
pub fn observe(date_header: &str) {
    let Some(server) = parse_http_date(date_header) else {
        return;
    };
    let next = skew(server, js_sys::Date::now() as i64);
    let before = known();
    // A change under the notice threshold is the header's rounding and network delay.
    let same = match (before, next) {
        (Some(a), Some(b)) => (a - b).abs() < SKEW_NOTICE_MS,
        (a, b) => a.is_none() && b.is_none(),
    };
    if same {
        return;
    }
    SKEW.with(|s| s.set(next));
    if let (Some(w), Ok(e)) = (web_sys::window(), web_sys::Event::new(CLOCK_EVENT)) {
        let _ = w.dispatch_event(&e);
    }
}

/// A `setInterval` that is cleared when dropped (the sync loop's retries, the meals
/// page's refresh). Not generic over the closure: one copy in the download.
pub struct Ticker {
    id: i32,
    /// Kept alive while the interval may call it.
    _tick: wasm_bindgen::closure::Closure<dyn Fn()>,
}

impl Ticker {
    /// Calls `f` every `ms` milliseconds until dropped; `None` without a window.
    pub fn every(ms: i32, f: wasm_bindgen::closure::Closure<dyn Fn()>) -> Option<Ticker> {
        use wasm_bindgen::JsCast;
        let id = web_sys::window()?
            .set_interval_with_callback_and_timeout_and_arguments_0(f.as_ref().unchecked_ref(), ms)
            .ok()?;
        Some(Ticker { id, _tick: f })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_interval_with_handle(self.id);
        }
    }
}
