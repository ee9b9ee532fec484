/* The door scanner: camera (BarcodeDetector, else jsQR in a Web Worker), USB/keyboard
 * scanner, nickname search and +1; with or without signal.
 * With signal a scan goes to scan.json and the server answers. Without (or when the server
 * cannot answer) it is saved in IndexedDB (queue.js) with a nonce made here, this phone's
 * time and this device's id, answered at once from the date's offline.json (offline.js), and
 * sent to sync.json when the signal comes back: on `online`, on focus, on opening, and by
 * the "Send now" button. The server records each nonce once, so sending twice is harmless.
 * Every answer is shown in colour and words, with a sound and a buzz where the device allows.
 * Without JavaScript the same forms post to the server and the page answers. */
(function () {
  "use strict";
  var door = document.querySelector("[data-door]");
  var page = document.querySelector(".scanner");
  if (!door || !page) return;
  var Q = window.DoorQueue;
  var O = window.DoorOffline;

  var data = door.dataset;
  var occurrence = Number(data.occurrence);
  var csrf = page.querySelector("input[name=csrfmiddlewaretoken]").value;
  var resultBox = document.getElementById("scan-result");
  var resultText = document.getElementById("scan-result-text");
  var resultMore = document.getElementById("scan-result-more");
  var codeInput = document.getElementById("scan-code");
  var undoButton = door.querySelector("[data-undo]");
  var syncButton = door.querySelector("[data-sync]");
  var waitingBox = door.querySelector("[data-waiting-box]");
  var waitingCount = door.querySelector("[data-waiting-count]");
  var connection = door.querySelector("[data-connection]");
  var queueSection = page.querySelector("[data-queue-section]");
  var queueList = page.querySelector("[data-queue-list]");
  var audio = null;

  // Words come from the page, so they are translated with the rest of it.
  function text(name) {
    var key = "msg" + name.replace(/(^|-)([a-z])/g, function (m, sep, c) { return c.toUpperCase(); });
    return data[key] || "";
  }

  function online() { return navigator.onLine !== false; }

  // ----- Timing: from a decoded code to its answer on screen (bench/bench_door_offline.py).
  var timings = window.doorTimings = [];
  var scanSerial = 0;
  function markDecoded() {
    var n = ++scanSerial;
    performance.mark("door-decoded-" + n);
    return n;
  }
  function markShown(n, how) {
    if (!n) return;
    performance.mark("door-shown-" + n);
    var measure = performance.measure("door-answer-" + n, "door-decoded-" + n, "door-shown-" + n);
    var entry = { scan: n, how: how, shown_ms: measure.duration, painted_ms: null };
    timings.push(entry);
    // The frame that carries the answer: after the next animation frame has been drawn.
    requestAnimationFrame(function () {
      setTimeout(function () {
        entry.painted_ms = performance.now() - performance.getEntriesByName("door-decoded-" + n)[0].startTime;
      }, 0);
    });
  }

  // ----- Talking to the server.
  // A busy or briefly unreachable server is tried again, after a growing pause; every request
  // here is safe to repeat (a scan carries its nonce, a +1 its own).
  var RETRY_PAUSES = [300, 700, 1500, 3000, 5000];
  var NO_CONNECTION = { connection: false };

  function headers() {
    return {
      "Content-Type": "application/json",
      "Accept": "application/json",
      "X-CSRFToken": csrf,
      "X-Scanner-Ticket": data.ticket || ""
    };
  }

  // Resolve with the answer's JSON (plus its status), or NO_CONNECTION when there was no
  // connection, or {serverDown: true} when the server kept failing.
  function post(url, body, options) {
    var attempt = 0;
    var retries = (options && options.retries === false) ? 0 : RETRY_PAUSES.length;
    function again(fallback) {
      if (attempt >= retries) return fallback;
      var pause = RETRY_PAUSES[attempt++];
      if (!(options && options.quiet)) resultText.textContent = text("retrying");
      return new Promise(function (resolve) { setTimeout(resolve, pause); }).then(send);
    }
    function send() {
      return fetch(url, {
        method: "POST", credentials: "same-origin", headers: headers(), body: JSON.stringify(body)
      }).then(function (response) {
        if (response.status >= 500) return again({ serverDown: true });
        return response.json().then(function (json) {
          json.httpStatus = response.status;
          return json;
        }, function () { return { serverDown: true, httpStatus: response.status }; });
      }, function () {
        return NO_CONNECTION;
      });
    }
    return send();
  }

  function renewTicket() {
    return fetch(data.ticketUrl, { credentials: "same-origin", headers: { "Accept": "application/json" }, redirect: "manual" })
      .then(function (r) {
        if (r.status === 403 || r.type === "opaqueredirect") return { loggedOut: true };
        return r.ok ? r.json() : {};
      })
      .then(function (json) { if (json.ticket) data.ticket = json.ticket; return json; }, function () { return {}; });
  }
  // The ticket lets scans skip the session lookup; renew it well before it expires.
  setInterval(function () { if (online()) renewTicket(); }, 10 * 60 * 1000);

  // ----- Sound, buzz and the pinned answer.
  function tone(frequencies, length) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      frequencies.forEach(function (frequency, i) {
        var oscillator = audio.createOscillator();
        var gain = audio.createGain();
        var start = audio.currentTime + i * length;
        oscillator.frequency.value = frequency;
        oscillator.type = frequency < 300 ? "square" : "sine";
        gain.gain.setValueAtTime(0.2, start);
        gain.gain.exponentialRampToValueAtTime(0.001, start + length);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(start);
        oscillator.stop(start + length);
      });
    } catch (e) { /* no sound on this device: colour and words still say it */ }
  }

  var FEEDBACK = {
    checked_in: { sound: [880, 1320], buzz: [80], css: "checked_in" },
    counted: { sound: [880, 1320], buzz: [80], css: "checked_in" },
    saved: { sound: [880, 990], buzz: [60], css: "saved" },
    undone: { sound: [660, 440], buzz: [60], css: "working" },
    already: { sound: [660], buzz: [60, 80, 60], css: "already" },
    invalid: { sound: [180, 180], buzz: [300, 100, 300], css: "invalid" },
    refused: { sound: [180, 180], buzz: [300, 100, 300], css: "invalid" }
  };

  function updateCounts(counts) {
    if (!counts) return;
    Object.keys(counts).forEach(function (key) {
      var node = door.querySelector("[data-count=" + key + "]");
      if (node) node.textContent = counts[key];
    });
  }

  var undoable = null; // {nonce, attendance, queued}: what the Undo button would undo
  var undoTimer = null;
  function offerUndo(what) {
    undoable = what;
    clearTimeout(undoTimer);
    undoButton.hidden = !what;
    undoButton.disabled = false;
    undoButton.textContent = text("undo");
    // Undo is for the mistake just made; after two minutes use the attendance page.
    if (what) undoTimer = setTimeout(function () { offerUndo(null); }, 2 * 60 * 1000);
  }

  function show(answer, more, serial, quiet) {
    var outcome = answer.outcome in FEEDBACK ? answer.outcome : "invalid";
    resultBox.className = "scan-result scan-result--" + FEEDBACK[outcome].css;
    resultText.textContent = answer.message || "";
    resultMore.textContent = more || "";
    resultBox.setAttribute("data-outcome", outcome);
    if (answer.local) resultBox.setAttribute("data-local", answer.local);
    else resultBox.removeAttribute("data-local");
    markShown(serial, outcome);
    if (!quiet) {
      tone(FEEDBACK[outcome].sound, 0.12);
      if (navigator.vibrate) navigator.vibrate(FEEDBACK[outcome].buzz);
    }
    updateCounts(answer.counts);
  }

  function working(message) {
    resultBox.className = "scan-result scan-result--working";
    resultBox.removeAttribute("data-outcome");
    resultText.textContent = message;
    resultMore.textContent = "";
  }

  // ----- What this phone knows about the date without the server (offline.json).
  var offline = { data: null, key: null, checkedIn: new Set(), regulars: new Set() };

  function useOffline(json) {
    if (!json || !json.salt) return Promise.resolve();
    offline.data = json;
    offline.checkedIn = new Set(json.checked_in || []);
    offline.regulars = new Set(json.regulars || []);
    if (json.counts && !online()) updateCounts(json.counts);
    return O.digestKey(json.salt).then(function (key) { offline.key = key; }, function () {});
  }

  function loadOffline() {
    var kept = Q.loadOffline(occurrence).then(useOffline, function () {});
    if (!data.offlineUrl || !online()) return kept.then(knownFromQueue);
    return fetch(data.offlineUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (json) {
        if (!json || !json.salt) return kept;
        return Q.saveOffline(occurrence, json).then(function () { return useOffline(json); });
      }, function () { return kept; })
      .then(function () { return knownFromQueue(); });
  }

  // Scans saved here count as "in" for the local answer, until the server says otherwise.
  function knownFromQueue() {
    return Q.forOccurrence(occurrence).then(function (scans) {
      scans.forEach(function (scan) {
        if (scan.digest && scan.status !== "refused" && scan.state !== "undone") offline.checkedIn.add(scan.digest);
      });
    }, function () {});
  }

  function judge(passId) {
    if (!passId) return Promise.resolve({ digest: "", local: "unreadable" });
    if (!offline.key) return Promise.resolve({ digest: "", local: "unknown" });
    return O.digest(offline.key, passId).then(function (digest) {
      var local = offline.checkedIn.has(digest) ? "already" : offline.regulars.has(digest) ? "regular" : "unknown";
      return { digest: digest, local: local };
    });
  }

  function windowNow() {
    return offline.data && offline.data.occurrence ? O.windowState(offline.data.occurrence, new Date()) : "open";
  }

  // ----- The queue.
  function saveForLater(code, nonce, serial, serverDown) {
    var now = new Date();
    return judge(O.passIdOf(code)).then(function (verdict) {
      return Q.device().then(function () {
        return Q.add({
          nonce: nonce,
          occurrence: occurrence,
          syncUrl: data.syncUrl,
          code: code,
          scanned_at: O.localIso(now),
          created: now.getTime(),
          digest: verdict.digest,
          local: verdict.local,
          state: "waiting"
        });
      }).then(function () {
        if (verdict.digest) offline.checkedIn.add(verdict.digest);
        var words = [text("local-" + verdict.local)];
        if (windowNow() !== "open") words.push(text("local-shut"));
        show({ outcome: "saved", message: text(serverDown ? "saved-server" : "saved"), local: verdict.local },
          words.join(" "), serial);
        offerUndo({ nonce: nonce, queued: true });
        return refreshQueue();
      });
    }).catch(function () {
      // IndexedDB refused (private mode, full disk): say so rather than pretend it is kept.
      show({ outcome: "invalid", message: text("offline") }, "", serial);
    });
  }

  // Names the server sent back, for this page only (never stored on the phone).
  var nicknames = new Map();
  function describe(scan) {
    if (scan.state === "waiting") return text("state-waiting");
    var words = text("state-" + scan.status) || text("state-refused");
    if (scan.status === "refused" && scan.message) words += ": " + scan.message;
    if (scan.seen > 1) words += " (" + text("seen").replace("%(n)s", scan.seen) + ")";
    return words;
  }

  function refreshQueue() {
    return Promise.all([Q.forOccurrence(occurrence), Q.waiting()]).then(function (both) {
      var mine = both[0];
      var waiting = both[1];
      waitingCount.textContent = waiting.length;
      waitingBox.hidden = waiting.length === 0;
      syncButton.hidden = waiting.length === 0 || !data.syncUrl;
      queueSection.hidden = mine.length === 0;
      queueList.textContent = "";
      // The latest fifty, newest first: enough to see what happened, quick to redraw.
      mine.slice(-50).reverse().forEach(function (scan) {
        var item = document.createElement("li");
        item.setAttribute("data-state", scan.state);
        if (scan.status) item.setAttribute("data-status", scan.status);
        var when = document.createElement("time");
        when.dateTime = scan.scanned_at;
        when.textContent = new Date(scan.created).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
        var who = document.createElement("strong");
        who.textContent = nicknames.get(scan.nonce) || text("a-pass");
        var what = document.createElement("span");
        what.textContent = describe(scan);
        item.append(when, " ", who, " ", what);
        queueList.appendChild(item);
      });
      return waiting.length;
    }, function () { return 0; });
  }

  // Send what waits, in batches of at most 100, one sync at a time (across tabs too, where
  // the browser has Web Locks; the server's nonces make a second sender harmless anyway).
  var syncing = null;
  var BATCH = 100;
  function sync() {
    if (syncing) return syncing;
    if (!online()) return Promise.resolve();
    var run = function () { return sendWaiting(); };
    syncing = (navigator.locks ? navigator.locks.request("irc-door-sync", run) : run())
      .catch(function () {})
      .then(function () { syncing = null; return refreshQueue(); });
    return syncing;
  }

  // The session has ended: the queue stays on the phone until the organiser logs in again.
  function askToLogIn() {
    var link = document.createElement("a");
    link.href = data.loginUrl;
    link.textContent = text("log-in");
    connection.textContent = "";
    connection.appendChild(link);
  }

  function sendWaiting() {
    return Q.waiting().then(function (waiting) {
      waiting = waiting.filter(function (scan) { return scan.syncUrl; });
      if (!waiting.length) return null;
      connection.textContent = text("sending");
      return Promise.all([Q.device(), renewTicket()]).then(function (got) {
        if (got[1].loggedOut) {
          askToLogIn();
          return null;
        }
        var groups = {};
        waiting.forEach(function (scan) { (groups[scan.syncUrl] = groups[scan.syncUrl] || []).push(scan); });
        var chain = Promise.resolve(true);
        Object.keys(groups).forEach(function (url) {
          O.batches(groups[url], BATCH).forEach(function (batch) {
            chain = chain.then(function (going) {
              return going && sendBatch(url, got[0], batch);
            });
          });
        });
        return chain.then(function (allSent) {
          connection.textContent = allSent ? text("all-sent") : text("send-failed");
        });
      });
    });
  }

  function sendBatch(url, device, batch) {
    var body = {
      device: device,
      scans: batch.map(function (scan) { return { nonce: scan.nonce, code: scan.code, scanned_at: scan.scanned_at }; })
    };
    return post(url, body, { quiet: true }).then(function (answer) {
      if (!answer.results) {
        if (answer.httpStatus === 403) askToLogIn();
        return false;
      }
      return Q.settle(answer.results).then(function (settled) {
        settled.forEach(function (scan) { if (scan && scan.nickname) nicknames.set(scan.nonce, scan.nickname); });
        if (url === data.syncUrl) {
          updateCounts(answer.counts);
          settled.forEach(function (scan) {
            if (scan && scan.status === "refused" && scan.digest) offline.checkedIn.delete(scan.digest);
            if (scan && scan.status !== "refused" && scan.digest) offline.checkedIn.add(scan.digest);
          });
        }
        return true;
      });
    });
  }

  // ----- Scanning.
  // The same pass seen again by this device within a few seconds is the same person still
  // holding it up (or a double trigger): ignored, not answered "already".
  var HOLD_MS = 5000;
  var last = { key: "", at: 0 };
  function heldAgain(code) {
    var key = code.trim();
    var now = Date.now();
    var again = key === last.key && now - last.at < HOLD_MS;
    last = { key: key, at: now };
    return again;
  }

  var chain = Promise.resolve();
  var stats = window.doorStats = { read: 0, held: 0 };
  function scan(code) {
    if (!code) return Promise.resolve();
    stats.read++;
    if (heldAgain(code)) {
      stats.held++;
      return Promise.resolve();
    }
    var serial = markDecoded();
    chain = chain.then(function () { return scanOne(code, serial); });
    return chain;
  }

  function scanOne(code, serial) {
    var nonce = Q.newId();
    offerUndo(null);
    if (!online()) return saveForLater(code, nonce, serial, false);
    working(text("checking"));
    return Q.device().then(function (device) {
      return post(data.scanUrl, { code: code, nonce: nonce, device: device });
    }).then(function (answer) {
      if (answer === NO_CONNECTION) return saveForLater(code, nonce, serial, false);
      if (answer.serverDown) return saveForLater(code, nonce, serial, true);
      // The server saw this phone scan this pass a moment ago: the answer stands, quietly.
      show(answer, "", serial, answer.repeat);
      if (answer.outcome === "checked_in" && data.undoUrl) {
        offerUndo({ nonce: nonce, attendance: answer.attendance });
      }
      return null;
    });
  }

  undoButton.addEventListener("click", function () {
    var what = undoable;
    if (!what) return;
    undoButton.disabled = true;
    if (what.queued) {
      // Not sent yet: take it off the queue, and the server never hears of it.
      Q.waiting().then(function (waiting) {
        var still = waiting.some(function (scan) { return scan.nonce === what.nonce; });
        if (!still) return undoOnServer(what);
        return Q.remove(what.nonce).then(function () {
          offerUndo(null);
          show({ outcome: "undone", message: text("unqueued") });
          return refreshQueue();
        });
      });
      return;
    }
    undoOnServer(what);
  });

  function undoOnServer(what) {
    working(text("undoing"));
    var body = what.attendance ? { attendance: what.attendance } : { nonce: what.nonce };
    return post(data.undoUrl, body).then(function (answer) {
      if (answer.undone) {
        offerUndo(null);
        show({ outcome: "undone", message: answer.message, counts: answer.counts });
      } else {
        undoButton.disabled = false;
        show({ outcome: "invalid", message: answer.error || text("undo-failed") });
      }
    });
  }

  // USB scanners type the code and press Enter, like a keyboard.
  page.querySelector("[data-code-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value.trim();
    codeInput.value = "";
    scan(code).then(function () { codeInput.focus({ preventScroll: true }); });
  });

  page.querySelector("[data-plus-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    offerUndo(null);
    post(data.plusUrl, { nonce: Q.newId() }).then(function (answer) {
      if (answer === NO_CONNECTION || answer.serverDown) answer = { outcome: "invalid", message: text(answer.serverDown ? "server" : "offline") };
      show(answer);
    });
  });

  var results = page.querySelector("[data-search-results]");
  var searchInput = page.querySelector("#search-q");
  page.querySelector("[data-search-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    var q = searchInput.value.trim();
    if (q.length < 2) {
      show({ outcome: "invalid", message: text("short") });
      return;
    }
    if (!online()) {
      show({ outcome: "invalid", message: text("search-offline") });
      return;
    }
    fetch(data.searchUrl + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (r) { return r.json(); }).then(function (json) {
      results.textContent = "";
      if (!json.results || !json.results.length) {
        var none = document.createElement("li");
        none.textContent = text("nobody");
        results.appendChild(none);
        return;
      }
      json.results.forEach(function (match) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button--secondary";
        button.textContent = text("checkIn") + " " + match.nickname + (match.here ? " " + text("here") : "");
        button.addEventListener("click", function () {
          button.disabled = true;
          offerUndo(null);
          var nonce = Q.newId();
          post(data.checkinUrl, { participant: match.id, nonce: nonce }).then(function (answer) {
            if (answer === NO_CONNECTION || answer.serverDown) {
              button.disabled = false;
              show({ outcome: "invalid", message: text(answer.serverDown ? "server" : "search-offline") });
              return;
            }
            show(answer);
            // Done: the list goes, so nothing invites a second tap.
            results.textContent = "";
            searchInput.value = "";
            if (answer.outcome === "checked_in" && data.undoUrl && answer.attendance) {
              offerUndo({ attendance: answer.attendance });
            }
          });
        });
        item.appendChild(button);
        results.appendChild(item);
      });
      results.querySelector("button").focus({ preventScroll: true });
    }, function () {
      show({ outcome: "invalid", message: text("search-offline") });
    });
  });

  // ----- Connection, date window, full screen.
  function showConnection() {
    connection.textContent = online() ? text("online") : text("offline-mode");
    door.classList.toggle("door--offline", !online());
  }
  window.addEventListener("online", function () { showConnection(); sync(); });
  window.addEventListener("offline", showConnection);
  window.addEventListener("focus", function () { sync(); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) sync(); });
  syncButton.addEventListener("click", function () { sync(); });
  setInterval(function () { if (online()) sync(); }, 30 * 1000);

  // The server says on opening whether the date is open; while the page stays open the
  // window may open or close, so look again by the times offline.json gave.
  var windowNote = page.querySelector("[data-window-note]");
  var windowText = page.querySelector("[data-window-text]");
  var shutOnOpening = page.querySelector("[data-window-shut]");
  function showWindow() {
    if (!offline.data || !offline.data.occurrence) return;
    var state = windowNow();
    var strings = offline.data.strings || {};
    if (shutOnOpening) shutOnOpening.hidden = state === "open";
    windowNote.hidden = state === "open" || !!(shutOnOpening && !shutOnOpening.hidden);
    windowText.textContent = state === "not_yet" ? (strings.not_yet || text("not-yet")) : (strings.closed || text("closed"));
  }
  setInterval(showWindow, 30 * 1000);

  var fullButton = door.querySelector("[data-fullscreen]");
  if (document.fullscreenEnabled && fullButton) {
    fullButton.hidden = false;
    fullButton.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () {});
    });
    document.addEventListener("fullscreenchange", function () {
      fullButton.textContent = document.fullscreenElement ? text("leave-full") : text("full");
      fullButton.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
    });
  }

  // ----- Installing: the service worker keeps this page and its files for offline use.
  if ("serviceWorker" in navigator && data.swUrl) {
    navigator.serviceWorker.register(data.swUrl, { scope: data.swScope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      // A first visit is not yet the worker's to keep: keep the page now.
      if (!online() || !window.caches) return null;
      var key = location.origin + location.pathname;
      return caches.open("door-pages").then(function (cache) {
        return cache.match(key, { ignoreVary: true }).then(function (kept) {
          return kept ? null : cache.add(key);
        });
      });
    }).catch(function () { /* without a worker the page still works while it stays open */ });
  }

  showConnection();
  var ready = Q.open().then(function () {
    return Promise.all([Q.device(), loadOffline(), Q.prune(24 * 60 * 60 * 1000)]);
  }).then(function () {
    showWindow();
    return refreshQueue();
  }).then(function () { return sync(); }).catch(function () {});
  window.doorReady = ready;

  // ----- The camera: BarcodeDetector where the browser has it, else jsQR in a worker.
  var cameraBox = page.querySelector("[data-camera]");
  var toggle = page.querySelector("[data-camera-toggle]");
  var note = page.querySelector("[data-camera-note]");
  var video = document.getElementById("scanner-video");
  var stream = null;

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  function makeDecoder() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") === -1) return workerDecoder();
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function () {
          return detector.detect(video).then(function (codes) {
            return codes.length ? codes[0].rawValue : null;
          });
        };
      }, workerDecoder);
    }
    return Promise.resolve(workerDecoder());
  }

  function workerDecoder() {
    if (!window.Worker) return null;
    var worker = new Worker(data.workerUrl);
    worker.postMessage({ jsqr: data.jsqrUrl });
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    var pending = null;
    var id = 0;
    worker.onmessage = function (event) {
      if (pending && event.data.id === pending.id) {
        var done = pending.resolve;
        pending = null;
        done(event.data.data);
      }
    };
    return function () {
      var width = Math.min(video.videoWidth, 640);
      var height = Math.round(video.videoHeight * width / video.videoWidth);
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      var frame = context.getImageData(0, 0, width, height);
      return new Promise(function (resolve) {
        pending = { id: ++id, resolve: resolve };
        worker.postMessage({ id: id, width: width, height: height, buffer: frame.data.buffer }, [frame.data.buffer]);
      });
    };
  }

  var decode = null;
  function tick() {
    if (!stream || !decode) return;
    if (video.readyState < 2 || !video.videoWidth) {
      setTimeout(tick, 150);
      return;
    }
    decode().then(function (found) {
      if (found) scan(found);
    }, function () {}).then(function () { setTimeout(tick, 120); });
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.play();
        toggle.textContent = text("stop");
        toggle.setAttribute("aria-pressed", "true");
        note.textContent = text("hold");
        tick();
      }, function () {
        note.textContent = text("noCamera");
      });
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    toggle.textContent = text("start");
    toggle.setAttribute("aria-pressed", "false");
    note.textContent = "";
  }

  makeDecoder().then(function (made) {
    decode = made;
    if (!decode) return; // the code field, search and +1 still work
    cameraBox.hidden = false;
    toggle.addEventListener("click", function () { if (stream) stop(); else start(); });
    start();
  });
})();
