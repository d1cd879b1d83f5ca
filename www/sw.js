/* linli service worker: starts the app with no network after one visit.
 *
 * `cargo xtask dist` fills in VERSION (a hash of every precached file) and PRECACHE
 * (the content-hashed build, config, logo, icons, manifest). A new deployment means
 * a new VERSION, so the browser installs this worker again: the new files are
 * fetched into a new cache while the old version keeps running, and the page offers
 * "update now" (the page's own data, in IndexedDB and localStorage, is never touched).
 *
 * `config.json` is one of the version's files like the others: a change of settings
 * (published in the console, or a new `dist`) is a new version, offered and applied
 * whole, so the app never shows one version's name with another's logo.
 *
 * Never intercepted: anything but GET (submissions are POSTed by the page's own sync
 * loop), other origins, the API (api/) and the staff console (staff): those always
 * go to the network, so staff pages open in a browser where the resident app is
 * installed, and nothing personal is ever cached here.
 */
"use strict";

const VERSION = "__LINLI_VERSION__";
const PRECACHE = ["__LINLI_PRECACHE__"];
const CACHE = "linli-" + VERSION;
const SHELL = "index.html";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("linli-") && k !== CACHE).map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "SKIP_WAITING") self.skipWaiting();
});

function scoped(path) {
  return new URL(path, self.registration.scope).href;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const inScope = url.pathname.slice(new URL(self.registration.scope).pathname.length);
  if (/^(api|staff)(\/|$)/.test(inScope)) return;

  if (request.mode === "navigate") {
    // The app shell: cached first, so a bad network never delays the start.
    event.respondWith(
      caches.match(scoped(SHELL), { cacheName: CACHE }).then((hit) => hit || fetch(request))
    );
    return;
  }

  event.respondWith(
    caches.match(request, { cacheName: CACHE, ignoreSearch: true }).then((hit) => hit || fetch(request))
  );
});
