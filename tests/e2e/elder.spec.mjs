// 长辈版: DESIGN.md's numbers on every page, and the choice survives a reload.
import assert from "node:assert/strict";
import { test } from "node:test";
import { phone, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser("qingshan");

const pages = [
  { hash: "#/", shot: "home" },
  { hash: "#/notices", shot: "notices" },
  { hash: "#/notices/2026-water", shot: "notice" },
  { hash: "#/me", shot: "me" },
];

async function assertTargets(shell, min, where) {
  for (const t of await shell.targets()) {
    assert.ok(t.width >= min && t.height >= min, `${where}: ${t.what} is ${t.width}x${t.height}, needs ${min}x${min}`);
  }
}

test("normal mode: 44 px touch targets on every page", async () => {
  const context = await phone(env.browser);
  try {
    const shell = new ShellPage(await context.newPage());
    for (const p of pages) {
      await shell.open(env.servers.qingshan.url + p.hash);
      await assertTargets(shell, 44, p.hash);
      await shell.screenshot(`normal-${p.shot}`);
    }
  } finally {
    await context.close();
  }
});

test("elder mode meets the MIIT numbers on every page and persists across reload", async () => {
  const context = await phone(env.browser);
  try {
    const shell = new ShellPage(await context.newPage());
    await shell.open(env.servers.qingshan.url);
    assert.equal(await shell.px("body", "fontSize"), 16);
    await shell.toggleElder();
    assert.ok(await shell.isElder());
    await shell.reload();
    assert.ok(await shell.isElder(), "长辈版 was forgotten on reload");
    for (const p of pages) {
      await shell.open(env.servers.qingshan.url + p.hash);
      const body = await shell.px("body", "fontSize");
      assert.ok(body >= 18, `${p.hash}: body text ${body}px`);
      const lineHeight = await shell.px("body", "lineHeight");
      assert.ok(lineHeight / body >= 1.3, `${p.hash}: line height ${lineHeight / body}`);
      const largest = await shell.page.evaluate(() =>
        Math.max(...[...document.querySelectorAll("body *")].map((el) => parseFloat(getComputedStyle(el).fontSize)))
      );
      assert.ok(largest >= 30, `${p.hash}: largest text ${largest}px`);
      await assertTargets(shell, 60, p.hash);
      await shell.screenshot(`elder-${p.shot}`);
    }
  } finally {
    await context.close();
  }
});
