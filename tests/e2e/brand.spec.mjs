// One build, many deployments: each served deployment shows its own brand.
import assert from "node:assert/strict";
import { test } from "node:test";
import { deployment, phone, serve, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();

const cases = [
  { name: "qingshan", title: "青山街道", colour: "rgb(179, 38, 30)", notices: 3 },
  { name: "hehua", title: "荷花街道", colour: "rgb(0, 105, 92)", notices: 2 },
];

for (const c of cases) {
  test(`${c.name} deployment shows its own name, colour, manifest and notices`, async () => {
    const server = await serve(deployment(c.name));
    const context = await phone(env.browser);
    try {
      const shell = new ShellPage(await context.newPage());
      await shell.open(server.url);
      assert.equal(await shell.name(), c.title);
      assert.equal(await shell.headerBackground(), c.colour);
      assert.equal(await shell.page.title(), c.title);
      const manifest = await (await fetch(new URL("manifest.webmanifest", server.url))).json();
      assert.equal(manifest.name, c.title);
      assert.equal(manifest.theme_color, await shell.page.locator('meta[name="theme-color"]').getAttribute("content"));
      await shell.tab("公告");
      assert.equal(await shell.page.locator(".ll-card").count(), c.notices);
      await shell.screenshot(`${c.name}-notices`);
    } finally {
      await context.close();
      await server.stop();
    }
  });
}
