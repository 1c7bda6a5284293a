/* TeX in titles and abstracts, typeset in the browser by KaTeX (vendored from npm, pinned:
 * scripts/vendor-katex; assets/vendor/katex/).
 *
 * The page's HTML keeps the text exactly as the digest wrote it (the search index, feeds and
 * export are made from that text, so they keep it too); this script only changes what the
 * reader sees. It looks in the elements marked `data-math` (titles, abstracts, card
 * summaries) for balanced formulas:
 *   - `\( ... \)`;
 *   - `$ ... $` by pandoc's rule: the opening `$` has a non-space character right after it,
 *     the closing `$` a non-space character right before it and no digit right after it, so
 *     "costs $5 and $10" stays text.
 * Only when a page holds at least one does it load KaTeX (the script, its stylesheet and the
 * fonts a formula uses): a page without math costs this file alone. Each formula goes through
 * katex.render with trust off (no \href, \url, \includegraphics, \html...: nothing that makes
 * a link, a class or an attribute from the text), bounded sizes and macro expansion, and
 * errors thrown: a formula KaTeX cannot parse stays plain text, as written. KaTeX builds DOM
 * nodes itself (no innerHTML), and keeps the TeX in its MathML for screen readers.
 */
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var KATEX = new URL("../vendor/katex/", here || window.location.href);
  var SKIP = /^(CODE|PRE|SCRIPT|STYLE|TEXTAREA|KBD|SAMP)$/;
  var OPTIONS = { throwOnError: true, trust: false, strict: "ignore", maxSize: 20, maxExpand: 200,
                  output: "htmlAndMathml" };
  var loading = null;

  function isSpace(c) { return c === undefined || /\s/.test(c); }

  // Balanced formulas of a text, as [start, end, tex] (end exclusive), left to right.
  function formulas(text) {
    var found = [];
    var i = 0;
    while (i < text.length) {
      var c = text[i];
      if (c === "\\" && text[i + 1] === "(") {
        var close = text.indexOf("\\)", i + 2);
        if (close > i + 2) {
          found.push([i, close + 2, text.slice(i + 2, close)]);
          i = close + 2;
          continue;
        }
        i += 2;
        continue;
      }
      if (c === "\\") { i += 2; continue; }  // an escaped character, \$ included
      if (c === "$") {
        if (text[i + 1] === "$") {  // display math ($$) is not looked for: skip the pair
          i += 2;
          continue;
        }
        if (!isSpace(text[i + 1])) {
          var j = i + 1;
          var end = -1;
          while (j < text.length) {
            if (text[j] === "\\") { j += 2; continue; }
            if (text[j] === "$") {
              if (!isSpace(text[j - 1]) && !/[0-9]/.test(text[j + 1] || "")) end = j;
              break;
            }
            j += 1;
          }
          if (end > i + 1) {
            found.push([i, end + 1, text.slice(i + 1, end)]);
            i = end + 1;
            continue;
          }
        }
      }
      i += 1;
    }
    return found;
  }

  function textNodes(element) {
    var nodes = [];
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        for (var p = node.parentNode; p && p !== element; p = p.parentNode) {
          if (SKIP.test(p.nodeName) || (p.classList && p.classList.contains("katex"))) return NodeFilter.FILTER_REJECT;
        }
        return /\$|\\\(/.test(node.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      }
    });
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes.filter(function (node) { return formulas(node.nodeValue).length > 0; });
  }

  function load() {
    loading = loading || new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("katex.min.css", KATEX).href;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = new URL("katex.min.js", KATEX).href;
      script.onload = function () { resolve(window.katex); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  function typeset(katex, node) {
    var text = node.nodeValue;
    var parts = document.createDocumentFragment();
    var at = 0;
    formulas(text).forEach(function (f) {
      var span = document.createElement("span");
      span.className = "math-inline";
      try {
        katex.render(f[2], span, OPTIONS);
      } catch (error) {
        return;  // not TeX KaTeX can read: the text stays as written
      }
      parts.appendChild(document.createTextNode(text.slice(at, f[0])));
      parts.appendChild(span);
      at = f[1];
    });
    if (at === 0) return;
    parts.appendChild(document.createTextNode(text.slice(at)));
    node.parentNode.replaceChild(parts, node);
  }

  function render(root) {
    var scope = root.matches && root.matches("[data-math]") ? [root] : [];
    scope = scope.concat(Array.prototype.slice.call((root.querySelectorAll ? root : document).querySelectorAll("[data-math]")));
    var nodes = [];
    scope.forEach(function (element) { nodes = nodes.concat(textNodes(element)); });
    if (!nodes.length) return Promise.resolve(0);
    return load().then(function (katex) {
      nodes.forEach(function (node) { if (node.parentNode) typeset(katex, node); });
      document.documentElement.setAttribute("data-math-rendered", "");
      return nodes.length;
    });
  }

  window.paperDigestMath = { render: render, formulas: formulas };

  function renderPage() { render(document.body); }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(renderPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderPage);
  } else {
    renderPage();
  }
})();
