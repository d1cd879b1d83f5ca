// 公众评价 end to end (issue 14): a completed meal order brings the rating prompt once
// per period; the rating reaches the staff dashboard and the residents' published
// figures; a day's anonymous use counts leave the phone once the day is over, and a
// phone with counting switched off sends none; 长辈版 numbers and axe on the prompt and
// the published page.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { copyOf, phone, serve, staffApi, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** A China date, `days` after `from` (now by default). */
function chinaDate(days = 0, from = Date.now()) {
  return new Date(from + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

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

/** On the meals page, orders one portion of `dish` for `date`'s `slot` (soft food
 * without peanuts, for 张桂英), and waits until it is kept. */
async function order(shell, date, slot, dish) {
  const page = shell.page;
  await page.locator(".ll-meal__dish").first().waitFor({ timeout: 15000 });
  await page.locator(`[data-act=day][data-arg='${date}']`).click();
  await page.locator(`[data-act=meal][data-arg='${date}|${slot}']`).click();
  await page.locator(`[data-dish=${dish}] [data-act=add]`).click();
  await page.locator("[data-act=confirm]").click();
  await page.locator(".ll-meal__message", { hasText: "已订好" }).waitFor();
}

/** Resolves with the next decision on asking (`meals:yes`, `meals:no`). */
function nextAsked(page) {
  return page.evaluate(
    () =>
      (window.__asked = new Promise((resolve) =>
        addEventListener("linli-evaluation-asked", (e) => resolve(e.detail), { once: true })
      )) && null
  );
}

/** The meals figures residents see: [ratings, share] or null when too few. */
async function published(shell, server) {
  await shell.open(server.url + "#/evaluation");
  const meals = shell.page.locator(".ll-eval-figures[data-service=meals]");
  await meals.waitFor({ timeout: 15000 });
  const text = await meals.innerText();
  const m = text.match(/(\d+) 条评价/);
  return m ? Number(m[1]) : null;
}

test("a meal order brings the rating prompt once; the rating reaches staff and residents", async () => {
  const start = Date.now();
  const server = await serve(copyOf("qingshan"), { seed: true, startAt: new Date(start) });
  const context = await phone(env.browser);
  const shell = new ShellPage(await context.newPage());
  const page = shell.page;
  try {
    await shell.link(server.url, codeOf(server, "1幢201"));
    const before = await published(shell, server);
    assert.ok(before >= 5, `the demo's meals ratings are published: ${before}`);
    await shell.screenshot("evaluation-published");
    assert.deepEqual(await axe(shell), [], "axe on the published page");

    // The order is kept: the prompt comes under it, with the words of every score.
    await shell.open(server.url + "#/meals");
    await nextAsked(page);
    await order(shell, chinaDate(1), "lunch", "congee");
    assert.equal(await page.evaluate(() => window.__asked), "meals:yes");
    const prompt = page.locator(".ll-eval[data-service=meals]");
    await prompt.waitFor();
    const words = await prompt.locator(".ll-eval__score").allInnerTexts();
    assert.deepEqual(
      words.map((w) => w.replace(/\s+/g, " ").trim()),
      ["1 非常不满意", "2 不满意", "3 一般", "4 满意", "5 非常满意"]
    );
    await prompt.scrollIntoViewIfNeeded();
    await shell.screenshot("evaluation-prompt");
    assert.deepEqual(await axe(shell), [], "axe with the prompt");

    // 长辈版: 60 px targets, text at least 18 px.
    await shell.toggleElder();
    await prompt.scrollIntoViewIfNeeded();
    for (const selector of [".ll-eval [data-score='3']", ".ll-eval [data-act=send]", ".ll-eval [data-act=not-now]", ".ll-eval__tick"]) {
      const box = await page.locator(selector).boundingBox();
      assert.ok(box.height >= 60 && box.width >= 60, `${selector} is ${box.width}×${box.height} in 长辈版`);
    }
    assert.ok((await shell.px(".ll-eval__score", "fontSize")) >= 18);
    assert.ok((await shell.px(".ll-eval .ll-muted", "fontSize")) >= 18);
    await shell.screenshot("evaluation-prompt-elder");
    await shell.toggleElder();

    // Rated 5 with a comment, offline: kept on the phone (and said so), sent only once
    // the network is back (and said so then).
    await context.setOffline(true);
    await prompt.locator("[data-act=score][data-arg='5']").check();
    await prompt.locator("textarea").fill("粥很热乎，送得也准时");
    await prompt.locator("[data-act=send]").click();
    await page.locator(".ll-eval__status", { hasText: "评价已保存在手机上" }).waitFor();
    assert.equal(await page.locator(".ll-eval-ask__sent").count(), 0, "not sent while offline");
    await context.setOffline(false);
    await page.locator(".ll-eval-ask__sent", { hasText: "评价已发送" }).waitFor({ timeout: 30000 });
    const wang = await staffApi(server, "wang");
    let dashboard = "";
    for (let i = 0; i < 300 && !dashboard.includes("粥很热乎"); i++) {
      dashboard = await wang.html("staff/evaluation/meals");
      if (!dashboard.includes("粥很热乎")) await page.waitForTimeout(100);
    }
    assert.match(dashboard, /粥很热乎，送得也准时/, "the comment reaches the staff dashboard");
    assert.match(dashboard, /匿名/, "without its household: the contact box was not ticked");
    // Residents' figures are of whole days: the rating counts there from tomorrow.
    assert.equal(await published(shell, server), before, "not before its day is over");

    // The dashboard at phone width: charts with their tables, axe-clean.
    const eq = wang.cookie.indexOf("=");
    const desk = await phone(env.browser);
    try {
      await desk.addCookies([{ name: wang.cookie.slice(0, eq), value: wang.cookie.slice(eq + 1), url: server.url }]);
      const staffPage = new ShellPage(await desk.newPage());
      await staffPage.page.goto(new URL("staff/evaluation", server.url).href);
      await staffPage.page.locator("[data-compare] [data-service=meals]").waitFor();
      assert.deepEqual(await axe(staffPage), [], "the comparison page");
      await staffPage.screenshot("staff-evaluation");
      await staffPage.page.goto(new URL("staff/evaluation/meals", server.url).href);
      await staffPage.page.locator("figure.chart svg").first().waitFor();
      assert.equal(await staffPage.page.locator("figure.chart details table").count(), 2, "a table for each chart");
      assert.deepEqual(await axe(staffPage), [], "the meals page");
      await staffPage.screenshot("staff-evaluation-meals");
    } finally {
      await desk.close();
    }

    // Another order in the same period: no prompt.
    await shell.open(server.url + "#/meals");
    await nextAsked(page);
    await order(shell, chinaDate(2), "lunch", "egg");
    assert.equal(await page.evaluate(() => window.__asked), "meals:no");
    assert.equal(await page.locator(".ll-eval").count(), 0);

    // The next day residents see it counted.
    await server.restartAt(new Date(start + 86400e3));
    assert.equal(await published(shell, server), before + 1, "the residents' figures count it");

    // A resident may also rate a service of their own accord from the figures.
    const voting = page.locator(".ll-eval-figures[data-service=voting]");
    await voting.getByText(/评价不足 5 条/).waitFor();
    await voting.locator("[data-act=rate]").click();
    await voting.locator(".ll-eval[data-service=voting]").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.className), "ll-eval-ask", "the prompt takes the focus");
    await voting.locator("[data-act=not-now]").click();
    await voting.locator("[data-act=rate]").waitFor();
  } finally {
    await context.close();
    await server.stop();
  }
});

