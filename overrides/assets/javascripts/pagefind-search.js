// The header search, answered by Pagefind (site/pagefind*/, written after `mkdocs build`).
// Pagefind fetches only the index chunks a query needs, so a query costs kilobytes at any
// size of site. Results go into Material's own result list, so the search looks as before.
// Result text is untrusted digest text: it is set with textContent, never as HTML.
(() => {
  "use strict";
  const root = document.querySelector("[data-pagefind-search]");
  if (!root) return;
  const toggle = document.getElementById("__search");
  const input = root.querySelector(".md-search__input");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const base = new URL((root.dataset.base || ".") + "/", window.location.href);
  const MAX_RESULTS = 10;
  let loading = null;
  let latest = 0;

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
    article.append(h1, excerpt(data.excerpt || ""));
    a.append(article);
    li.append(a);
    return li;
  };

  const count = (n) => {
    const key = n === 0 ? "textNone" : n === 1 ? "textOne" : "textOther";
    return meta.dataset[key].replace("#", String(n));
  };

  const search = async () => {
    const query = input.value.trim();
    const mine = ++latest;
    if (!query) {
      list.replaceChildren();
      meta.textContent = meta.dataset.textOther.replace("#", "0");
      return;
    }
    const found = await (await load()).debouncedSearch(query, {}, 150);
    if (found === null || mine !== latest) return;
    const results = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (mine !== latest) return;
    meta.textContent = count(found.results.length);
    list.replaceChildren(...results.map(item));
  };

  input.addEventListener("focus", () => {
    toggle.checked = true;
    load();
  });
  input.addEventListener("input", search);
  root.querySelector("form").addEventListener("reset", () => setTimeout(search));
  root.querySelector("form").addEventListener("submit", (event) => event.preventDefault());
  toggle.addEventListener("change", () => {
    if (toggle.checked) input.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      input.blur();
    } else if ((event.key === "/" || event.key === "s") && !toggle.checked && !/input|textarea/i.test(event.target.tagName)) {
      event.preventDefault();
      input.focus();
    }
  });
})();
