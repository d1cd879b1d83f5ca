// 表单问卷 end to end (issue 15): an organisation makes a form with a skip rule and
// publishes it; a resident answers it on a phone, offline, with a reload mid-way (the
// draft is kept), and submits it once; the answers CSV has the answer once; 长辈版
// numbers and axe on the renderer.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { copyOf, phone, serve, staffApi, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

async function axe(shell) {
  await shell.page.evaluate(readFileSync(AXE, "utf8"));
  const found = await shell.page.evaluate(
    async () => (await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })).violations
  );
  return found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/** A form with a skip rule: the pet's name only when there is a pet. */
const FORM = {
  format: 1,
  id: "pets_2026",
  version: "0",
  title: { zh: "养宠登记", en: "Pets" },
  fields: [
    { name: "has_pet", type: "yes_no", label: { zh: "家里养宠物吗" }, required: true },
    { name: "pet_name", type: "text", label: { zh: "宠物叫什么" }, relevant: "${has_pet} = 'yes'" },
    {
      name: "age",
      type: "integer",
      label: { zh: "您的年龄" },
      required: true,
      constraint: ". >= 18",
      constraint_message: { zh: "请填 18 岁以上的年龄" },
    },
  ],
};

test("a published form is answered offline across a reload, submitted once, and exported", async () => {
  const server = await serve(copyOf("qingshan"), { seed: true });
  const context = await phone(env.browser);
  const shell = new ShellPage(await context.newPage());
  const page = shell.page;
  try {
    // The organisation makes the form, sets its questions and publishes it.
    const org = await staffApi(server, "org");
    const made = await fetch(new URL("staff/forms", server.url), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: org.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: (await org.html("staff/forms")).match(/name="_csrf" value="([0-9a-f]+)"/)[1], title: "养宠登记", id: "pets_2026" }),
    });
    assert.equal(made.status, 303);
    const formPage = made.headers.get("location").replace(/^\//, "");
    assert.equal(await org.form(`${formPage}/json`, { json: JSON.stringify(FORM) }), 200);
    assert.match(await org.html(formPage), /没有发现问题，可以发布/);
    assert.equal(await org.form(`${formPage}/publish`, {}), 200);

    // The resident opens it and starts answering.
    await shell.link(server.url, server.codes.find((c) => c.unit === "1幢201").code);
    await shell.open(server.url + "#/forms");
    await page.locator("[data-act=form-open][data-arg=pets_2026]").click();
    await page.locator(".ll-form").waitFor();
    assert.equal(await page.locator("#ll-form-pet_name").count(), 0, "hidden until 是");
    await shell.screenshot("forms-renderer");
    assert.deepEqual(await axe(shell), [], "axe on the renderer");
    await page.locator("[data-act=ll-form-has_pet][data-arg=yes]").click();
    await page.locator("#ll-form-pet_name").fill("旺财");
    // Kept with the pet's name, committed (the status already said so after 是).
    await shell.waitUntilKept("forms_draft:pets_2026", "旺财");
    await page.locator(".ll-form__status", { hasText: "已自动保存在手机上" }).waitFor();

    // Offline, and the page reloaded: the form opens again with its draft.
    await shell.waitUntilOfflineReady();
    await context.setOffline(true);
    await shell.reload();
    await page.locator("#ll-form-pet_name").waitFor();
    assert.equal(await page.locator("#ll-form-pet_name").inputValue(), "旺财");

    // A constraint stops 提交 at its question; fixed, it is kept, then sent once online.
    await page.locator("#ll-form-age").fill("9");
    await page.locator("[data-act=form-submit]").click();
    await page.locator("#ll-form-age-error", { hasText: "请填 18 岁以上的年龄" }).waitFor();
    await page.locator("#ll-form-age").fill("67");
    // A double tap (common in 长辈版) submits once.
    await page.locator("[data-act=form-submit]").dblclick();
    await page.locator(".ll-form__status", { hasText: "答卷已保存在手机上" }).waitFor();
    await context.setOffline(false);

    // Once the outbox has sent it, the organisation's CSV has it once, with the pet's name.
    let rows = [];
    for (let tries = 0; tries < 600 && rows.length < 2; tries++) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      rows = (await org.html(`${formPage}/answers.csv`)).trim().split(/\r?\n/);
    }
    const csv = rows.join("\n");
    assert.equal(rows.length, 2, csv);
    assert.match(rows[1], /yes,旺财,67$/);

    // 长辈版: one question per screen, 60 px targets, text at least 18 px.
    await page.locator("[data-act=form-list]").click();
    await shell.toggleElder();
    await page.locator("[data-act=form-open][data-arg=pets_2026]").click();
    await page.locator(".ll-form__step", { hasText: "第 1 题" }).waitFor();
    for (const selector of ["[data-act=ll-form-has_pet][data-arg=yes]", "[data-act=form-next]"]) {
      const box = await page.locator(selector).boundingBox();
      assert.ok(box.height >= 60 && box.width >= 60, `${selector} is ${box.width}×${box.height} in 长辈版`);
    }
    assert.ok((await shell.px(".ll-field__label, .ll-choice-group__option", "fontSize")) >= 18);
    await shell.screenshot("forms-renderer-elder");
    assert.deepEqual(await axe(shell), [], "axe on the renderer in 长辈版");
    await shell.toggleElder();
  } finally {
    await context.close();
    await server.stop();
  }
});
