// Progressive enhancement only: every feature works without this file (links and forms).
// Loaded as a static file: the Content-Security-Policy forbids inline scripts.
"use strict";

// Press "/" to focus the search box.
document.addEventListener("keydown", (event) => {
  const tag = document.activeElement ? document.activeElement.tagName : "";
  if (event.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA") {
    const box = document.querySelector(".searchbox input[type=search]");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  }
});

// Timeline: drag across bars to choose a range; it fills the from/to form and submits it.
(function timelineDrag() {
  const svg = document.querySelector("svg.timeline");
  const form = document.querySelector("form.dates");
  if (!svg || !form) return;
  const periods = Array.from(svg.querySelectorAll(".period"));
  let start = null;
  let end = null;

  const indexAt = (event) => {
    const box = svg.getBoundingClientRect();
    const i = Math.floor((event.clientX - box.left) / (box.width / periods.length));
    return Math.max(0, Math.min(periods.length - 1, i));
  };
  const paint = () => {
    const [lo, hi] = [Math.min(start, end), Math.max(start, end)];
    periods.forEach((p, i) => p.classList.toggle("selecting", start !== null && i >= lo && i <= hi));
  };

  svg.addEventListener("dragstart", (event) => event.preventDefault());
  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    start = end = indexAt(event);
    svg.classList.add("dragging");
    paint();
  });
  svg.addEventListener("pointermove", (event) => {
    if (start === null) return;
    end = indexAt(event);
    paint();
  });
  const finish = (event) => {
    if (start === null) return;
    end = indexAt(event);
    const [lo, hi] = [Math.min(start, end), Math.max(start, end)];
    start = null;
    svg.classList.remove("dragging");
    if (lo === hi) { paint(); return; }  // a click: the bar's own link does it
    event.preventDefault();
    form.elements.from.value = periods[lo].dataset.from;
    form.elements.to.value = periods[hi].dataset.to;
    form.submit();
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", () => { start = null; svg.classList.remove("dragging"); paint(); });
})();

// Links that act as toggle buttons (role="button", e.g. the timeline's share toggle) answer the
// space bar as buttons do; Enter already follows the link.
document.addEventListener("keydown", (event) => {
  const el = event.target;
  if (event.key === " " && el instanceof HTMLAnchorElement && el.getAttribute("role") === "button") {
    event.preventDefault();
    el.click();
  }
});
