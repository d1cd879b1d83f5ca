// 老年助餐 end to end: a helper orders for an elder offline, the order survives reloads,
// reaches the kitchen exactly once and comes back delivered; the elder's own household
// (not the helper) withdraws her dietary consent; an order after the cut-off
// says why; 长辈版 meets DESIGN.md's numbers on the menu and the order summary.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { copyOf, phone, serve, staffApi, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** A China date, `days` after today. */
function chinaDate(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

/** The daughter's household (1幢201): the demo links it as 张桂英's helper. */
function helperCode(server) {
  return server.codes.find((c) => c.unit === "1幢201").code;
}

/** 张桂英's own household (1幢101): only it gives or withdraws her consent. */
function elderCode(server) {
  return server.codes.find((c) => c.unit === "1幢101").code;
}

async function openMeals(shell, server) {
  await shell.open(server.url + "#/meals");
  await shell.page.locator(".ll-meal__dish").first().waitFor({ timeout: 15000 });
}

async function choose(page, date, slot) {
  await page.locator(`[data-act=day][data-arg='${date}']`).click();
  await page.locator(`[data-act=meal][data-arg='${date}|${slot}']`).click();
}

/** Portions of a dish in a meal, as the kitchen's day page counts them. */
async function kitchenCount(server, date, slot, dish) {
  const html = await (await staffApi(server, "chef")).html(`staff/meals?date=${date}`);
  const m = html.match(new RegExp(`data-dish="${dish}" data-slot="${slot}" class="count">(\\d+)<`));
  assert.ok(m, `no count for ${dish} in ${slot}: ${html.slice(0, 300)}`);
  return Number(m[1]);
}

test("an order made offline survives reloads, is counted once and comes back delivered", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  const shell = new ShellPage(await context.newPage());
  const tomorrow = chinaDate(1);
  try {
    await shell.link(server.url, helperCode(server));
    await shell.waitUntilOfflineReady();
    await openMeals(shell, server);
    await shell.page.locator(".ll-meal__for", { hasText: "为张桂英订餐（代订）" }).waitFor();
    assert.equal(await kitchenCount(server, tomorrow, "lunch", "congee"), 0);

    // Really offline: the browser and the server.
    await context.setOffline(true);
    await server.stop();
    await choose(shell.page, tomorrow, "lunch");
    await shell.page.locator("[data-dish=congee] [data-act=add]").click();
    await shell.page.locator("[data-dish=congee] [data-act=add]").click();
    await shell.page.getByTestId("meal-pay").filter({ hasText: /^3\.00 元$/ }).waitFor();
    await shell.page.locator("[data-act=confirm]").click();
    await shell.page.locator(".ll-meal__message", { hasText: "已订好" }).waitFor();
    await shell.reload();
    await shell.reload();
    await shell.page.getByText("离线：显示的是上次保存的菜单").waitFor();
    await shell.page.locator(".ll-meal__order", { hasText: "等待发送" }).waitFor();
    await shell.page.locator(".ll-outbox-bar", { hasText: "待发送 1 条" }).waitFor();

    await server.restart();
    await context.setOffline(false);
    await shell.page.locator(".ll-meal__order .ll-meal__status", { hasText: "已接单" }).waitFor({ timeout: 60000 });
    await shell.reload();
    const count = await kitchenCount(server, tomorrow, "lunch", "congee");
    console.log(`meals offline run: ordered 2 portions offline, kitchen counts ${count}`);
    assert.equal(count, 2, "two portions, in one order, counted once");

    // The kitchen delivers; the helper sees it.
    const chef = await staffApi(server, "chef");
    const list = await chef.html(`staff/meals/delivery?date=${tomorrow}&slot=lunch`);
    const id = list.match(/data-order="([0-9a-f-]{36})"/)[1];
    assert.match(list, /张桂英/);
    assert.equal(await chef.form(`staff/meals/orders/${id}/delivered`, { date: tomorrow, slot: "lunch" }), 303);
    await shell.reload();
    await shell.page.locator(".ll-meal__order .ll-meal__status", { hasText: "已送达" }).waitFor({ timeout: 15000 });
    await shell.screenshot("meals-delivered");

    // The helper is never offered the elder's consent; her own household withdraws it
    // in 我的, where it also sees who orders for her; the server deletes the diet.
    await shell.open(server.url + "#/me");
    // Once 我的 has the household's board, a helper's shows no withdrawal.
    await shell.page.locator("[data-testid=meals-me][data-state=ready]").waitFor({ state: "attached" });
    assert.equal(await shell.page.getByRole("button", { name: "撤回同意并删除饮食信息" }).count(), 0);
    const admin = await staffApi(server, "admin");
    const consentOf = async () => (await admin.html("staff/meals/elders")).match(/data-elder="e1"[\s\S]*?data-consent="(yes|no)"/)[1];
    assert.equal(await consentOf(), "yes");
    const own = await phone(env.browser);
    try {
      const home = new ShellPage(await own.newPage());
      await home.link(server.url, elderCode(server));
      await home.page.getByTestId("meal-helpers").filter({ hasText: "1幢201" }).waitFor({ timeout: 15000 });
      await home.screenshot("elder-household-me");
      // The same page in 长辈版, where its buttons and text grow.
      await home.toggleElder();
      assert.ok(await home.isElder());
      await home.page.getByTestId("meal-helpers").scrollIntoViewIfNeeded();
      await home.screenshot("elder-household-me-elder");
      await home.toggleElder();
      const withdraw = home.page.getByRole("button", { name: "撤回同意并删除饮食信息" });
      await withdraw.click();
      await withdraw.waitFor({ state: "detached", timeout: 15000 });
      await home.page.getByTestId("outbox-waiting").filter({ hasText: "没有待发送的内容" }).waitFor({ timeout: 30000 });
    } finally {
      await own.close();
    }
    assert.equal(await consentOf(), "no");
    assert.doesNotMatch(await admin.html("staff/meals/elders"), /花生/);
  } finally {
    await context.close();
    await server.stop();
  }
});

