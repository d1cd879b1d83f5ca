//! The notices residents see: the live list at `api/v1/notices` (linli-server's, or
//! for a static deployment the file `cargo xtask dist` writes there from
//! `config.json`), kept on the phone for offline use as the meals board is, and which
//! of them this phone has opened.
//!
//! The list is asked for at start, whenever the resident comes to another tab, when
//! the app comes back into view and when the browser comes online; only the latest
//! request's answer is shown, so a slow one never replaces a newer list. A notice that
//! expires while the phone is offline leaves the list at its `expires_at` (at the next
//! redraw), by the server's clock as far as the phone knows it
//! ([`crate::clock::server_now`]). Read marks are a preference, kept in `localStorage`
//! beside the language: losing them only shows 未读 again; each new list from the
//! server drops the marks of notices no longer on it.

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use linli_core::config::Notice;
use yew::prelude::*;

use crate::net::{api_url, get_kept, parse};
use crate::route::Route;
use crate::storage::Storage;

/// Where the server's last list is kept (IndexedDB settings store), as the JSON text
/// it came in.
pub const LIST_KEY: &str = "notices";
/// Where the ids of the notices opened on this phone are kept (`localStorage`), one
/// per line, oldest first.
pub const READ_KEY: &str = "linli.notices_read";
/// How many read marks are kept at most; older ones are dropped.
pub const MAX_READ: usize = 200;

/// The list as this phone has it.
#[derive(Clone, Default)]
pub enum NoticeList {
    /// Not known yet (the first few milliseconds, while the phone's copy is read).
    #[default]
    Loading,
    /// Neither the server nor a copy on the phone answered (a first visit offline,
    /// or no IndexedDB and no network).
    Unavailable,
    /// Live notices, pinned first, then the latest published.
    Ready(Rc<Vec<Notice>>),
}

/// The notices as this phone has them.
#[derive(Clone, Default)]
pub struct Notices {
    /// The list.
    pub list: NoticeList,
    /// The ids opened on this phone, each followed by a line break, oldest first (as
    /// kept under [`READ_KEY`]).
    pub read: Rc<str>,
}

impl Notices {
    /// Whether this phone has not opened the notice `id` yet.
    pub fn unread(&self, id: &str) -> bool {
        !self.read.lines().any(|r| r == id)
    }
}

/// A new list is a new `Rc`, so comparing where it lives is enough (and keeps a deep
/// comparison of every notice out of the download).
impl PartialEq for Notices {
    fn eq(&self, other: &Notices) -> bool {
        let same = match (&self.list, &other.list) {
            (NoticeList::Ready(a), NoticeList::Ready(b)) => Rc::ptr_eq(a, b),
            (NoticeList::Loading, NoticeList::Loading) => true,
            (NoticeList::Unavailable, NoticeList::Unavailable) => true,
            _ => false,
        };
        same && self.read == other.read
    }
}

fn list_of(text: &str) -> Option<Vec<Notice>> {
    linli_core::notices::readable(&parse(text))
}

/// The read marks kept on this phone.
pub fn read_marks() -> Rc<str> {
    crate::dom::load(READ_KEY).unwrap_or_default().into()
}

/// Adds `id` to the read marks kept on this phone (read, changed and written from
/// what is stored, so two tabs never drop each other's marks), the latest
/// [`MAX_READ`] only; answers the marks as now kept.
pub fn keep_read(id: &str) -> String {
    let mut marks = crate::dom::load(READ_KEY).unwrap_or_default();
    if !marks.lines().any(|r| r == id) {
        if !marks.is_empty() && !marks.ends_with('\n') {
            marks.push('\n');
        }
        marks.push_str(id);
        marks.push('\n');
        // One mark more than kept at most: the oldest goes.
        if marks.lines().count() > MAX_READ {
            if let Some(i) = marks.find('\n') {
                marks.drain(..=i);
            }
        }
        crate::dom::store(READ_KEY, &marks);
    }
    marks
}

