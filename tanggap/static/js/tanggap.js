// Move focus to the error summary so screen-reader and keyboard users hear what to correct.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();

// "Select all" beside the bulk actions; without JavaScript each row is ticked on its own.
(function () {
  var tables = document.querySelectorAll("table[data-select-all]");
  Array.prototype.forEach.call(tables, function (table) {
    var boxes = table.querySelectorAll("tbody input[type=checkbox]");
    var form = table.closest("form");
    var actions = form && form.querySelector(".bulk-actions");
    if (!boxes.length || !actions) return;
    var wrap = document.createElement("span");
    wrap.className = "pick-all";
    var all = document.createElement("input");
    all.type = "checkbox";
    all.id = "pick-all";
    var label = document.createElement("label");
    label.htmlFor = "pick-all";
    label.textContent = table.getAttribute("data-select-all");
    wrap.appendChild(all);
    wrap.appendChild(label);
    actions.insertBefore(wrap, actions.querySelector("button"));
    all.addEventListener("change", function () {
      Array.prototype.forEach.call(boxes, function (b) { b.checked = all.checked; });
    });
    Array.prototype.forEach.call(boxes, function (b) {
      b.addEventListener("change", function () {
        var ticked = Array.prototype.filter.call(boxes, function (x) { return x.checked; }).length;
        all.checked = ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      });
    });
  });
})();
