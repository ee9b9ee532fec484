// The scanner's "expected today by introduction" list: after each scan answer, fetch the
// scanner page again and take its fresh list, so a person introduced shows "Came" at once.
(function () {
  "use strict";
  var list = document.querySelector("[data-expected]");
  var result = document.getElementById("scan-result");
  if (!list || !result || !window.fetch || !window.MutationObserver) {
    return;
  }
  var pending = null;
  function refresh() {
    fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-expected]");
        if (fresh) {
          list.innerHTML = fresh.innerHTML;
        }
      })
      .catch(function () { /* offline: the list stays as it was */ });
  }
  new MutationObserver(function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(refresh, 300);
  }).observe(result, { attributes: true, childList: true, subtree: true, characterData: true });
})();
