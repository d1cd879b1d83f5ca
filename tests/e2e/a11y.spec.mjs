// Accessibility: axe-core (WCAG 2.1 A and AA rules) finds nothing on any page, in
// normal and elder mode, and on the config error page.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { copyOf, phone, serve, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const RULES = { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] };

const env = useBrowser("hehua");

async function violations(page) {
  // Evaluated, not a <script> tag: the page's CSP rightly refuses inline scripts.
  await page.evaluate(readFileSync(AXE, "utf8"));
  const found = await page.evaluate(async (rules) => (await window.axe.run(document, rules)).violations, RULES);
  return found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

for (const elder of [false, true]) {
  test(`no axe violations on any page (${elder ? "长辈版" : "normal"})`, async () => {
    const context = await phone(env.browser);
    try {
      const shell = new ShellPage(await context.newPage());
      await shell.open(env.servers.hehua.url);
      if (elder) await shell.toggleElder();
      for (const hash of ["#/", "#/notices", "#/notices/elevator", "#/me"]) {
        await shell.open(env.servers.hehua.url + hash);
        assert.deepEqual(await violations(shell.page), [], hash);
      }
    } finally {
      await context.close();
    }
  });
}

test("no axe violations on the config error page", async () => {
  const dir = copyOf("hehua");
  writeFileSync(join(dir, "config.json"), '{"theme": {"primary": "#12"}}');
  const broken = await serve(dir);
  const context = await phone(env.browser, { serviceWorkers: "block" });
  try {
    const page = await context.newPage();
    await page.goto(broken.url);
    await page.locator(".ll-problem").waitFor();
    assert.deepEqual(await violations(page), []);
  } finally {
    await context.close();
    await broken.stop();
  }
});
