/* Decodes camera frames with jsQR away from the page, so the page stays quick on old phones
 * (where BarcodeDetector is missing). The page sends {jsqr: url} once, then frames as
 * {id, width, height, buffer} (the buffer transferred, not copied) one at a time; each gets
 * back {id, data} (data: the decoded text, or null). */
/* global jsQR */
"use strict";

self.onmessage = function (event) {
  var message = event.data;
  if (message.jsqr) {
    importScripts(message.jsqr);
    return;
  }
  var found = null;
  try {
    found = jsQR(new Uint8ClampedArray(message.buffer), message.width, message.height, {
      inversionAttempts: "dontInvert"
    });
  } catch (e) { /* an odd frame: the next one will do */ }
  self.postMessage({ id: message.id, data: found && found.data ? found.data : null });
};
