/* The "Cite" block of a paper page (overrides/paper.html): a button that copies the BibTeX
 * entry. Loaded only by pages that have the block. Without JavaScript the entry is still
 * there to select by hand; the button is added by this script, so it never shows dead. */
(function () {
  "use strict";

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");  // http:// on a LAN: no Clipboard API
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand("copy");
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.querySelectorAll(".paper-cite").forEach(function (block) {
    var code = block.querySelector("pre code");
    if (!code) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button paper-cite__copy";
    button.textContent = "Copy BibTeX";
    var status = document.createElement("span");
    status.className = "paper-cite__status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copy(code.textContent).then(
        function () { status.textContent = "Copied"; },
        function () { status.textContent = "Select the entry and copy it"; }
      );
    });
    block.appendChild(button);
    block.appendChild(status);
  });
})();