test("a day's use counts leave the phone once the day is over, and none with counting off", async () => {
  const start = Date.now();
  const server = await serve(copyOf("qingshan"), { seed: true, startAt: new Date(start) });
  const counting = await phone(env.browser);
  const silent = await phone(env.browser);
  const on = new ShellPage(await counting.newPage());
  const off = new ShellPage(await silent.newPage());
  const sent = { on: [], off: [] };
  for (const [name, shell] of [["on", on], ["off", off]]) {
    shell.page.on("request", (r) => {
      if (r.url().includes("/api/v1/evaluation") && r.method() === "POST") sent[name].push(r.postData() ?? "");
    });
  }
  try {
    await on.link(server.url, codeOf(server, "1幢201"));
    await off.link(server.url, codeOf(server, "1幢202"));
    // One phone switches counting off in 我的 (what is counted is said there).
    const toggle = off.page.getByRole("switch", { name: "匿名统计使用情况" });
    await toggle.click();
    await off.page.getByText("已关闭，不记录也不发送").waitFor();
    for (const shell of [on, off]) {
      await shell.open(server.url + "#/meals");
      await shell.open(server.url + "#/notices");
    }
    // 我的 shows what this phone counted today and has not sent.
    await on.open(server.url + "#/me");
    await on.page.getByText(/本机今天记了：打开 2 次/).waitFor();
    assert.deepEqual(sent, { on: [], off: [] }, "nothing of today leaves today");

    // The next day: each phone hears the server's clock, then opens a page.
    await server.restartAt(new Date(start + 86400e3));
    for (const shell of [on, off]) {
      await shell.open(server.url + "#/notices");
      await shell.page.locator(".ll-card").first().waitFor({ timeout: 15000 });
      await shell.open(server.url + "#/me");
    }
    const today = chinaDate(0, start);
    const wang = await staffApi(server, "wang");
    let csv = "";
    for (let i = 0; i < 300 && !csv.includes(`${today},meals,1,`); i++) {
      csv = await wang.html(`staff/evaluation/use.csv?from=${today}&to=${today}`);
      if (!csv.includes(`${today},meals,1,`)) await on.page.waitForTimeout(100);
    }
    assert.match(csv, new RegExp(`${today},meals,1,0,0`), csv);
    // The notice board opened the next morning before the phone heard the server's
    // new day counts on the day it believed it was.
    assert.match(csv, new RegExp(`${today},notices,[12],0,0`), csv);
    assert.equal(sent.on.filter((b) => b.includes("evaluation_use")).length, 1, "one batch for the day");
    const batch = JSON.parse(sent.on.find((b) => b.includes("evaluation_use")));
    assert.equal(batch.device, "anonymous", "the same device on every phone");
    assert.deepEqual(Object.keys(batch.payload).sort(), ["day", "services"]);
    // The phone with counting off has nothing waiting and sent nothing.
    await off.page.getByTestId("outbox-waiting").filter({ hasText: "没有待发送的内容" }).waitFor();
    assert.deepEqual(sent.off, []);
  } finally {
    await counting.close();
    await silent.close();
    await server.stop();
  }
});
