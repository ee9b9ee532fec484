/* The door scanner's service worker (scope /checkin/). It keeps the scanner's files and each
 * scanner page opened with signal, so the page opens again without it. The scans themselves
 * never pass through here: the page keeps them in IndexedDB (queue.js) and sends them itself.
 * SHELL (the files' URLs), VERSION and OFFLINE_PAGE are put in front of this file by
 * events/checkin/views/app.py, which serves it at /checkin/sw.js. */
/* global SHELL, VERSION, OFFLINE_PAGE */
"use strict";

var SHELL_CACHE = "door-shell-" + VERSION;
var PAGE_CACHE = "door-pages";
var SCANNER_PAGE = /^\/checkin\/o\/\d+\/scan\/$/;
// On a weak signal a page may never come: after this long, answer from what we kept.
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("door-shell-") === 0 && key !== SHELL_CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
      function (error) { clearTimeout(timer); reject(error); });
  });
}

// The scanner page: the server's answer when there is one (and keep it), else the kept one.
function scannerPage(request, key) {
  var fromNetwork = fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGE_CACHE).then(function (cache) { return cache.put(key, copy); });
    }
    return response;
  });
  return withTimeout(fromNetwork, NETWORK_WAIT_MS).catch(function () {
    return caches.open(PAGE_CACHE).then(function (cache) { return cache.match(key, { ignoreVary: true }); })
      .then(function (kept) {
        return kept || new Response(OFFLINE_PAGE, {
          status: 503,
          headers: { "Content-Type": "text/html; charset=utf-8" }
        });
      });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && SCANNER_PAGE.test(url.pathname)) {
    // Only the plain page is kept (a search's results are not).
    if (!url.search) event.respondWith(scannerPage(request, url.origin + url.pathname));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.open(SHELL_CACHE)
        .then(function (cache) { return cache.match(url.pathname, { ignoreVary: true }); })
        .then(function (kept) { return kept || fetch(request); })
    );
  }
});
