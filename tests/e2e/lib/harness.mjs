// Shared set-up for the end-to-end specs: a real linli-server process per deployment
// (static folder + API, its own SQLite file), and Debian's Chromium driven by
// playwright-core at a phone size. `cargo xtask test` sets LINLI_SERVER, LINLI_DIST,
// LINLI_CHROMIUM.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { request as httpRequest, createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const SERVER = process.env.LINLI_SERVER;
// linli-server plus the `test_note` kind, for the sync specs (no scenario kinds yet).
const TEST_SERVER = process.env.LINLI_TEST_SERVER;
const DIST = process.env.LINLI_DIST;
const CHROMIUM = process.env.LINLI_CHROMIUM || "/usr/bin/chromium";

if (!SERVER || !DIST) {
  throw new Error("run the end-to-end tests with `cargo xtask test` (LINLI_SERVER / LINLI_DIST unset)");
}

export const PHONE = { width: 412, height: 823 };
export const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

/** Temporary folders of this run (deployment copies, databases, keys). */
const scratch = [];
process.on("exit", () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed when the test run ends. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** The built folder of an example deployment. */
export function deployment(name) {
  return join(DIST, name);
}

/** A private copy of a deployment, for specs that change its files. */
export function copyOf(name) {
  const dir = tempDir(`linli-${name}-`);
  cpSync(deployment(name), dir, { recursive: true });
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The linli-server binary the tests run (it carries the residents' app). */
export const SERVER_BINARY = SERVER;

/**
 * Fills a fresh database (`--db …`, and `--key …` when not beside a SQLite file) with
 * the demo data; answers the household codes printed.
 */
function seedDemo(dbArgs, dir) {
  const out = execFileSync(SERVER, ["seed-demo", ...dbArgs, "--static", dir], { encoding: "utf8" });
  return [...out.matchAll(/^\s+(\S+)\s+([2-9A-Z]{4}-[2-9A-Z]{4})$/gm)].map((m) => ({ unit: m[1], code: m[2] }));
}

/**
 * Starts linli-server on a folder with a fresh database; resolves once it listens.
 * With `{ seed: true }` the database holds the demo households and staff, and the
 * returned `codes` are household codes to link with. With `{ testKinds: true }` the
 * server also accepts `test_note` submissions. With `{ startAt: Date }` the server's
 * clock starts at that instant and runs on. `restart()` stops it and starts it
 * again on the same port and database.
 */
export async function serve(dir, { seed = false, testKinds = false, db = null, startAt = null } = {}) {
  // A chosen start time needs the test server (its clock starts there and runs on).
  const binary = testKinds || startAt ? TEST_SERVER : SERVER;
  const env = startAt ? { ...process.env, LINLI_TEST_START_MS: String(startAt.getTime()) } : process.env;
  if (!binary) throw new Error("LINLI_TEST_SERVER unset: run with `cargo xtask test`");
  const port = await freePort();
  db = db ?? join(tempDir("linli-db-"), "e2e.sqlite3");
  const codes = seed ? seedDemo(["--db", db], dir) : [];
  // A seeded database has the published demo passwords: only --demo serves it.
  const args = ["serve", "--db", db, "--static", dir, "--port", String(port), ...(seed ? ["--demo"] : [])];
  let child = await start(binary, args, env);
  const stop = async () => {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill("SIGTERM");
    await child.exited;
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    codes,
    stop,
    restart: async () => {
      await stop();
      child = await start(binary, args, env);
    },
    /** Stops it and starts it again with its clock at `at` (a server started with
     * `startAt`): time passing, e.g. a voting window and its grace. */
    restartAt: async (at) => {
      await stop();
      child = await start(binary, args, { ...env, LINLI_TEST_START_MS: String(at.getTime()) });
    },
  };
}

/**
 * Two server instances on one PostgreSQL database behind a round-robin proxy (issue
 * 11), as a district deploys them: a new database on the throwaway cluster `cargo
 * xtask test` starts (LINLI_TEST_PG), seeded with the demo, both instances with the
 * same key file and the `test_note` kind, and a proxy that sends each request to the
 * next instance (a request to an instance that is down gets 502, as from nginx for a
 * POST). `url` is the proxy's. `kill(i)` kills instance i at once (SIGKILL, mid-
 * request); `revive(i)` starts it again on its port; `stop()` stops everything.
 */
export async function serveTwo(dir) {
  const admin = process.env.LINLI_TEST_PG;
  if (!admin) throw new Error("LINLI_TEST_PG unset: run with `cargo xtask test`");
  if (!TEST_SERVER) throw new Error("LINLI_TEST_SERVER unset: run with `cargo xtask test`");
  const name = `e2e_${process.pid}_${Date.now()}`;
  execFileSync("psql", [admin, "-q", "-c", `CREATE DATABASE ${name}`]);
  const db = `${admin.slice(0, admin.lastIndexOf("/"))}/${name}`;
  const key = join(tempDir("linli-key-"), "server.key");
  const codes = seedDemo(["--db", db, "--key", key], dir);
  const ports = [await freePort(), await freePort()];
  const argsOf = (port) => ["serve", "--db", db, "--key", key, "--static", dir, "--port", String(port), "--demo"];
  const children = await Promise.all(ports.map((port) => start(TEST_SERVER, argsOf(port), process.env)));
  let next = 0;
  const proxy = createHttpServer((req, res) => {
    const port = ports[next++ % ports.length];
    const upstream = httpRequest(
      { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      }
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("bad gateway");
    });
    req.pipe(upstream);
  });
  const proxyPort = await freePort();
  await new Promise((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
  const down = (i) => children[i].process.exitCode !== null || children[i].process.signalCode !== null;
  const kill = async (i) => {
    if (!down(i)) children[i].process.kill("SIGKILL");
    await children[i].exited;
  };
  return {
    url: `http://127.0.0.1:${proxyPort}/`,
    codes,
    down,
    kill,
    revive: async (i) => {
      if (down(i)) children[i] = await start(TEST_SERVER, argsOf(ports[i]), process.env);
    },
    stop: async () => {
      for (const i of [0, 1]) {
        if (!down(i)) children[i].process.kill("SIGTERM");
        await children[i].exited;
      }
      await new Promise((resolve) => proxy.close(resolve));
      proxy.closeAllConnections?.();
    },
  };
}

/** Starts a server process; resolves once it listens. */
export async function start(binary, args, env, cwd = undefined) {
  const process_ = spawn(binary, args, { stdio: ["ignore", "pipe", "inherit"], env, cwd });
  const exited = new Promise((resolve) => process_.once("exit", resolve));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${binary} did not start`)), 15000);
    process_.stdout.on("data", (chunk) => {
      if (String(chunk).includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    process_.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { process: process_, exited };
}

/**
 * A staff member on a seeded (demo) server: the API with a bearer token for reading
 * what it stored, and the console's pages with a cookie session, as a browser has
 * them (forms carry the session's CSRF token).
 */
export async function staffApi(server, username = "wang") {
  const login = await fetch(new URL("api/v1/staff/login", server.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "linli-demo" }),
  });
  const { token } = await login.json();
  const get = async (path) =>
    (await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${token}` } })).json();
  const signIn = await fetch(new URL("staff/login", server.url), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password: "linli-demo" }),
  });
  const cookie = signIn.headers.get("set-cookie").split(";")[0];
  /** A console page's HTML. */
  const html = async (path) => (await fetch(new URL(path, server.url), { headers: { cookie } })).text();
  const csrf = (await html("staff/account")).match(/name="_csrf" value="([0-9a-f]+)"/)[1];
  /** Submits a console form (urlencoded) with the session's token, answering the status. */
  const form = async (path, fields) =>
    (
      await fetch(new URL(path, server.url), {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      })
    ).status;
  return { get, html, form, cookie };
}

/** Launches Chromium (no network but loopback, no background traffic). */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** A phone-sized context with a fresh profile. */
export function phone(browser, options = {}) {
  return browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    ...options,
  });
}

/**
 * Registers before/after hooks for a spec: one Chromium for the file and, for each
 * deployment named, a server. Read them from the returned object inside tests.
 */
export function useBrowser(...deployments) {
  const env = { browser: null, servers: {} };
  before(async () => {
    env.browser = await launch();
    for (const name of deployments) env.servers[name] = await serve(deployment(name));
  });
  after(async () => {
    await env.browser?.close();
    for (const server of Object.values(env.servers)) await server.stop();
  });
  return env;
}
