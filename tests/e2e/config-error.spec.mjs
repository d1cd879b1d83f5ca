// A broken config.json shows every located problem, never a blank page.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { copyOf, phone, serve, useBrowser } from "./lib/harness.mjs";

const env = useBrowser();

async function showProblems(configText) {
  const dir = copyOf("qingshan");
  writeFileSync(join(dir, "config.json"), configText);
  const server = await serve(dir);
  const context = await phone(env.browser, { serviceWorkers: "block" });
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    const problem = page.locator(".ll-problem");
    await problem.waitFor({ timeout: 15000 });
    await page.screenshot({ path: new URL("./artifacts/config-error.png", import.meta.url).pathname });
    return await problem.innerText();
  } finally {
    await context.close();
    await server.stop();
  }
}

test("invalid values are listed with their field paths", async () => {
  const text = await showProblems(JSON.stringify({
    id: "qingshan",
    name: "青山街道",
    logo: "logo.svg",
    theme: { primary: "#12" },
    hotline: "12345",
    privacy: "p",
    scenarios: ["meals", "vot"],
  }));
  assert.match(text, /配置文件有误/);
  assert.match(text, /theme\.primary: "#12" 不是颜色/);
  assert.match(text, /scenarios\[1\]: 未知场景 "vot"/);
});

test("text that is not JSON says so", async () => {
  const text = await showProblems('{"id": "qingshan",');
  assert.match(text, /config\.json: 不是有效的 JSON/);
});
