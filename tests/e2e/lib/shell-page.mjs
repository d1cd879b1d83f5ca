// Page object for the linli shell: what a resident sees and taps.

export class ShellPage {
  constructor(page) {
    this.page = page;
  }

  /** Opens the app and waits until the shell (not the boot message) is on screen. */
  async open(url) {
    await this.page.goto(url);
    await this.ready();
  }

  async ready() {
    await this.page.locator(".ll-header__name").waitFor({ timeout: 15000 });
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

  /** Taps a tab of the bottom bar by its label. */
  async tab(label) {
    await this.page.locator(".ll-tabbar__tab", { hasText: label }).click();
  }

  title() {
    return this.page.locator(".ll-page__title").innerText();
  }

  /** Waits until a service worker controls the page (offline start is possible). */
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

  /** Every interactive element's rendered box, for touch-target checks. */
  targets() {
    return this.page.evaluate(() =>
      [...document.querySelectorAll("button, a[href], .ll-choice__option")]
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { what: `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}"`, width: r.width, height: r.height };
        })
    );
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
