// Chancery report: shows every channel's state for the chosen date from the rows embedded
// by Python (no server, no network). Each row holds the state table's cells already in
// words, for a span of days in which none of them changes; this script only picks the row
// for the day and copies its cells, so it knows no vocabulary of its own. Data is read from
// a JSON script element and only ever written into the page as text (textContent).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chancery-data").textContent);
  var control = document.getElementById("as-of");
  var label = document.getElementById("as-of-label");
  var note = document.getElementById("as-of-note");
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  // The row whose span [start, end) holds the day (ISO dates compare as text).
  function rowOn(slug, day) {
    if (!Object.prototype.hasOwnProperty.call(data.segments, slug)) { return null; }
    var rows = data.segments[slug];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if ((r.start === null || r.start <= day) && (r.end === null || day < r.end)) {
        return r;
      }
    }
    return null;
  }

  function show(day) {
    var beyond = day > data.until;
    var rows = document.querySelectorAll("tr[data-channel]");
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var r = beyond ? null : rowOn(row.getAttribute("data-channel"), day);
      var cells = row.querySelectorAll("td[data-cell]");
      row.setAttribute("data-status", r === null ? "" : r.status);
      row.setAttribute("data-certainty", r === null ? "" : r.certainty);
      for (var j = 0; j < cells.length; j++) {
        cells[j].textContent = r !== null && j < r.cells.length ? r.cells[j] : "";
      }
    }
    note.textContent = beyond ? data.beyond : "";
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
