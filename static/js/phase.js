/* blma_phase: refresh the learner's progress when a module of this phase is marked done. */
function BlmaPhase(runtime, element, args) {
  "use strict";
  var C = window.BlmaCommon;
  var el = C.root(element);
  var modules = (args && args.modules) || [];

  document.addEventListener("blma:module-done", function (event) {
    if (modules.indexOf(event.detail && event.detail.module_id) === -1) { return; }
    C.postJSON(runtime.handlerUrl(element, "progress"), {}).then(function (result) {
      if (!result.ok) { return; }
      var bar = el.querySelector(".blma-bar");
      var text = el.querySelector(".blma-progress-text");
      if (bar) {
        bar.setAttribute("aria-valuenow", result.data.done);
        bar.setAttribute("aria-valuetext", result.data.text);
        bar.querySelector(".blma-bar-fill").style.width = result.data.percent + "%";
      }
      if (text) { text.textContent = result.data.text; }
    });
  });
}
