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

  // Whole years from an ISO date to another (terminal/words.py full_years).
  function fullYears(start, end) {
    var years = Number(end.slice(0, 4)) - Number(start.slice(0, 4));
    return end.slice(5) < start.slice(5) ? years - 1 : years;
  }

  // The status in the words of every view (computed by the report's Python), then how old
  // its evidence is on the chosen day when older than a year (terminal/words.py).
  function statusWords(s, day) {
    if (s.last_reported_end === null) { return s.status_text; }
    var years = fullYears(s.last_reported_end, day);
    if (years < 1) { return s.status_text; }
    return s.status_text + " last reported " + s.last_reported + ", " + years +
      (years === 1 ? " year" : " years") + " before";
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
      row.querySelector(".status").textContent = statusWords(s, day);
      row.querySelector(".since").textContent = s.since_text;
      row.querySelector(".cap").textContent = s.cap_text;
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
