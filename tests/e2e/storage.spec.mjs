// The truth about storage and time: with IndexedDB failing (full on `put`, the
// connection lost mid-session, absent from the start), service workers blocked or
// missing, or the phone's clock wrong, the resident is told what happened and what to
// do, is never told an order is kept when it is not, and nothing waits forever.
import assert from "node:assert/strict";
import { test } from "node:test";
import { copyOf, phone, serve, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();

/** A China date, `days` after today (by the real clock). */
function chinaDate(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

/** The daughter's household (1幢201), a helper for 张桂英. */
function helperCode(server) {
  return server.codes.find((c) => c.unit === "1幢201").code;
}

/**
 * Lets a test make IndexedDB fail on demand: `window.__idb = "full"` makes every
 * outbox `put` throw QuotaExceededError, `"lost"` makes every new transaction throw
 * InvalidStateError, as a browser does once it closed the connection under the page.
 */
function failingStorage() {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    if (window.__idb === "full" && this.name === "outbox") {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    }
    return put.apply(this, args);
  };
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...args) {
    if (window.__idb === "lost") {
      throw new DOMException("The database connection is closing.", "InvalidStateError");
    }
    return transaction.apply(this, args);
  };
}

/** Tomorrow's lunch with one congee in the draft, on the meals page. */
async function draftAnOrder(shell, server) {
  const tomorrow = chinaDate(1);
  await shell.open(server.url + "#/meals");
  await shell.page.locator(`[data-act=day][data-arg='${tomorrow}']`).click();
  await shell.page.locator(`[data-act=meal][data-arg='${tomorrow}|lunch']`).click();
  await shell.page.locator("[data-dish=congee] [data-act=add]").click();
}

for (const [how, words] of [
  ["full", "手机存储空间已满"],
  ["lost", "浏览器中断了本页的存储"],
]) {
  test(`an order the phone cannot keep (storage ${how}) is never called saved, and the draft stays`, async () => {
    const server = await serve(copyOf("qingshan"), { seed: true });
    const context = await phone(env.browser);
    await context.addInitScript(failingStorage);
    const shell = new ShellPage(await context.newPage());
    try {
      await shell.link(server.url, helperCode(server));
      await draftAnOrder(shell, server);
      await shell.page.evaluate((h) => (window.__idb = h), how);
      await shell.page.locator("[data-act=confirm]").click();
      const problem = shell.page.locator(".ll-meal__message.ll-notice--problem");
      await problem.filter({ hasText: words }).waitFor();
      assert.match(await problem.innerText(), /订单还没有保存，也没有发出/);
      assert.equal(await shell.page.getByText("已订好").count(), 0, "no 'saved' anywhere");
      assert.equal(await shell.page.locator("[data-dish=congee] .ll-stepper__value").innerText(), "1", "the draft is kept");
      await shell.screenshot(`storage-${how}`);
      // After reopening: nothing was kept, and nothing says it was.
      await shell.reload();
      await shell.open(server.url + "#/me");
      await shell.page.getByTestId("outbox-waiting").filter({ hasText: "没有待发送的内容" }).waitFor();
    } finally {
      await context.close();
      await server.stop();
    }
  });
}

test("a consent withdrawal the phone cannot keep says why, and the elder stays listed to try again", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  await context.addInitScript(failingStorage);
  const shell = new ShellPage(await context.newPage());
  try {
    // 张桂英's own household (1幢101): it alone withdraws her dietary consent.
    await shell.link(server.url, server.codes.find((c) => c.unit === "1幢101").code);
    const withdraw = shell.page.getByRole("button", { name: "撤回同意并删除饮食信息" });
    await withdraw.waitFor({ timeout: 15000 });
    await shell.page.evaluate(() => (window.__idb = "full"));
    await withdraw.click();
    const problem = shell.page.locator("[data-testid=meals-me] .ll-notice--problem");
    await problem.filter({ hasText: "手机存储空间已满" }).waitFor();
    assert.equal(await withdraw.count(), 1, "the elder is still listed, to try again");
    // Once the phone can keep it, the same button works.
    await shell.page.evaluate(() => (window.__idb = ""));
    await withdraw.click();
    await withdraw.waitFor({ state: "detached", timeout: 15000 });
  } finally {
    await context.close();
    await server.stop();
  }
});

