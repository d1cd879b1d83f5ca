// Linking a phone to a household with the code staff printed: a wrong code is refused
// with a reason, the right one (typed loosely) links, and the link survives a reload.
import assert from "node:assert/strict";
import { test } from "node:test";
import { copyOf, phone, serve, staffApi, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();

async function devicesOf(server, unit) {
  const units = await (await staffApi(server)).get("api/v1/units");
  return units.find((u) => u.label === unit).devices;
}

test("a household code links this phone once, and the link is kept", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  try {
    assert.ok(server.codes.length >= 2, "the demo printed household codes");
    const [{ unit, code }] = server.codes;
    const shell = new ShellPage(await context.newPage());
    await shell.open(server.url + "#/me");
    const input = shell.page.getByLabel("户码");
    await input.fill("ABCD-EFGH");
    await shell.page.getByRole("button", { name: "绑定" }).click();
    await shell.page.getByRole("alert").filter({ hasText: "户码不正确" }).waitFor();

    // Typed the way people do: lower case, a space for the dash.
    await input.fill(code.toLowerCase().replace("-", " "));
    await shell.page.getByRole("button", { name: "绑定" }).click();
    await shell.page.getByTestId("household-linked").waitFor();
    assert.equal(await devicesOf(server, unit), 1);
    await shell.screenshot("household-linked");

    await shell.reload();
    await shell.page.getByTestId("household-linked").waitFor();
  } finally {
    await context.close();
    await server.stop();
  }
});

test("linking with no network says so and links nothing", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  try {
    const shell = new ShellPage(await context.newPage());
    await shell.open(server.url + "#/me");
    // Offline for the browser, and no server either: emulation alone can leak.
    await context.setOffline(true);
    await server.stop();
    await shell.page.getByLabel("户码").fill(server.codes[1].code);
    await shell.page.getByRole("button", { name: "绑定" }).click();
    await shell.page.getByRole("alert").filter({ hasText: "需要联网" }).waitFor();
    await context.setOffline(false);
    await server.restart();
    assert.equal(await devicesOf(server, server.codes[1].unit), 0);
  } finally {
    await context.close();
    await server.stop();
  }
});
