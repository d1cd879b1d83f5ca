// One binary is all a sub-district installs: `init` makes the database, key, first
// admin and starting settings, and `serve` serves the residents' app it carries, from
// a folder with nothing but the binary in it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { phone, SERVER_BINARY, start, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

test("init and serve from the binary alone serve a working, offline-capable app", async () => {
  const home = mkdtempSync(join(tmpdir(), "linli-binary-"));
  const binary = join(home, "linli-server");
  copyFileSync(SERVER_BINARY, binary);
  // No source tree, no deployment folder: the binary and an empty working folder.
  const clean = { PATH: "/usr/bin:/bin", HOME: home };
  const out = execFileSync(binary, ["init", "--data", "sub", "--name", "荷塘街道", "--admin", "boss"], {
    cwd: home,
    env: clean,
    input: "a long admin password 42\n",
    encoding: "utf8",
  });
  assert.match(out, /admin account boss/);
  assert.ok(existsSync(join(home, "sub", "linli.sqlite3.key")));
  // A second init never touches an existing sub-district.
  assert.throws(() => execFileSync(binary, ["init", "--data", "sub"], { cwd: home, env: clean, input: "x\n", stdio: "pipe" }));

  const port = await freePort();
  const server = await start(binary, ["serve", "--data", "sub", "--port", String(port)], clean, home);
  const context = await phone(env.browser);
  try {
    assert.deepEqual(readdirSync(home).sort(), ["linli-server", "sub"]);
    const shell = new ShellPage(await context.newPage());
    await shell.open(`http://127.0.0.1:${port}/`);
    assert.equal(await shell.name(), "荷塘街道");
    await shell.waitUntilOfflineReady();
    await shell.screenshot("binary-home");
    // The console is there too, for the admin made by init.
    const staff = await fetch(`http://127.0.0.1:${port}/staff`);
    assert.equal(staff.status, 200);
  } finally {
    await context.close();
    server.process.kill("SIGTERM");
    await server.exited;
    // The binary and its data folder (~170 MB) are the test's own: never left behind.
    rmSync(home, { recursive: true, force: true });
  }
});