test("without IndexedDB the resident is told so, never sent in a loop to link, and nothing spins", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  await context.addInitScript(() => {
    Object.defineProperty(window, "indexedDB", { get: () => undefined, configurable: true });
  });
  const shell = new ShellPage(await context.newPage());
  try {
    await shell.open(server.url + "#/me");
    const unavailable = "这个浏览器不让本页在手机上保存内容";
    // 绑定住户, 待发送 and 本机存储 each say it, in place of "loading" or "ready".
    await shell.page.locator(".ll-notice--problem", { hasText: unavailable }).waitFor();
    await shell.page.getByTestId("outbox-waiting").filter({ hasText: unavailable }).waitFor();
    await shell.page.locator("[data-testid=storage-status] [data-state=no-storage]").waitFor();
    assert.equal(await shell.page.getByText("正在加载…").count(), 0, "nothing waits forever");
    await shell.screenshot("storage-unavailable-me");
    await shell.open(server.url + "#/meals");
    await shell.page.locator(".ll-meal__message.ll-notice--problem", { hasText: unavailable }).waitFor();
    assert.equal(await shell.page.getByText("先绑定住户才能订餐").count(), 0, "not sent to link");
  } finally {
    await context.close();
    await server.stop();
  }
});

test("a browser without service workers, or with them blocked, is told offline use is not available", async () => {
  const server = await serve(copyOf("qingshan"));
  const cases = [
    ["unsupported", () => delete Navigator.prototype.serviceWorker, "这个浏览器不支持离线使用"],
    [
      "blocked",
      () => {
        ServiceWorkerContainer.prototype.register = () =>
          Promise.reject(new DOMException("Service workers are disabled.", "SecurityError"));
      },
      "这个浏览器禁止了离线功能",
    ],
  ];
  try {
    for (const [state, script, words] of cases) {
      const context = await phone(env.browser);
      try {
        await context.addInitScript(script);
        const shell = new ShellPage(await context.newPage());
        await shell.open(server.url + "#/me");
        const item = shell.page.locator(`[data-testid=storage-status] [data-state=${state}]`);
        await item.waitFor();
        assert.match(await item.innerText(), new RegExp(words));
        assert.equal(await shell.page.getByText("完成首次加载后即可离线使用").count(), 0, "no empty promise");
        assert.equal(await shell.page.getByText("正在加载…").count(), 0, "nothing waits forever");
      } finally {
        await context.close();
      }
    }
  } finally {
    await server.stop();
  }
});

test("a phone clock two days behind is named, and meals open and close by the server's time", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  const page = await context.newPage();
  const shell = new ShellPage(page);
  try {
    await page.clock.install({ time: new Date(Date.now() - 2 * 86400e3) });
    await shell.link(server.url, helperCode(server));
    await shell.page.getByTestId("clock-wrong").filter({ hasText: "慢了约 2 天" }).waitFor();
    // By the phone's clock tomorrow's lunch would be three days ahead; by the
    // server's it is tomorrow's, and ordering it is stored, not refused.
    await draftAnOrder(shell, server);
    await page.locator("[data-act=confirm]").click();
    await page.locator(".ll-meal__message", { hasText: "已订好" }).waitFor();
    await page.locator(".ll-meal__order .ll-meal__status", { hasText: "已接单" }).waitFor({ timeout: 60000 });
    assert.equal(await page.locator(".ll-meal__order--refused").count(), 0);
    await shell.screenshot("clock-behind");
  } finally {
    await context.close();
    await server.stop();
  }
});
