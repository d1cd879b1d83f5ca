// 表单问卷 end to end (issue 15): an organisation makes a form with a skip rule in the
// designer and publishes it; a resident answers it on a phone, offline, with a reload mid-way (the
// draft is kept), and submits it once; the answers CSV has the answer once; 长辈版
// numbers and axe on the renderer.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { ARTIFACTS, copyOf, phone, serve, staffApi, useBrowser } from "./lib/harness.mjs";
import { ShellPage } from "./lib/shell-page.mjs";

const env = useBrowser();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

async function axe(shell) {
  return axePage(shell.page);
}

async function axePage(page) {
  await page.evaluate(readFileSync(AXE, "utf8"));
  const found = await page.evaluate(
    async () => (await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })).violations
  );
  return found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/**
 * The organisation designs the form in the designer on a tablet, without writing JSON
 * or an expression: 是/否 has_pet (required), pet_name shown only when has_pet is 是
 * (picked: question, comparison, value), age (required, at least 18); the preview
 * follows each change; then 保存并发布.
 */
async function design(server, org, formPage) {
  const eq = org.cookie.indexOf("=");
  const desk = await env.browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "zh-CN" });
  try {
    await desk.addCookies([{ name: org.cookie.slice(0, eq), value: org.cookie.slice(eq + 1), url: server.url }]);
    const b = await desk.newPage();
    b.on("dialog", (d) => d.accept());
    await b.goto(new URL(`${formPage}/build`, server.url).href);
    await b.locator("[data-save-state=saved]").waitFor();
    const open = (name) => b.locator(`.ll-build__item--open[data-name=${name}]`);
    const add = async (type) => {
      await b.locator(".ll-build__design > .ll-build__add [data-edit=add_type]").selectOption(type);
      await b.locator("[data-act=add]").click();
    };
    const edit = async (item, field, value) => {
      const input = item.locator(`[data-edit=${field}]`).first();
      await input.fill(value);
      if (field === "name") await input.blur();
    };
    // The new form's first question goes; a 是/否 question comes instead.
    await b.locator(".ll-build__item[data-name=q1] [data-act=delete]").click();
    await b.locator(".ll-build__item[data-name=q1]").waitFor({ state: "detached" });
    await add("yes_no");
    let item = b.locator(".ll-build__item--open");
    await edit(item, "label", "家里养宠物吗");
    await edit(item, "name", "has_pet");
    await open("has_pet").locator("[data-edit=required]").check();
    // The pet's name, shown only when 是: picked, and the expression shown.
    await add("text");
    item = b.locator(".ll-build__item--open");
    await edit(item, "label", "宠物叫什么");
    await edit(item, "name", "pet_name");
    item = open("pet_name");
    await item.locator("[data-edit=shown]").selectOption("when");
    await item.locator("[data-edit=condition_field]").selectOption("has_pet");
    await item.locator("[data-edit=condition_compare]").selectOption("is");
    await item.locator("[data-edit=condition_value]").selectOption("yes");
    await item.locator("[data-expr=relevant]", { hasText: "${has_pet} = 'yes'" }).waitFor();
    // The age: required, at least 18, with the organisation's message.
    await add("integer");
    item = b.locator(".ll-build__item--open");
    await edit(item, "label", "您的年龄");
    await edit(item, "name", "age");
    item = open("age");
    await item.locator("[data-edit=required]").check();
    await item.locator(".ll-build__advanced summary").click();
    await edit(item, "constraint", ". >= 18");
    await edit(item, "constraint_message", "请填 18 岁以上的年龄");
    await b.locator(".ll-build__summary", { hasText: "没有发现问题" }).waitFor();
    // The live preview is the residents' renderer: the pet's name only after 是.
    const preview = b.locator(".ll-build__preview");
    assert.equal(await preview.locator("#ll-form-pet_name").count(), 0);
    await preview.locator("[data-act=ll-form-has_pet][data-arg=yes]").click();
    await preview.locator("#ll-form-pet_name").waitFor();
    await b.locator("[data-save-state=unsaved]").waitFor();
    await b.screenshot({ path: `${ARTIFACTS}/forms-designer.png`, fullPage: true });
    assert.deepEqual(await axePage(b), [], "axe on the designer");
    // At a phone's width the design and the preview stack, still usable.
    await b.setViewportSize({ width: 412, height: 823 });
    await b.screenshot({ path: `${ARTIFACTS}/forms-designer-phone.png`, fullPage: true });
    await b.setViewportSize({ width: 1024, height: 768 });
    // Saved, then published through the console: its page says which version.
    await b.locator("[data-act=publish]").click();
    await b.locator("text=已发布第 1 版").waitFor();
  } finally {
    await desk.close();
  }
}

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
    await design(server, org, formPage);

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
