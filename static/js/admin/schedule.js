// The event editor's schedule: shows only the fields "How often" uses, and keeps the
// summary, the next dates and the "date it changes" lists in step as the organiser types.
// Without this script every field shows and the server still checks everything.
(function () {
  "use strict";

  // Which fields each "How often" uses (the rest are hidden and not required).
  var USES = {
    once: ["duration_days"],
    daily: ["interval", "ends", "until", "count"],
    weekly: ["interval", "weekdays", "ends", "until", "count"],
    monthly: ["interval", "monthly_mode", "monthly_nth", "weekdays", "ends", "until", "count"],
  };
  var OPTIONAL = ["duration_days", "interval", "weekdays", "monthly_mode", "monthly_nth", "ends", "until", "count"];
  var panelBlank = "";
  var FIELDS = ["start_date", "start_time", "end_time", "duration_days", "frequency", "interval",
    "weekdays", "monthly_mode", "monthly_nth", "ends", "until", "count", "extra_dates", "excluded_dates"];

  function wrapper(name) {
    var input = document.querySelector("[name='" + name + "']");
    return input ? input.closest("[data-field-wrapper], .w-field__wrapper") : null;
  }

  function value(form, name) {
    var checked = form.querySelectorAll("[name='" + name + "']");
    if (!checked.length) return [];
    if (checked[0].type === "checkbox" || checked[0].type === "radio") {
      return Array.prototype.filter.call(checked, function (i) { return i.checked; })
        .map(function (i) { return i.value; });
    }
    return [checked[0].value];
  }

  function showFields(form) {
    var how = value(form, "frequency")[0] || "once";
    var mode = value(form, "monthly_mode")[0];
    var ends = value(form, "ends")[0];
    OPTIONAL.forEach(function (name) {
      var box = wrapper(name);
      if (!box) return;
      var shown = (USES[how] || []).indexOf(name) !== -1;
      if (how === "monthly" && (name === "monthly_nth" || name === "weekdays")) shown = mode === "weekday";
      if (name === "until") shown = shown && ends === "on_date";
      if (name === "count") shown = shown && ends === "after_count";
      box.hidden = !shown;
      box.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.required = shown && (name === "until" || name === "count");
      });
    });
  }

  function fillList(list, dates) {
    list.textContent = "";
    dates.forEach(function (d) {
      var li = document.createElement("li");
      li.textContent = d.label + (d.status === "cancelled" ? " (cancelled)" : d.status === "moved" ? " (moved)" : "");
      list.appendChild(li);
    });
  }

  function fillChangeDates(form, series, onlyNew) {
    form.querySelectorAll("[name$='-original_date']").forEach(function (input) {
      if (input.name.indexOf("__prefix__") !== -1) return;
      if (onlyNew && input.dataset.seriesFilled) return;
      var select = input;
      if (input.tagName !== "SELECT") {
        select = document.createElement("select");
        select.name = input.name;
        select.id = input.id;
        select.dataset.chosen = input.value;
        input.replaceWith(select);
      }
      var chosen = select.value || select.dataset.chosen || "";
      var first = select.options.length ? select.options[0].textContent : "";
      select.dataset.seriesFilled = "1";
      select.textContent = "";
      var blank = document.createElement("option");
      blank.value = "";
      blank.textContent = panelBlank || first || "Choose one of its dates";
      select.appendChild(blank);
      series.forEach(function (d) {
        var option = document.createElement("option");
        option.value = d.value;
        option.textContent = d.label;
        option.selected = d.value === chosen;
        select.appendChild(option);
      });
    });
  }

  function start() {
    var panel = document.querySelector("[data-schedule-preview]");
    if (!panel) return;
    var form = panel.closest("form");
    panelBlank = panel.dataset.blankLabel || "";
    var summary = panel.querySelector("[data-schedule-summary]");
    var list = panel.querySelector("[data-schedule-dates]");
    var timer = null;
    var lastSeries = null;

    function refresh() {
      var params = new URLSearchParams();
      FIELDS.forEach(function (name) {
        value(form, name).forEach(function (v) { params.append(name, v); });
      });
      fetch(panel.dataset.schedulePreview + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.error) {
            summary.textContent = data.error;
            list.textContent = "";
            return;
          }
          summary.textContent = data.summary;
          fillList(list, data.dates);
          lastSeries = data.series;
          fillChangeDates(form, data.series);
        })
        .catch(function () { /* the preview is a help; saving still works */ });
    }

    function changed(event) {
      showFields(form);
      var name = event && event.target && event.target.name;
      if (name && FIELDS.indexOf(name) === -1) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // A change added with "Add change to one date" gets the series' dates too.
    new MutationObserver(function () {
      if (lastSeries) fillChangeDates(form, lastSeries, true);
    }).observe(form, { childList: true, subtree: true });
    showFields(form);
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
