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

test("a notice with a photo and an attachment, published from the console on a phone, shows both to residents, in 长辈版 too", async () => {
  const server = await serve(deployment("hehua"), { seed: true });
  const desk = await phone(env.browser);
  const context = await phone(env.browser);
  try {
    // The console on a phone, as staff would use it.
    const page = await desk.newPage();
    await page.goto(new URL("staff", server.url).href);
    await page.getByLabel("用户名").fill("wang");
    await page.getByLabel("密码").fill("linli-demo");
    await Promise.all([page.waitForURL(/\/staff\//), page.getByRole("button", { name: "登录" }).click()]);
    await page.goto(new URL("staff/notices", server.url).href);
    // A camera-sized photo, drawn by the browser.
    const jpeg = await page.evaluate(async () => {
      const c = document.createElement("canvas");
      c.width = 2400;
      c.height = 1600;
      const g = c.getContext("2d");
      g.fillStyle = "#00695c";
      g.fillRect(0, 0, 2400, 1600);
      g.fillStyle = "#ffd54f";
      g.fillRect(300, 300, 1800, 1000);
      const blob = await new Promise((r) => c.toBlob(r, "image/jpeg", 0.95));
      return [...new Uint8Array(await blob.arrayBuffer())];
    });
    const title = "荷花小区停车场划线施工";
    await page.getByLabel("标题（中文）").fill(title);
    await page.getByLabel("正文（中文，空一行分段）").fill("12月5日停车场重新划线，当天请把车停到路边。");
    await page.getByLabel(/附件内容（中文/).fill("施工时间：12月5日 8:00–18:00\n\n临时停车：荷花路东侧");
    await page.getByLabel("图片（可不填）").setInputFiles({ name: "IMG_0412.JPG", mimeType: "image/jpeg", buffer: Buffer.from(jpeg) });
    await page.getByRole("button", { name: "发布公告" }).click();
    await page.locator("tr", { hasText: title }).waitFor();
    await page.screenshot({ path: new URL("./artifacts/console-notices-phone.png", import.meta.url).pathname, fullPage: true });

    const shell = new ShellPage(await context.newPage());
    await shell.open(server.url + "#/notices");
    await shell.page.locator(".ll-card", { hasText: title }).click();
    await shell.waitForPage("notice");
    const img = shell.page.locator(".ll-notice-page__image");
    await shell.page.waitForFunction(() => {
      const i = document.querySelector(".ll-notice-page__image");
      return i && i.complete && i.naturalWidth > 0;
    });
    assert.equal(await img.evaluate((i) => i.naturalWidth), 1280, "the phone gets the small photo");
    await shell.page.locator(".ll-notice-page__attachment", { hasText: "临时停车：荷花路东侧" }).waitFor();
    await shell.screenshot("notice-photo-attachment");
    await shell.toggleElder();
    await shell.screenshot("notice-photo-attachment-elder");
  } finally {
    await desk.close();
    await context.close();
    await server.stop();
  }
});
