// 诉求反馈 end to end (issue 13): a resident reports offline with a photo (kept on the
// phone, through a reload, sent once when the network returns); staff see the
// knowledge base's suggestion and dispatch to the municipal office, whose handler takes
// it up and answers; staff close it and record the follow-up call; the resident reads
// every step on the timeline, rates 不满意 and the case reopens; 长辈版 numbers and axe
// on the resident's page and the staff case page at phone width.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { copyOf, phone, serve, staffApi, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

function codeOf(server, unit) {
  return server.codes.find((c) => c.unit === unit).code;
}

async function axe(shell) {
  await shell.page.evaluate(readFileSync(AXE, "utf8"));
  const found = await shell.page.evaluate(
    async () => (await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })).violations
  );
  return found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

async function openFeedback(shell, server) {
  await shell.open(server.url + "#/feedback");
  await shell.page.locator(".ll-fb__form").waitFor({ timeout: 15000 });
}

/** A 640×480 photo as a phone camera would hand it over (PNG made in the page). */
async function photo(page) {
  const b64 = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 640;
    c.height = 480;
    const g = c.getContext("2d");
    g.fillStyle = "#2b5";
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = "#fd0";
    g.beginPath();
    g.arc(320, 200, 90, 0, 7);
    g.fill();
    return c.toDataURL("image/png").split(",")[1];
  });
  return { name: "路灯.png", mimeType: "image/png", buffer: Buffer.from(b64, "base64") };
}

test("a report made offline with a photo goes round the loop and reopens on 不满意", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  const shell = new ShellPage(await context.newPage());
  const contexts = [context];
  try {
    await shell.link(server.url, codeOf(server, "1幢202"));
    await shell.waitUntilOfflineReady();
    await openFeedback(shell, server);
    const page = shell.page;
    // A field left out is said at the field; nothing typed is lost.
    await page.locator("#ll-fb-description").fill("2幢北侧路灯坏了三盏，晚上一片漆黑");
    await page.locator("[data-act=report]").click();
    await page.locator(".ll-fb__categories .ll-fb__problem", { hasText: "请选择问题类别" }).waitFor();
    assert.equal(await page.locator("#ll-fb-description").inputValue(), "2幢北侧路灯坏了三盏，晚上一片漆黑");

    await context.setOffline(true);
    await page.locator("[data-act=category][data-arg=lighting]").click();
    await page.locator("#ll-fb-place").fill("2幢");
    await page.locator("#ll-fb-phone").fill("139-0000-1111");
    await page.locator(".ll-fb__file").setInputFiles(await photo(page));
    await page.locator(".ll-fb__thumbs img").waitFor({ timeout: 15000 });
    await page.locator("[data-act=report]").click();
    const queued = page.locator("[data-report=waiting]");
    await queued.waitFor();
    assert.match(await queued.innerText(), /1 张照片，共 \d+ KB/);
    assert.match(await queued.innerText(), /已保存在手机上/);
    assert.equal(await page.locator("#ll-fb-description").inputValue(), "", "the form clears once the outbox holds it");
    await shell.reload();
    await page.locator("[data-report=waiting]").waitFor({ timeout: 15000 });
    await shell.screenshot("feedback-offline-waiting");
    await context.setOffline(false);
    const card = page.locator(".ll-fb__card", { hasText: "2幢北侧路灯坏了三盏" });
    await card.waitFor({ timeout: 60000 });
    await page.locator("[data-report=waiting]").waitFor({ state: "detached", timeout: 30000 });
    const number = await card.getAttribute("data-case");

    // Staff see the suggestion from past cases and dispatch; the handler answers.
    const wang = await staffApi(server, "wang");
    const casePage = await wang.html(`staff/feedback/${number}`);
    assert.match(casePage, /data-suggested="municipal"/);
    assert.match(casePage, /139\*\*\*\*1111/, "staff see the phone masked");
    assert.equal(await wang.form(`staff/feedback/${number}/step`, { action: "dispatch", to: "municipal", suggested: "municipal" }), 200);
    const handler = await staffApi(server, "shizheng");
    assert.match(await handler.html(`staff/feedback/${number}`), /13900001111/, "the assigned handler sees the phone");
    assert.equal(await handler.form(`staff/feedback/${number}/step`, { action: "accept" }), 200);
    assert.equal(await handler.form(`staff/feedback/${number}/step`, { action: "reply", note: "已更换三盏路灯的灯头" }), 200);
    assert.equal(await wang.form(`staff/feedback/${number}/step`, { action: "close" }), 200);
    assert.equal(await wang.form(`staff/feedback/${number}/step`, { action: "visit", note: "电话回访" }), 200);

    // The resident reads every step and the answer, rates 不满意: it reopens.
    await shell.reload();
    const visited = page.locator(`.ll-fb__card[data-case="${number}"][data-state=visited]`);
    await visited.waitFor({ timeout: 15000 });
    await visited.locator("[data-answer]", { hasText: "已更换三盏路灯的灯头" }).waitFor();
    await visited.locator("summary").first().click();
    const steps = await visited.locator("[data-step]").evaluateAll((els) => els.map((e) => e.dataset.step));
    assert.deepEqual(steps, ["report", "dispatch", "accept", "reply", "close", "visit"]);
    assert.match(await visited.innerText(), /市政设施管理所/);
    assert.doesNotMatch(await visited.innerText(), /shizheng|wang/);
    await shell.screenshot("feedback-rate");
    assert.deepEqual(await axe(shell), [], "the resident's feedback page");
    await visited.locator("[data-act=rating][data-arg=dissatisfied]").click();
    await visited.locator("textarea").first().fill("只修了一盏");
    await visited.locator("[data-act=rate]").click();
    const reopened = page.locator(`.ll-fb__card[data-case="${number}"][data-state=submitted]`);
    await reopened.waitFor({ timeout: 60000 });
    assert.match(await reopened.innerText(), /已重新办理 1 次/);
    const after = await reopened.locator("[data-step]").evaluateAll((els) => els.map((e) => e.dataset.step));
    assert.deepEqual(after.slice(-1), ["rate"]);

    // The staff case page at phone width: the timeline with who and role, axe-clean.
    const eq = wang.cookie.indexOf("=");
    const desk = await phone(env.browser);
    contexts.push(desk);
    await desk.addCookies([{ name: wang.cookie.slice(0, eq), value: wang.cookie.slice(eq + 1), url: server.url }]);
    const staffPage = new ShellPage(await desk.newPage());
    await staffPage.page.goto(new URL(`staff/feedback/${number}`, server.url).href);
    await staffPage.page.locator("ol.timeline li[data-action=rate]").waitFor();
    assert.deepEqual(await axe(staffPage), [], "the staff case page");
    await staffPage.screenshot("staff-feedback-case");
    await staffPage.page.goto(new URL("staff/feedback", server.url).href);
    await staffPage.page.locator(`[data-case="${number}"]`).waitFor();
    assert.deepEqual(await axe(staffPage), [], "the staff inbox");
    await staffPage.screenshot("staff-feedback-inbox");
    await staffPage.page.goto(new URL("staff/feedback/situation", server.url).href);
    await staffPage.page.locator("[data-hit-rate]").waitFor();
    console.log(`feedback e2e: case ${number}; suggestion hit rate ${await staffPage.page.locator("[data-hit-rate]").innerText()}`);
    assert.deepEqual(await axe(staffPage), [], "the situation page");
    await staffPage.screenshot("staff-feedback-situation");
  } finally {
    for (const c of contexts) await c.close();
    await server.stop();
  }
});

