// What staff publish in the console reaches a resident who already has the app, as a
// redeployment did: the new version is offered ("立即更新"), applied on request, and
// keeps what the resident had (长辈版, a submission still waiting to be sent, which is
// sent once); a rollback is offered the same way and brings the old brand back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { copyOf, PHONE, phone, serve, staffApi, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();

const RED = "rgb(179, 38, 30)"; // qingshan's #b3261e
const BLUE = "rgb(29, 78, 216)"; // #1d4ed8

/** Waits for the update offer and applies it; the page reloads into the new version. */
async function applyUpdate(shell) {
  await shell.reload();
  const banner = shell.page.locator(".ll-update");
  try {
    // The browser finds the new sw.js when it next checks (a few seconds here).
    await banner.waitFor({ timeout: 30000 });
  } catch (e) {
    // Say what the service worker was doing: that is where this would go wrong.
    const state = await shell.page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      const s = (w) => (w ? `${w.state} ${new URL(w.scriptURL).pathname}` : "none");
      return {
        controller: s(navigator.serviceWorker.controller),
        installing: s(reg?.installing),
        waiting: s(reg?.waiting),
        active: s(reg?.active),
        flag: window.linliUpdateReady === true,
      };
    });
    throw new Error(`no update banner: ${JSON.stringify(state)}\n${e.message}`);
  }
  assert.match(await banner.innerText(), /新版本已准备好/);
  await Promise.all([
    shell.page.waitForEvent("load", { timeout: 20000 }),
    banner.getByRole("button").click(),
  ]);
  await shell.ready();
  assert.equal(await banner.count(), 0, "banner still shown after updating");
}

/** The console in a phone-sized browser, signed in as the demo admin. */
async function console_(server) {
  const context = await phone(env.browser);
  const page = await context.newPage();
  // Publishing asks first (every resident gets it): staff say yes.
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto(new URL("staff", server.url).href);
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill("linli-demo");
  await Promise.all([page.waitForURL(/\/staff\//), page.getByRole("button", { name: "登录" }).click()]);
  return { context, page };
}

test("a notice and a new colour published in the console reach an installed app with a waiting submission, which is sent once; a rollback comes back the same way", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true, testKinds: true });
  const context = await phone(env.browser);
  // Submissions are held on their way out until the update is applied: the waiting
  // one lives through the update's reload.
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await context.route("**/api/v1/submissions", async (route) => {
    await released;
    try {
      await route.continue();
    } catch {
      /* the page that sent it has gone (the update reloaded it) */
    }
  });
  const staff = await console_(server);
  try {
    const shell = new ShellPage(await context.newPage());
    await shell.link(server.url, server.codes[0].code);
    await shell.waitUntilOfflineReady();
    await shell.toggleElder();
    assert.equal(await shell.headerBackground(), RED);
    await shell.submit("test_note", { text: "更新前提交" });
    await shell.page.locator(".ll-outbox-bar").waitFor();

    // Staff publish a notice and a new colour, in the console like anyone would.
    const desk = staff.page;
    await desk.goto(new URL("staff/notices", server.url).href);
    await desk.getByLabel("标题（中文）").fill("主题颜色换成蓝色");
    await desk.getByLabel("正文（中文，空一行分段）").fill("应用的颜色换了，功能不变。");
    await desk.getByRole("button", { name: "发布公告" }).click();
    await desk.locator("tr", { hasText: "主题颜色换成蓝色" }).waitFor();
    await desk.goto(new URL("staff/settings", server.url).href);
    await desk.getByLabel("主色", { exact: true }).fill("#1d4ed8");
    await desk.locator("[data-contrast-out]", { hasText: "合格" }).waitFor();
    await desk.getByLabel(/这次改了什么/).fill("换成蓝色");
    await desk.screenshot({ path: new URL("../e2e/artifacts/console-settings.png", import.meta.url).pathname, fullPage: true });
    await desk.getByRole("button", { name: "保存并发布" }).click();
    await desk.getByText("第 2 版已发布").waitFor();

    await applyUpdate(shell);
    assert.equal(await shell.headerBackground(), BLUE, "the new colour");
    assert.ok(await shell.isElder(), "长辈版 lost in the update");
    await shell.screenshot("update-applied-elder");
    await shell.open(server.url + "#/notices");
    await shell.page.getByText("主题颜色换成蓝色").waitFor();

    // The submission made before the update is sent now, once.
    release();
    await shell.open(server.url + "#/me");
    await shell.page.getByTestId("outbox-waiting").filter({ hasText: "没有待发送的内容" }).waitFor({ timeout: 60000 });
    const rows = await (await staffApi(server)).get("api/v1/submissions?limit=1000");
    const mine = rows.filter((r) => r.payload.text === "更新前提交");
    assert.equal(mine.length, 1, `stored ${mine.length} times`);

    // Roll back to version 1: offered and applied the same way.
    await desk.goto(new URL("staff/settings", server.url).href);
    await desk.locator('tr[data-version="1"]').getByRole("button", { name: "回滚到这一版" }).click();
    await desk.getByText("第 1 版已发布").waitFor();
    await applyUpdate(shell);
    assert.equal(await shell.headerBackground(), RED, "the old colour is back");
    assert.ok(await shell.isElder());
  } finally {
    release();
    await staff.context.close();
    await context.close();
    await server.stop();
  }
});

test("the console's settings page is usable at phone width", async () => {
  const server = await serve(copyOf("hehua"), { seed: true });
  const staff = await console_(server);
  try {
    await staff.page.goto(new URL("staff/settings", server.url).href);
    const overflow = await staff.page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a ${PHONE.width}px phone`);
    // A bad value is refused beside its field, with what was typed kept.
    await staff.page.getByLabel("服务热线").fill("打电话给我们");
    await staff.page.getByLabel(/这次改了什么/).fill("试试");
    await staff.page.getByRole("button", { name: "保存为新版本" }).click();
    await staff.page.locator("#hotline-error").waitFor();
    assert.equal(await staff.page.getByLabel("服务热线").inputValue(), "打电话给我们");
    await staff.page.screenshot({ path: new URL("../e2e/artifacts/console-settings-error.png", import.meta.url).pathname, fullPage: true });
  } finally {
    await staff.context.close();
    await server.stop();
  }
});
