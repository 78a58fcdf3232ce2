// The overview's table: sorting by a column, filtering by name, country and status.
// Plain DOM, no library; runs under the page's Content-Security-Policy (hash-allowed).
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var country = document.getElementById("filter-country");
  var column = document.getElementById("filter-column");
  var status = document.getElementById("filter-status");
  var shown = document.getElementById("shown");
  var template = shown.getAttribute("data-template");
  // a column's status as a sort key: the worst first
  var rank = { "not-met": 0, "not-recorded": 1, "met": 2, "": 3 };

  function cell(row, key) {
    return row.getAttribute("data-c-" + key) || "";
  }

  function matches(row) {
    var needle = text.value.trim().toLowerCase();
    if (needle && row.getAttribute("data-name").toLowerCase().indexOf(needle) < 0) {
      return false;
    }
    if (country.value && row.getAttribute("data-country") !== country.value) { return false; }
    var wanted = status.value;
    if (!wanted) { return true; }
    var keys = column.value ? [column.value] : row.getAttribute("data-columns").split(" ");
    if (wanted === "all-met") {
      return keys.every(function (k) { var s = cell(row, k); return s === "met" || s === ""; });
    }
    return keys.some(function (k) { return cell(row, k) === wanted; });
  }

  function filter() {
    var count = 0;
    rows.forEach(function (row) {
      var ok = matches(row);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = template.replace("{shown}", count).replace("{total}", rows.length);
  }

  function sortBy(button) {
    var th = button.parentNode;
    var key = button.getAttribute("data-sort");
    var descending = th.getAttribute("aria-sort") === "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var direction = descending ? -1 : 1;
    rows.sort(function (a, b) {
      var x, y;
      if (key === "name") {
        x = a.getAttribute("data-name"); y = b.getAttribute("data-name");
        return direction * x.localeCompare(y, document.documentElement.lang);
      }
      if (key === "issues") {
        x = Number(a.getAttribute("data-issues")); y = Number(b.getAttribute("data-issues"));
        return direction * (y - x) || a.getAttribute("data-name").localeCompare(b.getAttribute("data-name"));
      }
      x = rank[cell(a, key)]; y = rank[cell(b, key)];
      return direction * (x - y) || a.getAttribute("data-name").localeCompare(b.getAttribute("data-name"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  [text, country, column, status].forEach(function (control) {
    control.addEventListener("input", filter);
    control.addEventListener("change", filter);
  });
  Array.prototype.forEach.call(table.querySelectorAll("th button[data-sort]"), function (button) {
    button.addEventListener("click", function () { sortBy(button); });
  });
  document.getElementById("controls").hidden = false;
  filter();
}());
