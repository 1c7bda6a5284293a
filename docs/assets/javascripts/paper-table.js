/* Sort and filter the paper tables (generator/render/templates/_table.md.j2) in the browser.
 *
 * Each table arrives complete and newest first, so with JavaScript off a reader sees every
 * paper in a sensible order; this script only adds the controls: a sort menu, an "only papers
 * with code" box and a count above the table, and sort buttons in the column headers (which
 * carry aria-sort). Rows carry their values in data attributes (data-date, data-upvotes,
 * data-code), so nothing is parsed from the text but the title, read as text.
 *
 * The state lives in the page's address (?sort=upvotes&code=1), so a reload, the back button
 * or a shared link shows the same list; history.replaceState changes it without a new entry.
 * It runs on every page load, and on each page change when Material's instant navigation is
 * on (document$ emits then); a table it has already set up is left alone.
 */
(function () {
  "use strict";

  var ORDERS = {
    newest: { label: "Newest first", key: "date", dir: -1 },
    oldest: { label: "Oldest first", key: "date", dir: 1 },
    upvotes: { label: "Most upvotes", key: "upvotes", dir: -1 },
    fewest: { label: "Fewest upvotes", key: "upvotes", dir: 1 },
    title: { label: "Title, A to Z", key: "title", dir: 1 },
    "title-desc": { label: "Title, Z to A", key: "title", dir: -1 }
  };
  // A header click sorts by its column, first in this order, then in the reverse one.
  var HEADER_FIRST = { date: "newest", upvotes: "upvotes", title: "title" };
  var REVERSE = { newest: "oldest", oldest: "newest", upvotes: "fewest", fewest: "upvotes",
                  title: "title-desc", "title-desc": "title" };

  function value(row, key) {
    if (key === "title") {
      var link = row.cells[0] && row.cells[0].querySelector("a");  // the title: the first cell's first link
      return link ? link.textContent.toLocaleLowerCase() : "";
    }
    var raw = row.getAttribute("data-" + key) || "";
    return key === "upvotes" ? Number(raw) : raw;
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var sort = params.get("sort");
    return { sort: ORDERS.hasOwnProperty(sort) ? sort : "newest", code: params.get("code") === "1" };
  }

  function writeState(state) {
    var params = new URLSearchParams(window.location.search);
    if (state.sort === "newest") params.delete("sort"); else params.set("sort", state.sort);
    if (state.code) params.set("code", "1"); else params.delete("code");
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function apply(table, state, status) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var spec = ORDERS[state.sort];
    rows.forEach(function (row, index) { if (!row.dataset.index) row.dataset.index = String(index); });
    var keys = new Map(rows.map(function (row) { return [row, value(row, spec.key)]; }));
    rows.sort(function (a, b) {
      var x = keys.get(a), y = keys.get(b);
      var c = spec.key === "title" ? x.localeCompare(y) : (x < y ? -1 : x > y ? 1 : 0);
      if (c !== 0) return c * spec.dir;
      return Number(a.dataset.index) - Number(b.dataset.index);
    });
    var shown = 0;
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      row.hidden = state.code && row.getAttribute("data-code") !== "yes";
      if (!row.hidden) shown += 1;
      fragment.appendChild(row);
    });
    body.appendChild(fragment);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute("data-sort");
      if (key === spec.key) th.setAttribute("aria-sort", spec.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    status.textContent = shown + " of " + rows.length + " papers shown";
  }

  function setUp(container) {
    if (container.hasAttribute("data-ready")) return;
    container.setAttribute("data-ready", "");
    var table = container.querySelector("table");
    if (!table || !table.tBodies.length || !table.tHead) return;

    var bar = document.createElement("div");
    bar.className = "paper-table__controls";
    var sortLabel = document.createElement("label");
    sortLabel.textContent = "Sort: ";
    var select = document.createElement("select");
    select.setAttribute("data-sort", "");
    var hasVotes = table.querySelector("th[data-sort=upvotes]") !== null ||
      table.querySelector("tbody tr:not([data-upvotes='-1'])") !== null;
    Object.keys(ORDERS).forEach(function (name) {
      if (ORDERS[name].key === "upvotes" && !hasVotes) return;
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
    // "Only papers with code" where some rows have none (not on Papers with code itself)
    if (table.querySelector("tbody tr[data-code='no']")) bar.appendChild(codeLabel);
    bar.appendChild(status);
    container.insertBefore(bar, container.firstChild);

    var state = readState();
    if (!select.querySelector("option[value='" + state.sort + "']")) state.sort = "newest";

    // Column headers become buttons (the sortable-table pattern): the <th> keeps aria-sort.
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute("data-sort");
      if (!key) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "paper-table__sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        state.sort = ORDERS[state.sort].key === key ? REVERSE[state.sort] : HEADER_FIRST[key];
        update();
      });
    });

    function update() {
      select.value = state.sort;
      checkbox.checked = state.code;
      apply(table, state, status);
      writeState(state);
    }
    select.addEventListener("change", function () { state.sort = select.value; update(); });
    checkbox.addEventListener("change", function () { state.code = checkbox.checked; update(); });
    window.addEventListener("popstate", function () { state = readState(); update(); });
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