/// Keeps only the read marks of notices on `list` (a new list from the server: the
/// others were withdrawn or expired).
fn prune_read(list: &[Notice]) {
    let marks = crate::dom::load(READ_KEY).unwrap_or_default();
    let kept: String = marks
        .lines()
        .filter(|id| list.iter().any(|n| n.id == *id))
        .flat_map(|id| [id, "\n"])
        .collect();
    if kept != marks {
        crate::dom::store(READ_KEY, &kept);
    }
}

thread_local! {
    /// The number of the latest request for the list: an answer to an older one is
    /// dropped (it would replace a newer list).
    static LATEST: Cell<u32> = const { Cell::new(0) };
}

/// With `first`, the list kept on the phone at once, then the server's, kept for
/// offline use; later, only a new answer from the server. Only the latest call's
/// results are shown. When the first call finds neither, the list is unavailable.
async fn load(server: Option<String>, first: bool, set: UseStateSetter<NoticeList>) {
    let call = LATEST.with(|l| l.get().wrapping_add(1));
    LATEST.with(|l| l.set(call));
    let show = |list: Vec<Notice>| {
        if LATEST.with(Cell::get) == call {
            set.set(NoticeList::Ready(Rc::new(list)));
        }
    };
    let storage = Storage::open().await.ok();
    let mut shown = false;
    if let (true, Some(storage)) = (first, &storage) {
        if let Some(list) = storage
            .setting(LIST_KEY)
            .await
            .ok()
            .flatten()
            .as_deref()
            .and_then(list_of)
        {
            show(list);
            shown = true;
        }
    }
    let url = api_url(server.as_deref(), "api/v1/notices");
    let reads = |text: &str| list_of(text).is_some();
    match get_kept(storage.as_ref(), &url, None, LIST_KEY, true, reads).await {
        Some((text, false)) => {
            if let Some(list) = list_of(&text) {
                prune_read(&list);
                show(list);
            }
        }
        // The copy kept: already shown by the first call, stale for a later one.
        Some((_, true)) => {}
        None if first && !shown && LATEST.with(Cell::get) == call => {
            set.set(NoticeList::Unavailable);
        }
        None => {}
    }
    if let Some(storage) = storage {
        storage.close();
    }
}

/// The shell's notices: the copy kept on the phone at once, then the server's; again
/// whenever the resident comes to another tab (`section`), when the app comes back
/// into view and when the browser comes online.
#[hook]
pub fn use_notices(server: Option<String>, section: Route) -> NoticeList {
    let list = use_state(NoticeList::default);
    {
        let set = list.setter();
        let first = matches!(*list, NoticeList::Loading);
        use_effect_with((server, section), move |(server, _)| {
            let refresh = {
                let server = server.clone();
                move |first: bool| {
                    let task = load(server.clone(), first, set.clone());
                    wasm_bindgen_futures::spawn_local(task);
                }
            };
            refresh(first);
            let (online, shown) = (refresh.clone(), refresh);
            let window = web_sys::window();
            let online = window
                .as_ref()
                .map(|w| EventListener::new(w, "online", move |_| online(false)));
            let shown = window.and_then(|w| w.document()).map(|d| {
                let visible = d.clone();
                EventListener::new(&d, "visibilitychange", move |_| {
                    if !visible.hidden() {
                        shown(false);
                    }
                })
            });
            move || drop((online, shown))
        });
    }
    (*list).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_read_once_its_exact_id_is_marked() {
        let n = Notices {
            list: NoticeList::Loading,
            read: "water\nlift\n".into(),
        };
        assert!(!n.unread("lift") && !n.unread("water"));
        assert!(n.unread("lif") && n.unread("water\nlift"));
    }

    #[test]
    fn the_same_list_and_marks_do_not_draw_again_and_a_new_list_does() {
        let list = Rc::new(Vec::new());
        let a = Notices {
            list: NoticeList::Ready(list.clone()),
            read: "x\n".into(),
        };
        let same = Notices {
            list: NoticeList::Ready(list),
            read: "x\n".into(),
        };
        assert!(a == same);
        let fresh = Notices {
            list: NoticeList::Ready(Rc::new(Vec::new())),
            ..same.clone()
        };
        assert!(a != fresh, "a new answer is a new list, even when equal");
        assert!(
            a != Notices {
                list: NoticeList::Unavailable,
                ..same
            }
        );
    }
}
