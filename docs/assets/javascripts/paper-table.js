/* Sort and filter the paper tables (generator/render/templates/_table.md.j2) in the browser.
 *
 * Each table arrives complete and newest first, so with JavaScript off a reader sees every
 * paper in a sensible order; this script only adds the controls. Rows carry their values in
 * data attributes (data-date, data-upvotes, data-code), so nothing is parsed from the text.
 * It runs on every page load, and on each page change when Material's instant navigation is
 * on (document$ emits then); a table it has already set up is left alone.
 */
(function () {
  "use strict";

  var ORDERS = {
    newest: { label: "Newest first", key: "date", dir: -1 },
    oldest: { label: "Oldest first", key: "date", dir: 1 },
    upvotes: { label: "Most upvotes", key: "upvotes", dir: -1 }
  };

  function value(row, key) {
    var raw = row.getAttribute("data-" + key) || "";
    return key === "upvotes" ? Number(raw) : raw;
  }

  function apply(table, order, codeOnly, status) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var spec = ORDERS[order];
    rows.forEach(function (row, index) { if (!row.dataset.index) row.dataset.index = String(index); });
    rows.sort(function (a, b) {
      var x = value(a, spec.key), y = value(b, spec.key);
      if (x < y) return -spec.dir;
      if (x > y) return spec.dir;
      return Number(a.dataset.index) - Number(b.dataset.index);
    });
    var shown = 0;
    rows.forEach(function (row) {
      row.hidden = codeOnly && row.getAttribute("data-code") !== "yes";
      if (!row.hidden) shown += 1;
      body.appendChild(row);
    });
    status.textContent = shown + " of " + rows.length + " papers shown";
  }

  function setUp(container) {
    if (container.hasAttribute("data-ready")) return;
    container.setAttribute("data-ready", "");
    var table = container.querySelector("table");
    if (!table || !table.tBodies.length) return;

    var bar = document.createElement("div");
    bar.className = "paper-table__controls";
    var sortLabel = document.createElement("label");
    sortLabel.textContent = "Sort: ";
    var select = document.createElement("select");
    select.setAttribute("data-sort", "");
    Object.keys(ORDERS).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = ORDERS[name].label;
      select.appendChild(option);
    });
    sortLabel.appendChild(select);
    var codeLabel = document.createElement("label");
    var checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    checkbox.setAttribute("data-code-only", "");
    codeLabel.appendChild(checkbox);
    codeLabel.appendChild(document.createTextNode(" Only papers with code"));
    var status = document.createElement("span");
    status.className = "paper-table__status";
    status.setAttribute("role", "status");
    bar.appendChild(sortLabel);
    bar.appendChild(codeLabel);
    bar.appendChild(status);
    container.insertBefore(bar, container.firstChild);

    function update() { apply(table, select.value, checkbox.checked, status); }
    select.addEventListener("change", update);
    checkbox.addEventListener("change", update);
    update();
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-paper-table]"), setUp);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setUpAll);  // Material: every page, instant navigation or not
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
