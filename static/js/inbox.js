/*
 * The escalation inbox's keyboard and live SLA clocks (loaded on the inbox page only).
 *
 * Shortcuts (each also a button of the triage bar): j/k move, Enter open,
 * e triage, r route, a raise to CTO, c convert, x resolve, d decline, s snooze,
 * u duplicate, space select, / search, ? shortcuts, Esc close the form,
 * Ctrl+Enter submit the form from a note.
 * A click on a row selects it too. The triage bar's buttons (and their keys) load
 * the selected row's transition form into #panel: the row's data-url plus the
 * verb (actions/urls.py), as the escalation's own page links it. Without
 * JavaScript the rows link to that page, which has the same buttons.
 * Shift-click on a checkbox selects the range since the last one.
 * The SLA clocks and the ages word time as Escalation.sla_clock and
 * Escalation.duration_words do (actions/models.py), and stay live.
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
    showInBar(list[current]);
  }

  // The triage bar names the selected row and offers its transitions while it is open.
  function showInBar(row) {
    var bar = document.getElementById("triage-bar");
    if (!bar) {
      return;
    }
    var open = row.dataset.open === "1";
    var title = row.querySelector("td:nth-child(3) a");
    document.getElementById("triage-bar-label").textContent =
      row.dataset.key + (title ? " " + title.textContent.trim() : "") + (open ? ":" : " is closed.");
    bar.querySelectorAll("button[data-verb]").forEach(function (button) {
      button.disabled = !open;
    });
  }

  function openTransition(verb) {
    var row = currentRow();
    if (row && row.dataset.open === "1") {
      htmx.ajax("GET", row.dataset.url + verb + "/?origin=inbox", { target: "#panel", swap: "innerHTML" });
    }
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
      var button = document.querySelector('#triage-bar button[data-key="' + event.key + '"]');
      if (!button || button.disabled) {
        return;
      }
      openTransition(button.dataset.verb);
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
    var barButton = event.target.closest && event.target.closest("#triage-bar button[data-verb]");
    if (barButton) {
      openTransition(barButton.dataset.verb);
      return;
    }
    var clickedRow = event.target.closest && event.target.closest("tr.inbox-row");
    if (clickedRow && !event.target.closest("a, input, button, label")) {
      select(rows().indexOf(clickedRow));
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

  // Escalation.duration_words and Escalation.sla_clock (actions/models.py), in JavaScript.
  function durationWords(seconds) {
    var minutes = Math.floor(Math.abs(seconds) / 60);
    return minutes < 60 ? minutes + " min" : minutes < 48 * 60 ? Math.floor(minutes / 60) + " h" : Math.floor(minutes / 1440) + " d";
  }

  function clockWords(due, now) {
    var seconds = (due - now) / 1000;
    var amount = durationWords(seconds);
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
    document.querySelectorAll("time.age-clock").forEach(function (el) {
      var raised = Date.parse(el.getAttribute("datetime"));
      if (!isNaN(raised)) {
        el.textContent = durationWords((now - raised) / 1000);
      }
    });
  }

  setInterval(tick, 30000);
})();
