// 业主议事表决 end to end (issue 12): staff open the demo's vote; three owners vote from
// their phones (one offline, then reconnecting); staff enter a paper ballot (and a
// second ballot of an owner who voted online is refused naming it); after the window
// and its grace the vote is closed and published; the published result is what
// `linli-server vote tally` computes from the exported roster and ballots; an owner
// finds their ballot in the published list; 长辈版 numbers and axe on the voting page.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { SERVER_BINARY, copyOf, phone, serve, staffApi, tempDir, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const MINUTE = 60e3;

/** `at` as a datetime-local value in China time (the deployment's zone). */
function local(at) {
  return new Date(at.getTime() + 8 * 3600e3).toISOString().slice(0, 16);
}

function codeOf(server, unit) {
  return server.codes.find((c) => c.unit === unit).code;
}

async function openVoting(shell, server) {
  await shell.open(server.url + "#/voting");
  await shell.page.locator(".ll-vote__card").first().waitFor({ timeout: 15000 });
}

async function cast(shell, choice) {
  await shell.page.locator(`[data-act=choice][data-arg=${choice}]`).first().click();
  await shell.page.locator("[data-act=cast]").first().click();
}

async function axe(shell) {
  await shell.page.evaluate(readFileSync(AXE, "utf8"));
  const found = await shell.page.evaluate(
    async () => (await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })).violations
  );
  return found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("three owners and a paper ballot make a result that vote tally recomputes from the exports", async () => {
  const start = new Date();
  const server = await serve(copyOf("qingshan"), { seed: true, startAt: start });
  const phones = [];
  try {
    let wang = await staffApi(server, "wang");
    const list = await wang.html("staff/voting");
    const id = list.match(/href="\/staff\/voting\/(\d+)"/)[1];
    // Staff open voting for an hour from now.
    const closes = new Date(start.getTime() + 60 * MINUTE);
    assert.equal(await wang.form(`staff/voting/${id}/stage`, { to: "voting", opens: local(start), closes: local(closes) }), 200);
    assert.match(await wang.html(`staff/voting/${id}`), /data-stage="voting"/);

    const owners = [];
    for (const unit of ["1幢101", "1幢201", "1幢202"]) {
      const context = await phone(env.browser);
      phones.push(context);
      const shell = new ShellPage(await context.newPage());
      await shell.link(server.url, codeOf(server, unit));
      await shell.waitUntilOfflineReady();
      await openVoting(shell, server);
      owners.push({ unit, context, shell });
    }
    const [a, b, c] = owners;
    // 张桂英 (1幢101) and 李德福 (1幢201) vote online.
    await a.shell.page.locator("[data-ballot=open]").first().waitFor();
    await a.shell.screenshot("voting-open");
    await cast(a.shell, "agree");
    await a.shell.page.locator("[data-ballot=counted]").first().waitFor({ timeout: 30000 });
    await cast(b.shell, "oppose");
    await b.shell.page.locator("[data-ballot=counted]").first().waitFor({ timeout: 30000 });
    // 王秀兰 (1幢202) votes offline: kept on the phone, said as not yet counted.
    await c.context.setOffline(true);
    await cast(c.shell, "agree");
    const waiting = c.shell.page.locator("[data-ballot=waiting]").first();
    await waiting.waitFor();
    assert.match(await waiting.innerText(), /已保存在这部手机上/);
    await c.shell.reload();
    await c.shell.page.locator("[data-ballot=waiting]").first().waitFor({ timeout: 15000 });
    await c.shell.screenshot("voting-offline-waiting");
    await c.context.setOffline(false);
    await c.shell.page.locator("[data-ballot=counted]").first().waitFor({ timeout: 60000 });
    const receipt = await c.shell.page.locator("[data-ballot=counted]").first().getAttribute("data-receipt");
    assert.match(receipt, /^[2-9A-Z]{10}$/);

    // Turnout is live, without choices: 3 owners of the roster's 12.
    await a.shell.reload();
    await a.shell.page.locator("[data-turnout]", { hasText: "已有 3 / 12 位业主" }).first().waitFor({ timeout: 15000 });

    // A paper ballot for 2幢101; one for 1幢102 (张桂英's other unit) is refused, naming
    // her online ballot.
    assert.equal(await wang.form(`staff/voting/${id}/paper`, { unit: "2幢101", choice: "agree" }), 200);
    assert.equal(await wang.form(`staff/voting/${id}/paper`, { unit: "1幢102", choice: "oppose" }), 422);
    const page = await wang.html(`staff/voting/${id}`);
    assert.match(page, /已参与表决 4 \/ 12 人/);

    // After the window and its grace, by the server's clock: close and publish.
    await server.restartAt(new Date(closes.getTime() + 16 * MINUTE));
    wang = await staffApi(server, "wang");
    assert.equal(await wang.form(`staff/voting/${id}/stage`, { to: "closed" }), 200);
    assert.equal(await wang.form(`staff/voting/${id}/stage`, { to: "published" }), 200);

    // The exports, recomputed by the command anyone can run.
    const dir = tempDir("linli-vote-");
    for (const file of ["roster", "ballots"]) {
      const res = await fetch(new URL(`staff/voting/${id}/${file}.csv`, server.url), { headers: { cookie: wang.cookie } });
      assert.equal(res.status, 200);
      writeFileSync(join(dir, `${file}.csv`), Buffer.from(await res.arrayBuffer()));
    }
    const out = execFileSync(SERVER_BINARY, ["vote", "tally", "--roster", join(dir, "roster.csv"), "--ballots", join(dir, "ballots.csv"), "--matter", "4"], { encoding: "utf8" });
    const recomputed = JSON.parse(out);
    // 4 of 12 owners took part: no quorum, said as such.
    assert.equal(recomputed.quorum, false);
    assert.equal(recomputed.participation.owners.value, 4);

    // The owner who voted offline finds the same explanation and their ballot.
    await c.shell.reload();
    const explanation = c.shell.page.locator(".ll-vote__explanation").first();
    await explanation.waitFor({ timeout: 15000 });
    assert.equal(await explanation.innerText(), recomputed.explanation["zh-CN"]);
    await c.shell.page.locator(".ll-vote__found", { hasText: "已核对" }).first().waitFor();
    await c.shell.page.locator(".ll-vote__result").first().scrollIntoViewIfNeeded();
    await c.shell.screenshot("voting-published");
    assert.deepEqual(await axe(c.shell), [], "the published result");

    // The organisers' page of the vote, at phone width, as staff see it.
    const eq = wang.cookie.indexOf("=");
    const [name, value] = [wang.cookie.slice(0, eq), wang.cookie.slice(eq + 1)];
    const desk = await phone(env.browser);
    phones.push(desk);
    await desk.addCookies([{ name, value, url: server.url }]);
    const staffPage = new ShellPage(await desk.newPage());
    await staffPage.page.goto(new URL(`staff/voting/${id}`, server.url).href);
    await staffPage.page.locator("[data-result]").waitFor();
    assert.deepEqual(await axe(staffPage), [], "the staff vote page");
    await staffPage.screenshot("staff-vote-published");
    console.log(`voting e2e: 3 online (1 offline first) + 1 paper; tally: ${recomputed.explanation["zh-CN"]}`);
  } finally {
    for (const p of phones) await p.close();
    await server.stop();
  }
});

