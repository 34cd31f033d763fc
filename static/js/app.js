/*
 * CTO Office: htmx configuration and the few behaviours the pages share.
 *
 * Loaded with `defer` right after htmx.min.js, so it runs after htmx has
 * defined its config but before DOMContentLoaded, when htmx reads the config
 * to insert indicator styles and process the page.
 *
 * The Content Security Policy allows only our own scripts and styles: no
 * eval, no inline <script>, no inline <style>. Hence:
 *  - allowEval = false: no hx-on, no `js:` values, no filter expressions;
 *  - includeIndicatorStyles = false: htmx would insert an inline <style>;
 *    the indicator rules live in static/css/app.css instead;
 *  - selfRequestsOnly = true: htmx talks to this origin only.
 */
(function () {
  "use strict";

  htmx.config.allowEval = false;
  htmx.config.allowScriptTags = false;
  htmx.config.selfRequestsOnly = true;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.historyCacheSize = 0; // pages may hold confidential data: keep none in localStorage
  // htmx settles these attributes from the old element into the new; its default list includes
  // "style", which the Content Security Policy refuses (no inline styles): leave it out.
  htmx.config.attributesToSettle = ["class", "width", "height"];

  // STYLE.md rule 4: an invalid form comes back as the form partial with 422
  // and a lost edit race as a 409 partial; both are swapped like a 200 so the
  // user sees the message and keeps their input. A 403 or 404 comes back as the
  // message partial (cto_office/views.py: an <li class="message">), appended to
  // the page's message region #messages whatever element made the request.
  // Other errors are not swapped (no blank swap): the handler below shows a message.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "40[34]", swap: true, error: false, target: "#messages", swapOverride: "beforeend", select: ".message" },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];

  function showError(text) {
    var box = document.getElementById("messages");
    if (!box) {
      return;
    }
    var item = document.createElement("li");
    item.className = "message message-error";
    item.setAttribute("role", "alert");
    item.textContent = text;
    box.appendChild(item);
  }

  // A 403/404 that is not our message partial (a bare-text answer, Django's debug
  // page) is not swapped; the reader gets the same sentence the server would give.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 403 || status === 404) && !/class="message\b/.test(event.detail.serverResponse || "")) {
      event.detail.shouldSwap = false;
      showError(status === 403 ? "You are not allowed to do that." : "That item no longer exists, or you cannot see it.");
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) {
      showError("You are not allowed to do that.");
    } else if (status === 404) {
      showError("That item no longer exists, or you cannot see it.");
    } else {
      showError("Something went wrong (" + status + "). Please reload the page and try again.");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showError("The server could not be reached. Check your connection and try again.");
  });
})();
