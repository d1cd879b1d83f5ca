// Page object for the linli shell: what a resident sees and taps.

/** The bottom bar's tabs, by label, and the page each opens. */
const TABS = { 首页: "home", 公告: "notices", 我的: "me", Home: "home", Notices: "notices", Me: "me" };

/** The page name (`<main data-page>`) an address shows. */
export function pageOf(hash) {
  const path = hash.replace(/^#\/?/, "").split("?")[0].replace(/\/$/, "");
  const [first, second] = path.split("/");
  if (!first) return "home";
  if (first === "notices") return second ? "notice" : "notices";
  if (second === undefined && ["me", "evaluation", "meals", "voting", "feedback", "forms"].includes(first)) return first;
  return "not-found";
}

export class ShellPage {
  constructor(page) {
    this.page = page;
  }

  /**
   * Opens the app at `url` and waits until the shell shows the page its address names
   * (not the boot message, and not the page that was there before the hash changed).
   */
  async open(url) {
    await this.page.goto(url);
    await this.ready();
  }

  /** Waits for the shell and for the page the current address names. */
  async ready() {
    await this.page.locator(".ll-header__name").waitFor({ timeout: 15000 });
    const hash = await this.page.evaluate(() => location.hash);
    await this.waitForPage(pageOf(hash));
  }

  /** Waits until `<main>` shows page `name` (home, notices, notice, me, meals, …). */
  async waitForPage(name) {
    await this.page.locator(`main[data-page="${name}"] .ll-page__title`).first().waitFor({ timeout: 15000 });
  }

  async reload() {
    await this.page.reload();
    await this.ready();
  }

  name() {
    return this.page.locator(".ll-header__name").innerText();
  }

  headerBackground() {
    return this.page.locator(".ll-header").evaluate((el) => getComputedStyle(el).backgroundColor);
  }

  async toggleElder() {
    await this.page.locator(".ll-header__elder").click();
  }

  isElder() {
    return this.page.evaluate(() => document.documentElement.getAttribute("data-elder") === "true");
  }

  /** A computed length in px of the first match. */
  px(selector, property) {
    return this.page
      .locator(selector)
      .first()
      .evaluate((el, p) => parseFloat(getComputedStyle(el)[p]), property);
  }

  /** Taps a tab of the bottom bar by its label and waits until its page shows. */
  async tab(label) {
    await this.page.locator(".ll-tabbar__tab", { hasText: label }).click();
    await this.waitForPage(TABS[label]);
  }

  /**
   * The title of the page the address names, read once that page is shown (after a
   * tap on a link the old page's title is still there for a moment).
   */
  async title() {
    const name = pageOf(await this.page.evaluate(() => location.hash));
    await this.waitForPage(name);
    return this.page.locator(`main[data-page="${name}"] .ll-page__title`).first().innerText();
  }

  /** Waits until a service worker controls the page (offline start is possible). */
  /**
   * Waits until the app has kept `key` (a list it fetched: `notices`, the meals board)
   * in its IndexedDB settings store, committed: what it can show offline. Never opens
   * a database the app has not made (that would make it at the wrong version). With
   * `containing`, waits until what is kept contains that text (a draft with an answer).
   */
  async waitUntilKept(key, containing = null) {
    await this.page.waitForFunction(
      async ({ key, containing }) => {
        const names = (await indexedDB.databases()).map((d) => d.name);
        if (!names.includes("linli")) return false;
        const db = await new Promise((resolve, reject) => {
          const open = indexedDB.open("linli");
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        try {
          if (!db.objectStoreNames.contains("settings")) return false;
          return await new Promise((resolve) => {
            const get = db.transaction("settings").objectStore("settings").get(key);
            get.onsuccess = () =>
              resolve(get.result !== undefined && (containing === null || String(get.result).includes(containing)));
            get.onerror = () => resolve(false);
          });
        } finally {
          db.close();
        }
      },
      { key, containing },
      { polling: 100 }
    );
  }

  async waitUntilOfflineReady() {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true })
        );
      }
    });
  }

  /**
   * Every interactive element's rendered box, for touch-target checks; fails on an
   * empty page (a check over nothing proves nothing).
   */
  async targets() {
    const found = await this.page.evaluate(() =>
      [...document.querySelectorAll("button, a[href]")]
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { what: `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}"`, width: r.width, height: r.height };
        })
    );
    if (found.length === 0) throw new Error("no interactive elements on the page");
    return found;
  }

  /** Links this phone on 我的 with a household code. */
  async link(url, code) {
    await this.open(url + "#/me");
    await this.page.getByLabel("户码").fill(code);
    await this.page.getByRole("button", { name: "绑定" }).click();
    await this.page.getByTestId("household-linked").waitFor();
  }

  /**
   * Submits from JavaScript as an embedding page would, and waits until the shell
   * answers that it saved it; resolves with the submission id.
   */
  submit(kind, payload) {
    return this.page.evaluate(
      ([k, p]) =>
        new Promise((resolve, reject) => {
          const ref = Math.random();
          const answer = (event) => {
            if (event.detail.ref !== ref) return;
            removeEventListener("linli-submitted", answer);
            if (event.detail.id) resolve(event.detail.id);
            else reject(new Error(event.detail.error));
          };
          addEventListener("linli-submitted", answer);
          dispatchEvent(new CustomEvent("linli-submit", { detail: { kind: k, payload: p, ref } }));
        }),
      [kind, payload]
    );
  }

  async screenshot(name) {
    await this.page.screenshot({ path: new URL(`../artifacts/${name}.png`, import.meta.url).pathname });
  }
}
