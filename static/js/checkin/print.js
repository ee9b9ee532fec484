/* Print buttons on pass cards and posters (hidden until JavaScript can print). */
document.querySelectorAll(".js-print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
