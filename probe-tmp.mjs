import { chromium } from "playwright-core";
const base = "http://127.0.0.1:8094/";
const code = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"] });
const ctx = await browser.newContext({ viewport: { width: 412, height: 823 }, locale: "zh-CN" });
const page = await ctx.newPage();
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("response", async (r) => { if (r.url().includes("api/v1/feedback")) console.log("resp", r.status(), (await r.text()).slice(0, 600)); });
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(base + "#/me");
await page.locator(".ll-header__name").waitFor();
await page.getByLabel("户码").fill(code);
await page.getByRole("button", { name: "绑定" }).click();
await page.getByTestId("household-linked").waitFor();
await page.goto(base + "#/feedback");
await page.waitForTimeout(4000);
console.log((await page.locator("main").innerText()).slice(0, 1500));
await page.screenshot({ path: "/tmp/linli-m/fb.png", fullPage: true });
// photo
const b64 = await page.evaluate(() => { const c = document.createElement("canvas"); c.width = 640; c.height = 480; const g = c.getContext("2d"); g.fillStyle = "#2b5"; g.fillRect(0, 0, 640, 480); return c.toDataURL("image/png").split(",")[1]; });
await page.locator(".ll-fb__file").setInputFiles({ name: "a.png", mimeType: "image/png", buffer: Buffer.from(b64, "base64") });
await page.waitForTimeout(3000);
console.log("thumbs:", await page.locator(".ll-fb__thumbs img").count(), (await page.locator(".ll-fb__photos").innerText()));
await browser.close();
