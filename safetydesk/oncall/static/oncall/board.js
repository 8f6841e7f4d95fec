// The emergency board: "a" acknowledges the selected case (j / k select, as in every list).
// Everything works without this: each row has its own Acknowledge button.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "a" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
    const rows = Array.from(document.querySelectorAll("table.board tr[data-row]"));
    const row = rows.find((r) => r.contains(document.activeElement) || r.classList.contains("is-selected"))
      || rows.find((r) => r.querySelector("[data-ack]"));
    const button = row ? row.querySelector("[data-ack]") : null;
    if (button) { event.preventDefault(); button.click(); }
  });
})();
