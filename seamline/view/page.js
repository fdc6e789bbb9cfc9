"use strict";
// Hover details, the same offsets highlighted in the other streams, and columns that scroll together.
(function () {
  const detail = document.getElementById("detail");
  let lit = [];

  function describe(u) {
    const d = u.dataset, stream = u.closest(".stream").querySelector("h3").textContent;
    const bits = [stream, d.kind + " " + d.seq, "offsets " + d.start + "-" + d.end,
      (d.end - d.start) + " characters"];
    if (d.tokens !== undefined) bits.push(d.tokens + " tokens");
    if (d.score !== undefined) bits.push("score " + d.score);
    if (d.path) bits.push("path: " + d.path);
    if (d.more) bits.push(d.more + " characters not shown");
    return bits.join(" \u00b7 ");
  }

  function unitsOf(column) {
    if (!column._units) column._units = Array.from(column.querySelectorAll(".u"));
    return column._units;
  }

  // the index of the last unit starting at or before offset
  function unitAt(units, offset) {
    let lo = 0, hi = units.length - 1, found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (Number(units[mid].dataset.start) <= offset) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function highlight(u) {
    lit.forEach((x) => x.classList.remove("hit"));
    lit = [];
    const start = Number(u.dataset.start), end = Number(u.dataset.end);
    const section = u.closest("section.doc");
    section.querySelectorAll(".text").forEach((column) => {
      if (column.contains(u)) return;
      const units = unitsOf(column);
      for (let i = unitAt(units, start); i < units.length && Number(units[i].dataset.start) < Math.max(end, start + 1); i++) {
        units[i].classList.add("hit");
        lit.push(units[i]);
      }
    });
  }

  document.addEventListener("mouseover", (event) => {
    const u = event.target.closest && event.target.closest(".u");
    if (!u) return;
    detail.textContent = describe(u);
    highlight(u);
  });

  // The first unit whose box reaches the top of the column's visible area.
  function firstVisible(column) {
    const units = unitsOf(column), top = column.scrollTop;
    let lo = 0, hi = units.length - 1, found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (units[mid].offsetTop <= top) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return units[found];
  }

  document.querySelectorAll("section.doc").forEach((section) => {
    const columns = Array.from(section.querySelectorAll(".text"));
    if (columns.length < 2) return;
    let quietUntil = 0;
    columns.forEach((column) => column.addEventListener("scroll", () => {
      if (performance.now() < quietUntil) return;
      const u = firstVisible(column);
      if (!u) return;
      const offset = Number(u.dataset.start);
      quietUntil = performance.now() + 80;
      columns.forEach((other) => {
        if (other === column) return;
        const units = unitsOf(other);
        if (units.length) other.scrollTop = units[unitAt(units, offset)].offsetTop;
      });
    }, { passive: true }));
  });
})();
