/* Judging a pass without the server, as far as is safe, from the date's offline.json.
 * The phone holds no pass ids and no names: only, for this date, a random salt and the first
 * 16 hex characters of HMAC-SHA256(salt, pass id) for the passes already in and for the
 * group's regulars (DOOR_CONTRACT.md; the server's events/checkin/services/offline.py
 * pass_digest). A scanned pass's digest is made here with crypto.subtle and looked up. */
(function () {
  "use strict";

  // As events/checkin/tokens.py read_scanned: a pass URL (/pass/p/<token>/) or a bare token;
  // a token is "<pass id>:<signature>". The signature cannot be checked here (the key is the
  // server's), so a made-up pass is only ever "not known here" until the server says no.
  var PASS_PREFIX = "/pass/p/";
  var URL_PATH = /^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?(?:\/\/[^\/?#]*)?([^?#]*)/;
  var TOKEN_RE = /^[A-Za-z0-9_\-]{1,64}:[A-Za-z0-9_\-]{20,64}$/;

  function passIdOf(code) {
    var text = (code || "").trim();
    if (!text || text.length > 500) return null;
    if (text.indexOf("/") !== -1) {
      // The path as Python's urlsplit finds it: after any scheme and //host, before ? or #.
      var path = URL_PATH.exec(text)[1];
      try {
        path = decodeURIComponent(path);
      } catch (e) {
        return null;
      }
      if (path.indexOf(PASS_PREFIX) !== 0) return null;
      text = path.slice(PASS_PREFIX.length).replace(/^\/+|\/+$/g, "");
    }
    if (!TOKEN_RE.test(text)) return null;
    return text.split(":")[0];
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  var encoder = new TextEncoder();

  // The salt is hex; the HMAC key is the salt's text as the server uses it (see "Pass id").
  function digestKey(salt) {
    return crypto.subtle.importKey("raw", encoder.encode(salt), { name: "HMAC", hash: "SHA-256" },
      false, ["sign"]);
  }

  function digest(key, passId) {
    return crypto.subtle.sign("HMAC", key, encoder.encode(passId)).then(function (mac) {
      return hex(mac).slice(0, 16);
    });
  }

  // "not_yet", "open" or "closed" for a moment, by the date's check-in window.
  function windowState(occurrence, when) {
    var now = when.getTime();
    if (occurrence.opens_at && now < Date.parse(occurrence.opens_at)) return "not_yet";
    if (occurrence.closes_at && now > Date.parse(occurrence.closes_at)) return "closed";
    return "open";
  }

  // The device's time as ISO 8601 with its UTC offset (what sync.json's scanned_at wants).
  function localIso(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var offset = -date.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    var abs = Math.abs(offset);
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) +
      "T" + two(date.getHours()) + ":" + two(date.getMinutes()) + ":" + two(date.getSeconds()) +
      "." + ("00" + date.getMilliseconds()).slice(-3) +
      sign + two(Math.floor(abs / 60)) + ":" + two(abs % 60);
  }

  function batches(items, size) {
    var out = [];
    for (var i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  }

  window.DoorOffline = {
    passIdOf: passIdOf,
    digestKey: digestKey,
    digest: digest,
    windowState: windowState,
    localIso: localIso,
    batches: batches
  };
})();
