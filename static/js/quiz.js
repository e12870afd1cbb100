/* blma_quiz: start, save as the learner goes (debounced), submit; tutor resets. */
function BlmaQuiz(runtime, element) {
  "use strict";
  var C = window.BlmaCommon;
  var el = C.root(element);
  var form = el.querySelector(".blma-quiz-form");
  var timer = null;
  var pending = false;
  var leaving = false;  // set once the page is about to reload: no second navigation

  function message(text, scope) {
    var target = (scope || el).querySelector(".blma-message");
    if (target) { target.textContent = text; }
  }

  function answers() {
    var result = {};
    Array.prototype.forEach.call(el.querySelectorAll(".blma-question"), function (fieldset) {
      var key = fieldset.getAttribute("data-question");
      var kind = fieldset.getAttribute("data-kind");
      if (kind === "single" || kind === "true_false") {
        var checked = fieldset.querySelector("input:checked");
        if (checked) { result[key] = checked.value; }
      } else if (kind === "multiple") {
        var values = [];
        Array.prototype.forEach.call(fieldset.querySelectorAll("input:checked"), function (i) { values.push(i.value); });
        result[key] = values;
      } else if (kind === "ordering") {
        var selects = fieldset.querySelectorAll("select"), chosen = [];
        Array.prototype.forEach.call(selects, function (s) {
          if (s.value) { chosen.push([parseInt(s.value, 10), s.getAttribute("data-item")]); }
        });
        // one item per position, null where none is chosen yet: a partial order is saved as it stands
        // (all null clears it); two items given one position keep their page order
        var order = Array.prototype.map.call(selects, function () { return null; });
        chosen.sort(function (a, b) { return a[0] - b[0]; });
        chosen.forEach(function (pair) {
          var at = Math.min(Math.max(pair[0], 1), order.length) - 1;
          while (order[at] !== null) { at = (at + 1) % order.length; }
          order[at] = pair[1];
        });
        result[key] = order;
      } else if (kind === "matching") {
        var pairs = {};
        Array.prototype.forEach.call(fieldset.querySelectorAll("select"), function (s) {
          if (s.value) { pairs[s.getAttribute("data-item")] = s.value; }
        });
        result[key] = pairs;
      }
    });
    return result;
  }

  function save() {
    pending = false;
    return C.postJSON(runtime.handlerUrl(element, "save_answers"), {answers: answers()}).then(function (r) {
      message(r.ok ? r.data.message : C.errorText(r), form);
      if (r.status === 409 && !leaving) { leaving = true; window.location.reload(); }
      return r;
    });
  }

  if (form) {
    form.addEventListener("change", function () {
      pending = true;
      message(C.gettext("Saving…"), form);
      clearTimeout(timer);
      timer = setTimeout(save, 600);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      C.busy(form.querySelector("button[type=submit]") || form, function () {
        clearTimeout(timer);
        pending = false;
        leaving = true;
        message(C.gettext("Submitting…"), form);
        return C.postJSON(runtime.handlerUrl(element, "submit"), {answers: answers()}).then(function (r) {
          message(r.ok ? r.data.message : C.errorText(r), form);
          if (r.ok || r.status === 409) { window.location.reload(); return true; }
          leaving = false;
          return false;
        });
      });
    });
    window.addEventListener("beforeunload", function () { if (pending && !leaving) { save(); } });
    var left = form.getAttribute("data-seconds-left");
    var clock = el.querySelector(".blma-time-left");
    if (left && clock) {
      var end = Date.now() + parseInt(left, 10) * 1000;
      var tick = function () {
        var s = Math.max(0, Math.round((end - Date.now()) / 1000));
        clock.textContent = Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
        if (s > 0) { setTimeout(tick, 1000); }
      };
      tick();
    }
  }

  var start = el.querySelector(".blma-quiz-start");
  if (start) {
    start.addEventListener("click", function () {
      C.busy(start, function () {
        message(C.gettext("Starting…"));
        return C.postJSON(runtime.handlerUrl(element, "start_attempt"), {}).then(function (r) {
          if (r.ok) { window.location.reload(); return true; }
          message(C.errorText(r));
          return false;
        });
      });
    });
  }

  var items = el.querySelector(".blma-items");
  if (items) {
    C.postJSON(runtime.handlerUrl(element, "item_analysis"), {}).then(function (r) {
      items.innerHTML = r.ok ? r.data.html : "";  // rendered and escaped on the server
      if (!r.ok) { items.textContent = C.errorText(r); }
      items.setAttribute("aria-busy", "false");
    });
  }

  var roster = el.querySelector(".blma-roster-region");
  var search = el.querySelector(".blma-roster-search");
  var query = "";
  function loadPage(page, focusTable) {
    roster.setAttribute("aria-busy", "true");
    return C.postJSON(runtime.handlerUrl(element, "learners"), {page: page, query: query}).then(function (r) {
      roster.setAttribute("aria-busy", "false");
      if (!r.ok) { roster.querySelector("caption").textContent = C.errorText(r); return false; }
      roster.innerHTML = r.data.html;  // rendered and escaped on the server
      if (focusTable) {
        var caption = roster.querySelector("caption");
        caption.setAttribute("tabindex", "-1");
        caption.focus();
      }
      return false;
    });
  }
  if (search) {
    search.addEventListener("submit", function (event) {
      event.preventDefault();
      query = search.querySelector("input").value;
      C.busy(search.querySelector("button"), function () { return loadPage(1, true); });
    });
  }
  if (roster) {
    roster.addEventListener("click", function (event) {
      var pager = event.target.closest(".blma-page");
      if (pager) { C.busy(pager, function () { return loadPage(parseInt(pager.getAttribute("data-page"), 10), true); }); }
      var button = event.target.closest(".blma-reset");
      if (!button) { return; }
      var note = el.querySelector(".blma-tutor-message");
      C.busy(button, function () {
        return C.postJSON(runtime.handlerUrl(element, "reset_attempts"),
                          {learner_id: button.getAttribute("data-learner")}).then(function (r) {
          note.textContent = r.ok ? r.data.message : C.errorText(r);
          if (r.ok) { setTimeout(function () { window.location.reload(); }, 800); }
          return r.ok;
        });
      });
    });
  }
}
