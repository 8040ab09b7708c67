// Brückenbau's only script: small conveniences; every page works without it.
// It is a file, not inline code, so that the Content Security Policy needs no 'unsafe-inline'.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }

  // A slip's QR link carries the access code after the "#": browsers never send that part
  // to the server, so the code never reaches a log. Fill it in, then drop it from the address bar.
  const codeInput = document.querySelector("[data-code-from-link]");
  if (codeInput && window.location.hash.length > 1) {
    codeInput.value = decodeURIComponent(window.location.hash.slice(1));
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
});