test("长辈版 voting page meets the numbers and has no axe violations", async () => {
  const start = new Date();
  const server = await serve(copyOf("qingshan"), { seed: true, startAt: start });
  const context = await phone(env.browser);
  const shell = new ShellPage(await context.newPage());
  try {
    const wang = await staffApi(server, "wang");
    const id = (await wang.html("staff/voting")).match(/href="\/staff\/voting\/(\d+)"/)[1];
    // In deliberation: the proposal, the question and the reply, a comment form.
    await shell.link(server.url, codeOf(server, "1幢101"));
    await openVoting(shell, server);
    await shell.page.locator(".ll-vote__comment--staff").waitFor();
    assert.deepEqual(await axe(shell), [], "normal mode, deliberation");
    for (const t of await shell.targets()) {
      assert.ok(t.width >= 44 && t.height >= 44, `normal: ${t.what} is ${t.width}x${t.height}`);
    }
    await shell.screenshot("voting-deliberation");
    // A reply to the owner's question goes out through the outbox and comes back on the
    // board as a reply, from 我家.
    await shell.page.locator("[data-act=reply]").first().click();
    await shell.page.locator("[data-answering]").waitFor();
    await shell.page.getByLabel("写下您的意见或问题").fill("电梯维保也由新物业负责吗？");
    await shell.page.locator("[data-act=comment]").click();
    await shell.page
      .locator(".ll-vote__comment--reply", { hasText: "电梯维保" })
      .locator("text=我家")
      .waitFor({ timeout: 30000 });
    assert.equal(await shell.page.locator("[data-answering]").count(), 0);

    assert.equal(
      await wang.form(`staff/voting/${id}/stage`, { to: "voting", opens: local(start), closes: local(new Date(start.getTime() + 60 * MINUTE)) }),
      200
    );
    await shell.toggleElder();
    // Opened again (a page left open refreshes every 30 s).
    await shell.reload();
    await shell.page.locator("[data-ballot=open]").first().waitFor({ timeout: 15000 });
    await shell.page.locator(`[data-act=choice][data-arg=agree]`).first().click();
    const body = await shell.px("body", "fontSize");
    assert.ok(body >= 18, `body text ${body}px`);
    assert.ok((await shell.px("body", "lineHeight")) / body >= 1.3);
    assert.ok((await shell.px(".ll-vote__turnout", "fontSize")) >= 18);
    assert.ok((await shell.px(".ll-page__title", "fontSize")) >= 30, "the page title is the largest text");
    for (const t of await shell.targets()) {
      assert.ok(t.width >= 60 && t.height >= 60, `长辈版: ${t.what} is ${t.width}x${t.height}`);
    }
    assert.deepEqual(await axe(shell), [], "长辈版");
    await shell.screenshot("elder-voting");
    await shell.page.locator("[data-act=cast]").first().scrollIntoViewIfNeeded();
    await shell.screenshot("elder-voting-ballot");
  } finally {
    await context.close();
    await server.stop();
  }
});
