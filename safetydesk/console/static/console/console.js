// Safetydesk console: keyboard shortcuts and the shortcut help. Everything works without this
// file; it only adds speed. Loaded with `defer` from a static file (the CSP forbids inline JS).
//
//   /        focus the search box          g d   dashboard        g q   queue
//   j / k    next / previous case row      Enter open it          ?     shortcut help
//   Esc      leave the search box
"use strict";

(function () {
  const SEQUENCE_MS = 1500;
  let pendingG = 0; // when "g" was pressed, for the two-key shortcuts

  function isTyping(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    const tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      const type = (target.getAttribute("type") || "text").toLowerCase();
      return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
    }
    return false;
  }

  function helpDialog() {
    return document.getElementById("shortcut-help");
  }

  function openHelp() {
    const dialog = helpDialog();
    if (dialog && !dialog.open && typeof dialog.showModal === "function") dialog.showModal();
  }

  function go(keys) {
    const link = document.querySelector('a[data-shortcut="' + keys + '"]');
    if (link) window.location.assign(link.href);
  }

  // --- j / k over the case rows of every list on the page, top to bottom --------------------
  function rows() {
    return Array.from(document.querySelectorAll("table[data-rows] tr[data-row]"));
  }

  function currentRow(list) {
    const active = document.activeElement;
    return list.findIndex((row) => row.contains(active) || row.classList.contains("is-selected"));
  }

  function select(list, index) {
    list.forEach((row) => row.classList.remove("is-selected"));
    const row = list[index];
    if (!row) return;
    row.classList.add("is-selected");
    const link = row.querySelector("a");
    // Focusing the row's link gives a visible focus ring and lets Enter open the case.
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const list = rows();
    if (!list.length) return;
    const at = currentRow(list);
    const next = at === -1 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(at + step, 0), list.length - 1);
    select(list, next);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const dialog = helpDialog();
    if (dialog && dialog.open) return; // the dialog handles Esc itself

    if (isTyping(event.target)) {
      // Esc leaves the search box so the shortcuts work again.
      if (event.key === "Escape" && event.target.id === "global-search") event.target.blur();
      return;
    }

    const now = Date.now();
    if (pendingG && now - pendingG < SEQUENCE_MS) {
      pendingG = 0;
      if (event.key === "d") { event.preventDefault(); go("g d"); return; }
      if (event.key === "q") { event.preventDefault(); go("g q"); return; }
    }
    pendingG = 0;

    switch (event.key) {
      case "/": {
        const search = document.getElementById("global-search");
        if (search) { event.preventDefault(); search.focus(); search.select(); }
        break;
      }
      case "?":
        event.preventDefault();
        openHelp();
        break;
      case "g":
        pendingG = now;
        break;
      case "j":
        event.preventDefault();
        move(1);
        break;
      case "k":
        event.preventDefault();
        move(-1);
        break;
      default:
        break;
    }
  });

  // The help button is only useful with this script running, so it starts hidden.
  document.querySelectorAll("[data-opens]").forEach((button) => { button.hidden = false; });

  document.addEventListener("click", function (event) {
    const opener = event.target instanceof Element ? event.target.closest("[data-opens]") : null;
    if (opener && opener.dataset.opens === "shortcut-help") openHelp();
  });

  // A row click anywhere (not just on the reference) opens the case, like in a mail client.
  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element) || event.target.closest("a, button, input, select, textarea")) return;
    const row = event.target.closest("tr[data-row]");
    const link = row && row.querySelector("a");
    if (link && !window.getSelection().toString()) link.click();
  });
})();
