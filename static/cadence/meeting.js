/*
 * The meeting page: drag-and-drop reordering of the agenda and the live-mode timers.
 * Keyboard users reorder with the Up/Down buttons (plain htmx); dragging posts the
 * same form (position = the 0-based index dropped on). No inline script, no eval (CSP).
 */
(function () {
  "use strict";

  function bindDrag(root) {
    var rows = root.querySelectorAll(".agenda-row[data-move-url]");
    var dragged = null;
    rows.forEach(function (row, index) {
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", String(index));
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("is-dragging");
        rows.forEach(function (r) { r.classList.remove("drop-target"); });
      });
      row.addEventListener("dragover", function (event) {
        if (dragged && dragged !== row) {
          event.preventDefault();
          row.classList.add("drop-target");
        }
      });
      row.addEventListener("dragleave", function () { row.classList.remove("drop-target"); });
      row.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!dragged || dragged === row) {
          return;
        }
        htmx.ajax("POST", dragged.getAttribute("data-move-url"), {
          target: "#meeting-body",
          swap: "outerHTML",
          values: {
            item: dragged.getAttribute("data-item"),
            position: Array.prototype.indexOf.call(rows, row),
          },
        });
      });
    });
  }

  var loadedAt = Date.now();

  function tick() {
    var seconds = Math.floor((Date.now() - loadedAt) / 1000);
    document.querySelectorAll("[data-timer-elapsed]").forEach(function (el) {
      var elapsed = parseInt(el.getAttribute("data-timer-elapsed"), 10) + seconds;
      var limit = parseInt(el.getAttribute("data-timer-limit"), 10);
      var text = Math.floor(elapsed / 60) + ":" + String(elapsed % 60).padStart(2, "0");
      if (elapsed > limit) {
        el.classList.add("overrun");
        text += " (over by " + Math.ceil((elapsed - limit) / 60) + " min)";
      }
      el.textContent = text;
    });
  }

  htmx.onLoad(function (root) {
    bindDrag(root);
    if (root.querySelector && root.querySelector("[data-timer-elapsed]")) {
      loadedAt = Date.now();
    }
  });
  setInterval(tick, 1000);
})();
