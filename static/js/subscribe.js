/* Subscribe links (templates/events/includes/feed_links.html).
 *
 * - "Copy the address": the Clipboard API, else a selected field and execCommand, else
 *   a message saying how to copy it by hand. The button stays hidden without JavaScript.
 * - On Android, webcal:// links do nothing in Chrome: the Google Calendar link and the file
 *   go first there (the hint under the links says so for everyone).
 */
(function () {
  "use strict";
  if (window.ircSubscribeReady) { return; }  // the include may appear more than once
  window.ircSubscribeReady = true;

  function say(status, key) {
    status.textContent = status.getAttribute(key) || "";
  }

  function copyByHand(input) {
    input.focus();
    input.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  function ready() {
    var android = /Android/i.test(navigator.userAgent || "");
    document.querySelectorAll("[data-feed-links]").forEach(function (box) {
      if (android) { box.classList.add("feed-links--android"); }
      var button = box.querySelector(".js-copy");
      if (!button) { return; }
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = box.querySelector(".feed-links__status");
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () { say(status, "data-copied"); };
        var failed = function () {
          if (copyByHand(input)) { done(); } else { input.select(); say(status, "data-failed"); }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, failed);
        } else {
          failed();
        }
      });
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
