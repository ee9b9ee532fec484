/* The door's queue, in IndexedDB: every scan made without the server waits here until the
 * server has answered it, so closing the tab, losing the battery or reloading loses nothing.
 * Also kept: this device's id (made once, sent with every batch) and each date's offline.json.
 * A scan: {nonce, occurrence, syncUrl, code, scanned_at, digest, local, state, created,
 *          status, message, seen}; state is "waiting" until the server answers, then
 *          "sent" (and its code is dropped). No name is ever kept here. */
(function () {
  "use strict";

  var DB_NAME = "irc-door";
  var DB_VERSION = 1;
  var opening = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore("meta", { keyPath: "key" });
        var scans = db.createObjectStore("scans", { keyPath: "nonce" });
        scans.createIndex("occurrence", "occurrence");
        scans.createIndex("state", "state");
        db.createObjectStore("offline", { keyPath: "occurrence" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { opening = null; reject(req.error); };
    });
    return opening;
  }

  // Run `work(store)` in one transaction; resolve when the transaction has committed, so a
  // resolved put is on disk (and survives the tab being closed straight after).
  function inStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result;
        Promise.resolve(work(tx.objectStore(name))).then(function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var deviceId = null;
  function device() {
    if (deviceId) return Promise.resolve(deviceId);
    return inStore("meta", "readwrite", function (store) {
      return request(store.get("device")).then(function (row) {
        if (row) return row.value;
        var made = "door-" + newId();
        store.put({ key: "device", value: made });
        return made;
      });
    }).then(function (value) { deviceId = value; return value; });
  }

  function add(scan) {
    return inStore("scans", "readwrite", function (store) { store.put(scan); }).then(function () { return scan; });
  }

  function forOccurrence(occurrence) {
    return inStore("scans", "readonly", function (store) {
      return request(store.index("occurrence").getAll(occurrence));
    }).then(function (rows) {
      return rows.sort(function (a, b) { return a.created - b.created; });
    });
  }

  function waiting() {
    return inStore("scans", "readonly", function (store) {
      return request(store.index("state").getAll("waiting"));
    }).then(function (rows) {
      return rows.sort(function (a, b) { return a.created - b.created; });
    });
  }

  // Write the server's answers onto the scans they are for (by nonce). Once answered, a scan
  // keeps no code (the pass) and no name: only when, what happened and, if refused, why
  // (PRIVACY.md). The nickname the server sent is handed back for the page to show, not kept.
  function settle(results) {
    return inStore("scans", "readwrite", function (store) {
      return Promise.all(results.map(function (result) {
        return request(store.get(result.nonce)).then(function (scan) {
          if (!scan) return null;
          scan.state = "sent";
          scan.code = "";
          scan.status = result.status;
          scan.message = result.status === "refused" ? (result.message || "") : "";
          scan.seen = result.seen || 0;
          store.put(scan);
          return Object.assign({ nickname: result.nickname || "" }, scan);
        });
      }));
    });
  }

  function remove(nonce) {
    return inStore("scans", "readwrite", function (store) { store.delete(nonce); });
  }

  // Answered scans are kept a day, to show what happened to them, then let go.
  function prune(olderThanMs) {
    var before = Date.now() - olderThanMs;
    return inStore("scans", "readwrite", function (store) {
      return request(store.index("state").getAll("sent")).then(function (rows) {
        rows.forEach(function (scan) { if (scan.created < before) store.delete(scan.nonce); });
      });
    });
  }

  function saveOffline(occurrence, data) {
    return inStore("offline", "readwrite", function (store) {
      store.put({ occurrence: occurrence, data: data, saved: Date.now() });
    });
  }

  function loadOffline(occurrence) {
    return inStore("offline", "readonly", function (store) {
      return request(store.get(occurrence));
    }).then(function (row) { return row ? row.data : null; });
  }

  window.DoorQueue = {
    open: open,
    newId: newId,
    device: device,
    add: add,
    forOccurrence: forOccurrence,
    waiting: waiting,
    settle: settle,
    remove: remove,
    prune: prune,
    saveOffline: saveOffline,
    loadOffline: loadOffline
  };
})();