test("长辈版 feedback page meets the numbers and has no axe violations", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  const shell = new ShellPage(await context.newPage());
  try {
    // 1幢201 has an answered report; staff close it, so the rating prompt shows.
    const wang = await staffApi(server, "wang");
    const inbox = await wang.html("staff/feedback?state=replied");
    const answered = inbox.match(/data-case="(\d+)"/)[1];
    assert.equal(await wang.form(`staff/feedback/${answered}/step`, { action: "close" }), 200);
    await shell.link(server.url, codeOf(server, "1幢201"));
    await openFeedback(shell, server);
    await shell.page.locator(`.ll-fb__card[data-case="${answered}"] [data-act=rate]`).waitFor({ timeout: 15000 });
    for (const t of await shell.targets()) {
      assert.ok(t.width >= 44 && t.height >= 44, `normal: ${t.what} is ${t.width}x${t.height}`);
    }
    assert.deepEqual(await axe(shell), [], "normal mode");
    await shell.screenshot("feedback");
    await shell.toggleElder();
    const body = await shell.px("body", "fontSize");
    assert.ok(body >= 18, `body text ${body}px`);
    assert.ok((await shell.px("body", "lineHeight")) / body >= 1.3);
    assert.ok((await shell.px(".ll-page__title", "fontSize")) >= 30, "the page title is the largest text");
    for (const t of await shell.targets()) {
      assert.ok(t.width >= 60 && t.height >= 60, `长辈版: ${t.what} is ${t.width}x${t.height}`);
    }
    // What targets() leaves out: the photo button (a label) and the folding summaries.
    for (const selector of [".ll-fb__add-photo", ".ll-fb__timeline summary", ".ll-fb__reopen summary"]) {
      const box = await shell.page.locator(selector).first().boundingBox();
      assert.ok(box.height >= 60, `长辈版: ${selector} is ${box.height}px high`);
    }
    assert.deepEqual(await axe(shell), [], "长辈版");
    await shell.screenshot("elder-feedback");
    await shell.page.locator(".ll-fb__card").first().scrollIntoViewIfNeeded();
    await shell.screenshot("elder-feedback-card");
  } finally {
    await context.close();
    await server.stop();
  }
});
