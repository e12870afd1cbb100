/* blma_module: "Mark as done", idempotent on the server; tells the page so progress updates. */
function BlmaModule(runtime, element, args) {
  "use strict";
  var C = window.BlmaCommon;
  var el = C.root(element);
  var button = el.querySelector(".blma-mark-done");
  var message = el.querySelector(".blma-message");
  var busy = false;

  button.addEventListener("click", function () {
    if (busy) { return; }
    busy = true;
    button.setAttribute("aria-busy", "true");
    message.textContent = C.gettext("Saving…");
    C.postJSON(runtime.handlerUrl(element, "mark_done"), {}).then(function (result) {
      busy = false;
      button.removeAttribute("aria-busy");
      if (!result.ok) {
        message.textContent = C.errorText(result);
        return;
      }
      button.setAttribute("aria-pressed", "true");
      button.textContent = C.gettext("Done");
      message.textContent = result.data.message;
      document.dispatchEvent(new CustomEvent("blma:module-done", {detail: {module_id: args.module_id}}));
    });
  });
}
