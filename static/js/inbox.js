/*
 * The escalation inbox's keyboard and live SLA clocks (loaded on the inbox page only).
 *
 * Shortcuts (each also a visible button on the row): j/k move, Enter open,
 * e triage, r route, a raise to CTO, c convert, x resolve, d decline, s snooze,
 * u duplicate, space select, / search, ? shortcuts, Esc close the form,
 * Ctrl+Enter submit the form from a note.
 * A shortcut clicks the selected row's button, so htmx loads the same form the
 * button does. Shift-click on a checkbox selects the range since the last one.
 * The SLA clock words time as Escalation.sla_clock does (actions/models.py).
 */
(function () {
  "use strict";

  var current = -1;
  var lastChecked = null;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr.inbox-row"));
  }

  function select(index) {
    var list = rows();
    if (!list.length) {
      return;
    }
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (row, i) {
      row.classList.toggle("is-selected", i === current);
      row.setAttribute("aria-selected", i === current ? "true" : "false");
    });
    list[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    var list = rows();
    return list[current] || null;
  }

  function typing(target) {
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    // Ctrl+Enter (Cmd+Enter) submits the open form from a note's textarea.
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && event.target.form) {
      event.preventDefault();
      event.target.form.requestSubmit();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "Escape") {
      var panel = document.getElementById("panel");
      if (panel) {
        panel.innerHTML = "";
      }
      if (document.activeElement) {
        document.activeElement.blur();
      }
      return;
    }
    if (typing(event.target)) {
      return;
    }
    var row = currentRow();
    if (event.key === "j") {
      select(current + 1);
    } else if (event.key === "k") {
      select(current - 1);
    } else if (event.key === "Enter" && row) {
      window.location.href = row.dataset.url;
    } else if (event.key === "/") {
      var search = document.getElementById("filter-q");
      if (search) {
        search.focus();
      }
    } else if (event.key === "?") {
      var help = document.getElementById("shortcuts");
      if (help) {
        help.open = !help.open;
      }
    } else if (event.key === " " && row) {
      var box = row.querySelector("input[type=checkbox]");
      if (box) {
        box.checked = !box.checked;
      }
    } else if (row) {
      var button = row.querySelector('[data-key="' + event.key + '"]');
      if (!button) {
        return;
      }
      button.click();
    } else {
      return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var box = event.target;
    if (box.matches && box.matches("tr.inbox-row input[type=checkbox]")) {
      var boxes = rows().map(function (r) { return r.querySelector("input[type=checkbox]"); });
      if (event.shiftKey && lastChecked) {
        var from = boxes.indexOf(lastChecked), to = boxes.indexOf(box);
        boxes.slice(Math.min(from, to), Math.max(from, to) + 1).forEach(function (b) { b.checked = box.checked; });
      }
      lastChecked = box;
    }
    var closer = event.target.closest && event.target.closest("[data-close-panel]");
    var panel = document.getElementById("panel");
    if (closer && panel && panel.contains(closer)) {
      event.preventDefault();
      panel.innerHTML = "";
    }
  });

  // After a row is swapped, keep the selection on the same position.
  document.addEventListener("htmx:afterSettle", function () {
    if (current >= 0) {
      select(current);
    }
  });

  function clockWords(due, now) {
    var seconds = (due - now) / 1000;
    var minutes = Math.floor(Math.abs(seconds) / 60);
    var amount = minutes < 60 ? minutes + " min" : minutes < 48 * 60 ? Math.floor(minutes / 60) + " h" : Math.floor(minutes / 1440) + " d";
    return seconds >= 0 ? amount + " left" : "breached " + amount;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.sla-clock").forEach(function (el) {
      var due = Date.parse(el.getAttribute("datetime"));
      if (!isNaN(due)) {
        el.textContent = clockWords(due, now);
        el.classList.toggle("overdue-text", due < now);
      }
    });
  }

  setInterval(tick, 30000);
})();
