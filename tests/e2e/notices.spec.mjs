// Notices come from the server: what staff publish in the console reaches a resident's
// installed app without a new deployment, marked 未读 until opened, kept for offline
// use, and gone once withdrawn. The notices config.json carried are taken over once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { deployment, phone, serve, staffApi, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();

test("a notice staff publish reaches the installed app, unread until opened, offline too, and leaves when withdrawn", async () => {
  const server = await serve(deployment("qingshan"), { seed: true });
  const context = await phone(env.browser);
  try {
    const shell = new ShellPage(await context.newPage());
    await shell.open(server.url);
    await shell.waitUntilOfflineReady();
    const tile = shell.page.locator(".ll-tile__hint--unread");
    // config.json's three notices, taken over by the server at its first start.
    assert.equal(await tile.innerText(), "3 条未读");

    const staff = await staffApi(server, "admin");
    const title = "12月3日3幢电梯检修";
    const published = await staff.form("staff/notices", {
      title_zh: title,
      body_zh: "3幢电梯12月3日9:00至12:00检修，请走楼梯。",
      pinned: "yes",
    });
    assert.equal(published, 303);
    const id = (await staff.html("staff/notices")).match(/data-notice="([^"]+)"[^>]*data-state="live"/)[1];

    // No new deployment: the app asks the server when it starts again.
    await shell.reload();
    const first = shell.page.locator(".ll-cards .ll-card").first();
    await first.filter({ hasText: title }).waitFor();
    assert.match(await first.innerText(), /【置顶】/);
    assert.match(await first.innerText(), /未读/);
    assert.equal(await tile.innerText(), "4 条未读");
    await shell.screenshot("notices-home-unread");

    // Opened, it is read; the home page says so at once and after a restart.
    await first.click();
    await shell.waitForPage("notice");
    assert.equal(await shell.page.locator(".ll-page__title").innerText(), title);
    await shell.tab("首页");
    await shell.page.locator(".ll-tile__hint--unread", { hasText: "3 条未读" }).waitFor();
    assert.doesNotMatch(await first.innerText(), /未读/);

    // Offline, a restart still shows it, read, from the copy kept on the phone.
    await context.setOffline(true);
    await shell.reload();
    await shell.tab("公告");
    const card = shell.page.locator(".ll-card", { hasText: title });
    await card.waitFor();
    assert.doesNotMatch(await card.innerText(), /未读/);
    await context.setOffline(false);

    // Withdrawn, it leaves the app at its next start.
    assert.equal(await staff.form(`staff/notices/${id}/withdraw`, {}), 303);
    await shell.reload();
    await shell.page.locator(".ll-card").first().waitFor();
    await shell.page.waitForFunction(
      (t) => ![...document.querySelectorAll(".ll-card")].some((c) => c.textContent.includes(t)),
      title,
    );
    assert.equal(await shell.page.locator(".ll-card").count(), 3);
    await shell.page.goto(`${server.url}#/notices/${id}`);
    await shell.page.locator(".ll-page__title", { hasText: "找不到这条公告" }).waitFor();
  } finally {
    await context.close();
    await server.stop();
  }
});
