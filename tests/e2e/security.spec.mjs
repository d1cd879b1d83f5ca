// Security as a browser sees it: the residents' app and every console page run under
// their Content-Security-Policy without a single violation; after the residents' app
// (and its service worker) was opened, /staff still opens in that browser; an admin
// created with the account CLI enrols the second factor and signs in.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { copyOf, phone, serve, tempDir, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();

/** Records CSP violations (and CSP console errors) of every page of a context. */
async function watchCsp(context) {
  const seen = [];
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  context.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  const violations = async (page) => [...seen, ...(await page.evaluate(() => window.__csp || []))];
  return violations;
}

/** A console page: waits for its heading, then for no violation. */
async function visit(page, violations, url, heading) {
  const response = await page.goto(url);
  const csp = response.headers()["content-security-policy"] || "";
  assert.match(csp, /frame-ancestors 'none'/, `${url}: ${csp}`);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, url);
  await page.locator("main h1", { hasText: heading }).waitFor();
  assert.deepEqual(await violations(page), [], url);
}

test("the residents' app and every staff page run under the CSP with no violation, and /staff opens after the app", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  const violations = await watchCsp(context);
  const shell = new ShellPage(await context.newPage());
  const page = shell.page;
  try {
    await shell.link(server.url, server.codes.find((c) => c.unit === "1幢201").code);
    await shell.waitUntilOfflineReady();
    const response = await page.goto(server.url);
    assert.match(response.headers()["content-security-policy"], /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    await shell.ready();
    for (const route of ["", "#/notices", "#/notices/2026-water", "#/me", "#/meals"]) {
      await shell.open(server.url + route);
      await page.locator(".ll-page__title").first().waitFor();
    }
    await page.locator(".ll-meal__dish").first().waitFor({ timeout: 15000 });
    assert.deepEqual(await violations(page), [], "residents' app");

    // The service worker controls this browser now; the console is not the app.
    await page.goto(server.url + "staff");
    await page.locator("main h1", { hasText: "工作人员登录" }).waitFor();
    await page.getByLabel("用户名").fill("admin");
    await page.getByLabel("密码").fill("linli-demo");
    await page.getByRole("button", { name: "登录" }).click();
    await page.locator("main h1", { hasText: "最近收到的提交" }).waitFor();
    const date = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const pages = [
      ["staff/submissions", "最近收到的提交"],
      ["staff/units", "住户与户码"],
      ["staff/units/1", "1幢101"],
      ["staff/codes", "为全部住户重新生成并打印户码"],
      ["staff/accounts", "账号管理"],
      ["staff/audit?verify=1", "审计日志"],
      ["staff/account", "我的账号"],
      ["staff/exports", "导出"],
      [`staff/meals?date=${date}`, "订餐汇总"],
      [`staff/meals/menu?date=${date}&slot=lunch`, "菜单"],
      [`staff/meals/delivery?date=${date}&slot=lunch`, "送餐单"],
      ["staff/meals/elders", "助餐老人登记"],
      ["staff/notices", "公告"],
    ];
    for (const [path, heading] of pages) {
      await visit(page, violations, server.url + path, heading);
      if (path.startsWith("staff/audit")) await page.getByText("日志完整").waitFor();
    }
    // A notice published from the console, pinned, listed as live.
    await page.goto(server.url + "staff/notices");
    await page.getByLabel("标题（中文）").fill("12月3日电梯检修");
    await page.getByLabel("正文（中文，空一行分段）").fill("3幢电梯12月3日9:00至12:00检修，请走楼梯。");
    await page.getByLabel("置顶").check();
    await page.getByRole("button", { name: "发布公告" }).click();
    await page.locator("tr[data-state=live]", { hasText: "12月3日电梯检修" }).waitFor();
    const wide = [
      ["staff/notices", "staff-notices"],
      ["staff/units", "staff-units"],
      ["staff/meals/elders", "staff-elders"],
      ["staff/accounts", "staff-accounts"],
      [`staff/meals/delivery?date=${date}`, "staff-delivery"],
      ["staff/audit", "staff-audit"],
    ];
    for (const [path, name] of wide) {
      await page.goto(server.url + path);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(sideways <= 1, `${path} scrolls sideways by ${sideways}px at phone width`);
      await page.screenshot({ path: new URL(`./artifacts/${name}.png`, import.meta.url).pathname, fullPage: true });
    }
  } finally {
    await context.close();
    await server.stop();
  }
});

/** The current 6-digit code of a base32 TOTP secret (RFC 6238: SHA-1, 30 s). */
function totp(base32) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32.replace(/[\s=]/g, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(at) & 0x7fffffff) % 1e6;
  return String(n).padStart(6, "0");
}

test("an admin created with the account CLI enrols the second factor and signs in", async () => {
  const db = join(tempDir("linli-db-"), "admin.sqlite3");
  execFileSync(process.env.LINLI_SERVER, ["staff", "add", "li", "--role", "admin", "--db", db], {
    input: "青山街道管理员的长长口令\n",
  });
  const server = await serve(copyOf("qingshan"), { db });
  const context = await phone(env.browser);
  const violations = await watchCsp(context);
  const page = await context.newPage();
  try {
    await page.goto(server.url + "staff");
    await page.getByLabel("用户名").fill("li");
    await page.getByLabel("密码").fill("青山街道管理员的长长口令");
    await page.getByRole("button", { name: "登录" }).click();
    await page.locator("main h1", { hasText: "绑定动态验证码" }).waitFor();
    assert.ok(await page.locator(".qr img").isVisible(), "a QR code to scan");
    await page.screenshot({ path: new URL("./artifacts/staff-totp-enrol.png", import.meta.url).pathname, fullPage: true });
    const secret = await page.locator("code.head").innerText();
    await page.getByLabel("6 位验证码").fill(totp(secret));
    await page.getByRole("button", { name: "完成绑定并登录" }).click();
    await page.locator("main h1", { hasText: "最近收到的提交" }).waitFor();
    assert.deepEqual(await violations(page), []);
    // Signing out ends it; signing in again asks for a code, not enrolment.
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.locator("main h1", { hasText: "工作人员登录" }).waitFor();
    await page.getByLabel("用户名").fill("li");
    await page.getByLabel("密码").fill("青山街道管理员的长长口令");
    await page.getByRole("button", { name: "登录" }).click();
    await page.locator("main h1", { hasText: "动态验证码" }).waitFor();
    assert.equal(await page.locator(".qr").count(), 0);
  } finally {
    await context.close();
    await server.stop();
  }
});
