/* The door scanner: camera (jsQR), USB/keyboard scanner, nickname search and +1.
 * Every answer is shown in colour and words, with a sound and a buzz where the device allows.
 * Without JavaScript the same forms post to the server and the page answers. */
(function () {
  "use strict";
  var root = document.querySelector(".scanner");
  if (!root) return;

  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var resultBox = document.getElementById("scan-result");
  var resultText = document.getElementById("scan-result-text");
  var codeInput = document.getElementById("scan-code");
  var audio = null;

  // Words come from the page, so they are translated with the rest of it.
  function text(name) {
    return root.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
  }

  // A busy or briefly unreachable server is tried again, after a growing pause, before the
  // door hears "the server could not answer". Every request here is safe to repeat: a scan
  // twice is one attendance, and a +1 carries its nonce.
  var RETRY_PAUSES = [300, 700, 1500, 3000, 5000];

  function post(url, body) {
    var attempt = 0;
    function again(fallback) {
      if (attempt >= RETRY_PAUSES.length) return fallback;
      var pause = RETRY_PAUSES[attempt++];
      resultText.textContent = text("retrying");
      return new Promise(function (resolve) { setTimeout(resolve, pause); }).then(send);
    }
    function send() {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": csrf,
          "X-Scanner-Ticket": root.dataset.ticket || ""
        },
        body: JSON.stringify(body)
      }).then(function (response) {
        var failed = { outcome: "invalid", message: text("server") };
        if (response.status >= 500) return again(failed);
        return response.json().catch(function () { return failed; });
      }, function () {
        return again({ outcome: "invalid", message: text("offline") });
      });
    }
    return send();
  }

  // The ticket lets scans skip the session lookup; renew it well before it expires.
  setInterval(function () {
    fetch(root.dataset.ticketUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (data) { if (data.ticket) root.dataset.ticket = data.ticket; }, function () {});
  }, 10 * 60 * 1000);

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
    checked_in: { sound: [880, 1320], buzz: [80] },
    counted: { sound: [880, 1320], buzz: [80] },
    already: { sound: [660], buzz: [60, 80, 60] },
    invalid: { sound: [180, 180], buzz: [300, 100, 300] },
    refused: { sound: [180, 180], buzz: [300, 100, 300] }
  };

  function show(data) {
    var outcome = data.outcome in FEEDBACK ? data.outcome : "invalid";
    var css = outcome === "counted" ? "checked_in" : outcome === "refused" ? "invalid" : outcome;
    resultBox.className = "scan-result scan-result--" + css;
    resultText.textContent = data.message || "";
    resultBox.setAttribute("data-outcome", outcome);
    tone(FEEDBACK[outcome].sound, 0.12);
    if (navigator.vibrate) navigator.vibrate(FEEDBACK[outcome].buzz);
    if (data.counts) {
      Object.keys(data.counts).forEach(function (key) {
        var node = root.querySelector("[data-count=" + key + "]");
        if (node) node.textContent = data.counts[key];
      });
    }
  }

  var busy = false;
  function scan(code) {
    if (busy || !code) return Promise.resolve();
    busy = true;
    resultBox.className = "scan-result scan-result--working";
    resultText.textContent = text("checking");
    return post(root.dataset.scanUrl, { code: code }).then(show).then(function () { busy = false; });
  }

  // USB scanners type the code and press Enter, like a keyboard.
  root.querySelector("[data-code-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value.trim();
    codeInput.value = "";
    scan(code).then(function () { codeInput.focus(); });
  });

  root.querySelector("[data-plus-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    var nonce = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
    post(root.dataset.plusUrl, { nonce: nonce }).then(show);
  });

  var results = root.querySelector("[data-search-results]");
  root.querySelector("[data-search-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    var q = root.querySelector("#search-q").value.trim();
    if (q.length < 2) {
      show({ outcome: "invalid", message: text("short") });
      return;
    }
    fetch(root.dataset.searchUrl + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (r) { return r.json(); }).then(function (data) {
      results.textContent = "";
      if (!data.results || !data.results.length) {
        var none = document.createElement("li");
        none.textContent = text("nobody");
        results.appendChild(none);
        return;
      }
      data.results.forEach(function (match) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button--secondary";
        button.textContent = text("checkIn") + " " + match.nickname + (match.here ? " " + text("here") : "");
        button.addEventListener("click", function () {
          post(root.dataset.checkinUrl, { participant: match.id }).then(show);
        });
        item.appendChild(button);
        results.appendChild(item);
      });
      results.querySelector("button").focus();
    });
  });

  // The camera: decode a few frames a second with jsQR.
  var cameraBox = root.querySelector("[data-camera]");
  var toggle = root.querySelector("[data-camera-toggle]");
  var note = root.querySelector("[data-camera-note]");
  var video = document.getElementById("scanner-video");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var last = { code: "", at: 0 };

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof jsQR !== "function") {
    return; // the code field, search and +1 still work
  }
  cameraBox.hidden = false;

  function tick() {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      var width = Math.min(video.videoWidth, 640);
      var height = Math.round(video.videoHeight * width / video.videoWidth);
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      var found = jsQR(context.getImageData(0, 0, width, height).data, width, height, {
        inversionAttempts: "dontInvert"
      });
      var now = Date.now();
      // The same code stays in view for a while: scan it once, then again only after 4 s.
      if (found && found.data && !busy && (found.data !== last.code || now - last.at > 4000)) {
        last = { code: found.data, at: now };
        scan(found.data);
      }
    }
    setTimeout(tick, 150);
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

  toggle.addEventListener("click", function () { if (stream) stop(); else start(); });
  start();
})();
