// After one online visit the app starts and navigates with the network gone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { copyOf, phone, serve, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();

test("reloads and navigates offline after one visit", async () => {
  const server = await serve(copyOf("qingshan"));
  const context = await phone(env.browser);
  try {
    const shell = new ShellPage(await context.newPage());
    await shell.open(server.url);
    await shell.waitUntilOfflineReady();
    // The notices it fetched are kept on the phone (on a loaded machine the list can
    // arrive after the service worker is ready; stopping the server first left the
    // phone with no list to show).
    await shell.waitUntilKept("notices");
    // Really offline: the server process is gone and the browser says it is offline.
    await server.stop();
    await context.setOffline(true);
    const started = Date.now();
    await shell.reload();
    const startMs = Date.now() - started;
    assert.equal(await shell.name(), "青山街道");
    await shell.page.locator(".ll-header__offline").waitFor({ state: "visible" });
    await shell.tab("公告");
    await shell.page.locator(".ll-card", { hasText: "停水" }).click();
    assert.match(await shell.title(), /停水/);
    await shell.tab("我的");
    await shell.page.getByText("已可离线使用").waitFor();
    await shell.screenshot("offline-me");
    console.log(`offline reload to interactive shell: ${startMs} ms`);
  } finally {
    await context.close();
    await server.stop();
  }
});
