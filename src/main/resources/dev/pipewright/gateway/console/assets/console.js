// Pipewright console: the little script the server-rendered pages use. No dependencies.
// 1. An element with data-refresh="N" is reloaded from the same URL every N seconds while the tab is visible; the
//    fresh copy replaces it (and stops the refresh when it no longer has the attribute, e.g. a finished job).
// 2. A form with data-confirm asks before it is sent.
// 3. A form with data-autosubmit is sent when one of its selects changes.
(function () {
  "use strict";

  function refresh(element) {
    var seconds = parseInt(element.getAttribute("data-refresh"), 10);
    if (!(seconds > 0) || !element.id) {
      return;
    }
    var timer = setInterval(function () {
      if (document.hidden) {
        return;
      }
      fetch(window.location.href, { credentials: "same-origin", headers: { "X-Console-Refresh": "1" } })
        .then(function (response) {
          if (response.redirected || !response.ok) {
            throw new Error("refresh answered " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(element.id);
          var current = document.getElementById(element.id);
          if (!fresh || !current) {
            return;
          }
          current.replaceWith(document.adoptNode(fresh));
          if (!fresh.hasAttribute("data-refresh")) {
            clearInterval(timer);
          }
          element = fresh;
        })
        .catch(function () {
          // A failed refresh is tried again at the next tick.
        });
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-refresh]").forEach(refresh);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
  });
})();
