// Chancery report: recomputes every channel's state for the chosen date from the embedded
// read-model rows (no server, no network). Data is read from a JSON script element and only
// ever written into the page as text (textContent, setAttribute), never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chancery-data").textContent);
  var control = document.getElementById("as-of");
  var label = document.getElementById("as-of-label");
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  function segmentOn(segments, day) {
    for (var i = 0; i < segments.length; i++) {
      var s = segments[i];
      if ((s.start === null || s.start <= day) && (s.end === null || day < s.end)) {
        return s;
      }
    }
    return null;
  }

  function statusWords(s) {
    if (s.status === "unknown") { return "unknown (no source gives it)"; }
    return s.status + (s.status_basis === "inferred" ? " (inferred)" : "") + ", " + s.certainty;
  }

  function sinceWords(s) {
    if (s.status === "unknown" || s.since === null) { return ""; }
    return (s.status_basis === "inferred" ? "first evidence " : "") + s.since;
  }

  function capWords(s) {
    if (s.staff_cap_basis === null) { return ""; }
    if (s.staff_cap === null) { return "unknown"; }
    return s.staff_cap + " (" + s.staff_cap_basis + ")";
  }

  function show(day) {
    var rows = document.querySelectorAll("tr[data-channel]");
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var s = segmentOn(data.segments[row.getAttribute("data-channel")] || [], day);
      if (s === null) { continue; }
      row.setAttribute("data-status", s.status);
      row.setAttribute("data-certainty", s.status === "unknown" ? "" : s.certainty);
      row.setAttribute("data-staff-cap", s.staff_cap === null ? "" : String(s.staff_cap));
      row.querySelector(".status").textContent = statusWords(s);
      row.querySelector(".since").textContent = sinceWords(s);
      row.querySelector(".cap").textContent = capWords(s);
    }
    label.textContent = day;
    control.value = day;
  }

  function fromFragment() {
    var match = /(?:^#|&)as-of=(\d{4}-\d{2}-\d{2})(?:&|$)/.exec(window.location.hash);
    return match ? match[1] : null;
  }

  control.addEventListener("change", function () {
    if (!DATE.test(control.value)) { return; }
    history.replaceState(null, "", "#as-of=" + control.value);
    show(control.value);
  });
  window.addEventListener("hashchange", function () {
    var day = fromFragment();
    if (day) { show(day); }
  });
  show(fromFragment() || data.as_of);
})();
