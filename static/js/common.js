/* Shared by the BLMA blocks: translations and JSON calls to handlers. */
(function (global) {
  "use strict";
  if (global.BlmaCommon) { return; }

  function catalog() {
    // The block's own catalogue (namespaced), else the page's, else English.
    var ns = global.BlmaXBlocksI18N;
    if (ns && typeof ns.gettext === "function") { return ns; }
    if (typeof global.gettext === "function") { return {gettext: global.gettext}; }
    return {gettext: function (s) { return s; }};
  }

  function gettext(message) { return catalog().gettext(message); }

  function format(template, params) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : whole;
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : (global.blmaCsrfToken || "");
  }

  /* POST JSON; resolves {ok, status, data}; never rejects, so callers show a message. */
  function postJSON(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(),
                "X-Requested-With": "XMLHttpRequest"},
      body: JSON.stringify(payload || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return {ok: response.ok, status: response.status, data: data};
      });
    }, function () {
      return {ok: false, status: 0, data: {error: gettext("The server could not be reached. Check your connection and try again.")}};
    });
  }

  function errorText(result) {
    return (result.data && result.data.error) || gettext("Something went wrong. Please try again.");
  }

  /* Run one request per button at a time: a double-click or Enter held down sends one request.
     `work` returns a promise resolving to true when the page is about to reload (stay busy). */
  function busy(button, work) {
    if (!button || button.getAttribute("aria-busy") === "true") { return; }
    button.setAttribute("aria-busy", "true");
    button.disabled = true;
    work().then(function (reloading) {
      if (!reloading) { button.removeAttribute("aria-busy"); button.disabled = false; }
    });
  }

  function root(element) { return element && element.jquery ? element[0] : element; }

  global.BlmaCommon = {gettext: gettext, format: format, postJSON: postJSON, errorText: errorText, root: root, busy: busy,
                       csrfToken: csrfToken};
}(this));