test("an order confirmed after the cut-off is refused with the reason", async () => {
  const today = chinaDate(0);
  // The server and the phone both at 09:29, a minute before lunch closes.
  const server = await serve(copyOf("qingshan"), { seed: true, startAt: new Date(`${today}T09:29:00+08:00`) });
  const context = await phone(env.browser);
  const page = await context.newPage();
  const shell = new ShellPage(page);
  try {
    await page.clock.install({ time: new Date(`${today}T09:29:00+08:00`) });
    await shell.link(server.url, helperCode(server));
    await openMeals(shell, server);
    await choose(page, today, "lunch");
    await page.locator("[data-dish=egg] [data-act=add]").click();
    // The resident dithers past 09:30 before confirming.
    await page.clock.setSystemTime(new Date(`${today}T09:30:05+08:00`));
    await page.locator("[data-act=confirm]").click();
    const reason = page.locator(".ll-meal__message.ll-notice--problem", { hasText: "已过订餐截止时间" });
    await reason.waitFor();
    assert.equal(await reason.innerText(), `已过订餐截止时间（${today} 09:30）`);
    await shell.screenshot("meals-past-cutoff");
    assert.equal(await kitchenCount(server, today, "lunch", "egg"), 0);
    assert.equal(await page.locator(".ll-outbox-bar").count(), 0, "nothing was queued");
  } finally {
    await context.close();
    await server.stop();
  }
});

test("长辈版 menu and summary meet the numbers and have no axe violations", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  const shell = new ShellPage(await context.newPage());
  const tomorrow = chinaDate(1);
  const axe = async () => {
    // Evaluated, not a <script> tag: the page's CSP rightly refuses inline scripts.
    await shell.page.evaluate(readFileSync(AXE, "utf8"));
    const found = await shell.page.evaluate(
      async () => (await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })).violations
    );
    return found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  };
  try {
    await shell.link(server.url, helperCode(server));
    await openMeals(shell, server);
    await choose(shell.page, tomorrow, "lunch");
    await shell.page.locator("[data-dish=congee] [data-act=add]").click();
    assert.deepEqual(await axe(), [], "normal mode");
    for (const t of await shell.targets()) {
      assert.ok(t.width >= 44 && t.height >= 44, `normal: ${t.what} is ${t.width}x${t.height}`);
    }
    await shell.screenshot("normal-meals");

    await shell.toggleElder();
    await openMeals(shell, server);
    await choose(shell.page, tomorrow, "lunch");
    await shell.page.locator("[data-dish=congee] [data-act=add]").click();
    await shell.page.locator("[data-dish=tofu] [data-act=add]").click();
    const body = await shell.px("body", "fontSize");
    assert.ok(body >= 18, `body text ${body}px`);
    assert.ok((await shell.px("body", "lineHeight")) / body >= 1.3);
    assert.ok((await shell.px(".ll-meal__dish-name", "fontSize")) >= 18);
    assert.ok((await shell.px(".ll-meal__pay", "fontSize")) >= 30, "the amount to pay is the largest text");
    for (const t of await shell.targets()) {
      assert.ok(t.width >= 60 && t.height >= 60, `长辈版: ${t.what} is ${t.width}x${t.height}`);
    }
    assert.deepEqual(await axe(), [], "长辈版");
    await shell.page.evaluate(() => scrollTo(0, 0));
    await shell.screenshot("elder-meals-menu");
    await shell.page.locator(".ll-meal__summary").scrollIntoViewIfNeeded();
    await shell.screenshot("elder-meals-summary");
  } finally {
    await context.close();
    await server.stop();
  }
});

test("offline before the menu was ever loaded, the page says what to do", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  const shell = new ShellPage(await context.newPage());
  try {
    await shell.link(server.url, helperCode(server));
    await shell.waitUntilOfflineReady();
    await context.setOffline(true);
    await server.stop();
    await shell.open(server.url + "#/meals");
    await shell.page.getByText("暂时无法加载菜单：请联网后再打开这一页，之后离线也能看到菜单").waitFor();
  } finally {
    await context.close();
    await server.stop();
  }
});
