// The header search, answered by Pagefind (site/pagefind*/, written after `mkdocs build`).
// Pagefind fetches only the index chunks a query needs, so a query costs kilobytes at any
// size of site. Results go into Material's own result list, so the search looks as before.
// Result text is untrusted digest text: it is set with textContent, never as HTML.
//
// Every match can be reached: the count says how many papers match, the list shows them ten
// at a time (each result's data is fetched only when shown) and a "More results" button at its
// end shows the next ten. Each result shows its date and topics (not indexed: pagefind-shards.js's
// `facts`, the line overrides/paper.html writes). Keyboard: from the search field, Down
// goes into the results, Up and Down move between them (and to the button), Up from the first
// goes back to the field, Enter opens the focused result, Escape closes the search.
(() => {
  "use strict";
  const root = document.querySelector("[data-pagefind-search]");
  if (!root) return;
  const toggle = document.getElementById("__search");
  const input = root.querySelector(".md-search__input");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const base = new URL((root.dataset.base || ".") + "/", window.location.href);
  const PAGE = 10;
  let loading = null;
  let latest = 0;
  let results = [];  // every match of the current query, in Pagefind's order
  let shown = 0;

  // One shared promise: focus and the first keystroke both call load(), and neither may
  // search before Pagefind's options and init have run.
  const load = () => {
    loading ||= (async () => {
      const shards = await import(new URL("assets/javascripts/pagefind-shards.js", base).href);
      return shards.loadShards(base); // the index's shards, merged (pagefind-shards.js)
    })();
    return loading;
  };

  // Pagefind's excerpt is escaped text with <mark> around matches: rebuild it as DOM nodes.
  // A <textarea> decodes entities without parsing tags (RCDATA), keeping spaces as they are.
  const decoder = document.createElement("textarea");
  const unescape = (text) => {
    decoder.innerHTML = text;
    return decoder.value;
  };
  const excerpt = (html) => {
    const p = document.createElement("p");
    html.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
      const marked = part.startsWith("<mark>");
      const text = unescape(marked ? part.slice(6, -7) : part);
      if (!text) return;
      if (marked) {
        const mark = document.createElement("mark");
        mark.textContent = text;
        p.append(mark);
      } else {
        p.append(text);
      }
    });
    return p;
  };

  const item = (data) => {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const h1 = document.createElement("h1");
    h1.textContent = (data.meta && data.meta.title) || data.url;
    h1.setAttribute("data-math", "");
    const facts = document.createElement("p");
    facts.className = "search-result__facts";
    facts.textContent = data.facts || "";
    article.append(h1);
    if (facts.textContent) article.append(facts);
    article.append(excerpt(data.excerpt || ""));
    a.append(article);
    li.append(a);
    if (window.paperDigestMath) window.paperDigestMath.render(h1);
    return li;
  };

  const count = (n) => {
    const key = n === 0 ? "textNone" : n === 1 ? "textOne" : "textOther";
    return meta.dataset[key].replace("#", String(n));
  };

  const moreButton = () => {
    const li = document.createElement("li");
    li.className = "md-search-result__item search-result__more";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button search-result__more-button";
    const left = results.length - shown;
    button.textContent = `More results (${Math.min(PAGE, left)} of ${left} more)`;
    button.addEventListener("click", () => showMore(true));
    li.append(button);
    return li;
  };

  // Show the next PAGE results; `focus` moves the focus to the first of them (keyboard use).
  const showMore = async (focus) => {
    const mine = latest;
    const next = results.slice(shown, shown + PAGE);
    const shards = await load();
    const data = await Promise.all(next.map(async (r) => {
      const found = await r.data();
      return { ...found, facts: await shards.facts(found.url) };
    }));
    if (mine !== latest) return;
    const old = list.querySelector(".search-result__more");
    if (old) old.remove();
    const items = data.map(item);
    list.append(...items);
    shown += next.length;
    if (shown < results.length) list.append(moreButton());
    if (focus && items.length) items[0].querySelector("a").focus();
  };

  const search = async () => {
    const query = input.value.trim();
    const mine = ++latest;
    if (!query) {
      results = [];
      shown = 0;
      list.replaceChildren();
      meta.textContent = meta.dataset.textOther.replace("#", "0");
      return;
    }
    const found = await (await load()).debouncedSearch(query, {}, 150);
    if (found === null || mine !== latest) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    meta.textContent = count(results.length);
    await showMore(false);
  };

  // The focusable stops of the result list, in order: each result's link, then the button.
  const stops = () => Array.from(list.querySelectorAll(".md-search-result__link, .search-result__more-button"));

  const onKey = (event) => {
    if (!toggle.checked || !["ArrowDown", "ArrowUp"].includes(event.key)) return;
    const all = stops();
    const at = all.indexOf(document.activeElement);
    if (document.activeElement === input) {
      if (event.key !== "ArrowDown" || !all.length) return;
      all[0].focus();
    } else if (at >= 0) {
      if (event.key === "ArrowDown" && at + 1 < all.length) all[at + 1].focus();
      else if (event.key === "ArrowUp") (at > 0 ? all[at - 1] : input).focus();
    } else {
      return;
    }
    event.preventDefault();
  };

  input.addEventListener("focus", () => {
    toggle.checked = true;
    load();
  });
  input.addEventListener("input", search);
  root.addEventListener("keydown", onKey);
  root.querySelector("form").addEventListener("reset", () => setTimeout(search));
  root.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector(".md-search-result__link");
    if (first) first.click();  // Enter in the field opens the first result
  });
  toggle.addEventListener("change", () => {
    if (toggle.checked) input.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      input.blur();
      if (root.contains(document.activeElement)) document.activeElement.blur();
    } else if ((event.key === "/" || event.key === "s") && !toggle.checked && !/input|textarea|select/i.test(event.target.tagName)) {
      event.preventDefault();
      input.focus();
    }
  });
})();
