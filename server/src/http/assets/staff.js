// linli staff console: the only script its pages load (CSP: script-src 'self').
"use strict";
document.addEventListener("click", function (e) {
  var button = e.target.closest && e.target.closest("[data-print]");
  if (button) window.print();
});

// Settings: the contrast of the brand colour and its text, as the colours are picked
// (the server checks the same rule, WCAG 2 relative luminance, on saving).
function luminance(hex) {
  var m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return null;
  var n = parseInt(m[1], 16);
  return [n >> 16, (n >> 8) & 255, n & 255]
    .map(function (c) { c /= 255; return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); })
    .reduce(function (sum, c, i) { return sum + c * [0.2126, 0.7152, 0.0722][i]; }, 0);
}
function showContrast(box) {
  var a = luminance(box.querySelector("[name=primary]").value);
  var b = luminance(box.querySelector("[name=on_primary]").value);
  var out = box.querySelector("[data-contrast-out]");
  if (a === null || b === null) { out.textContent = ""; return; }
  var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  var ok = ratio >= 4.5;
  // Rounded down, as the server writes it: 4.49 never shows as a passing 4.50.
  var text = (Math.floor(ratio * 100) / 100).toFixed(2);
  out.textContent = box.getAttribute(ok ? "data-ok" : "data-low").replace("{ratio}", text);
  out.className = ok ? "ok" : "error";
}
document.querySelectorAll("[data-contrast]").forEach(function (box) {
  box.addEventListener("input", function () { showContrast(box); });
  showContrast(box);
});

// Publishing reaches every resident: the button's own question first.
document.addEventListener("submit", function (e) {
  var button = e.submitter;
  var question = button && button.getAttribute("data-confirm");
  if (question && !window.confirm(question)) e.preventDefault();
});
