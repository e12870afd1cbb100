/* Studio editor of the BLMA blocks: collects the form, saves through studio_submit. */
function BlmaStudioEdit(runtime, element) {
  "use strict";
  var C = window.BlmaCommon;
  var el = C.root(element);
  var form = el.querySelector("form.blma-studio") || el;
  var message = form.querySelector(".blma-message");

  function collect() {
    var data = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (row) {
      var name = row.getAttribute("data-field");
      var kind = row.getAttribute("data-kind");
      if (kind.indexOf("pair") === 0) {
        data[name] = {};
        Array.prototype.forEach.call(row.querySelectorAll("[data-lang]"), function (input) {
          data[name][input.getAttribute("data-lang")] = input.value;
        });
      } else {
        data[name] = row.querySelector("input, select, textarea").value;
      }
    });
    return data;
  }

  function notify(name, payload) {
    if (runtime.notify) { runtime.notify(name, payload); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    message.textContent = C.gettext("Saving…");
    notify("save", {state: "start"});
    C.postJSON(runtime.handlerUrl(element, "studio_submit"), collect()).then(function (result) {
      if (!result.ok) {
        message.textContent = C.errorText(result);
        notify("error", {title: C.gettext("Not saved"), message: C.errorText(result)});
        return;
      }
      var warnings = result.data.warnings || [];
      message.textContent = C.gettext("Saved.") + (warnings.length ? " " + warnings.join(" ") : "");
      notify("save", {state: "end"});
    });
  });
}
