/* blma_assignment: the learner writes (Quill), saves, attaches files and submits; tutors grade. */
function BlmaAssignment(runtime, element, args) {
  "use strict";
  var C = window.BlmaCommon;
  var el = C.root(element);
  var form = el.querySelector(".blma-assignment-form");

  function say(text, scope) {
    var target = (scope || el).querySelector(".blma-message");
    if (target) { target.textContent = text; }
  }

  /* -- the learner ------------------------------------------------------------------------- */
  if (form) {
    var textarea = form.querySelector(".blma-answer");
    var holder = form.querySelector(".blma-editor");
    var editor = null;
    var timer = null;
    if (window.Quill && holder) {  // the maintained editor; without it the textarea stays usable
      editor = new window.Quill(holder, {theme: "snow", modules: {
        toolbar: [[{header: [3, 4, false]}], ["bold", "italic"], [{list: "ordered"}, {list: "bullet"}], ["link"],
                  ["clean"]],
        // Tab leaves the editor (no keyboard trap): Quill's own Tab bindings indent or insert a tab
        keyboard: {bindings: {tab: null, indent: null, outdent: null, "indent code-block": null,
                              "outdent code-block": null}}}});
      editor.clipboard.dangerouslyPasteHTML(textarea.value);  // the server-cleaned draft
      var area = holder.querySelector(".ql-editor");
      area.setAttribute("role", "textbox");
      area.setAttribute("aria-multiline", "true");
      area.setAttribute("aria-label", holder.getAttribute("data-label"));
      nameTheToolbar(form);
      textarea.hidden = true;
      editor.on("text-change", changed);
    } else {
      textarea.addEventListener("input", changed);
    }

    var text = function () { return editor ? editor.root.innerHTML : textarea.value; };
    var words = function () {
      var plain = editor ? editor.getText() : textarea.value.replace(/<[^>]+>/g, " ");
      var found = plain.match(/[^\s.,;:!?()«»"“”]+/g);
      return found ? found.length : 0;
    };

    function changed() {
      var count = words();
      form.querySelector(".blma-word-count").textContent = count;
      form.querySelector(".blma-words").classList.toggle("blma-over", !!args.max_words && count > args.max_words);
      clearTimeout(timer);
      timer = setTimeout(save, 1500);
    }

    /* One save request at a time, always with the newest text: typing during a save sends one more
       save after it, so an older text can never arrive after (and overwrite) a newer one. */
    var saving = null;  // the request in flight (a promise), if any
    var again = false;  // the text may have changed since it left: send once more after it
    var loud = false;  // someone wants "Draft saved." shown (a refused submit's save is quiet)
    function send() {
      again = false;
      return C.postJSON(runtime.handlerUrl(element, "save_draft"), {text: text()}).then(function (r) {
        if (again) { return send(); }
        saving = null;
        if (loud || !r.ok) { say(r.ok ? r.data.message : C.errorText(r), form); }
        loud = false;
        return false;
      });
    }
    function save(quiet) {
      clearTimeout(timer);
      again = true;
      loud = loud || quiet !== true;
      if (!saving) { saving = send(); }
      return saving;
    }

    form.querySelector(".blma-save-draft").addEventListener("click", function (event) {
      C.busy(event.currentTarget, save);
    });

    var confirmBox = form.querySelector(".blma-confirm");
    form.querySelector(".blma-submit-start").addEventListener("click", function () {
      confirmBox.hidden = false;
      confirmBox.querySelector(".blma-submit-confirm").focus();
    });
    confirmBox.querySelector(".blma-submit-cancel").addEventListener("click", function () {
      confirmBox.hidden = true;
      form.querySelector(".blma-submit-start").focus();
    });
    confirmBox.querySelector(".blma-submit-confirm").addEventListener("click", function (event) {
      C.busy(event.currentTarget, function () {
        clearTimeout(timer);
        say(C.gettext("Submitting…"), form);
        return C.postJSON(runtime.handlerUrl(element, "submit_work"), {text: text(), confirm: true}).then(function (r) {
          say(r.ok ? r.data.message : C.errorText(r), form);
          if (r.ok) { window.location.reload(); return true; }
          // a refused submit writes nothing: keep what was typed since the last save (quietly, so the
          // reason for the refusal stays on screen)
          return save(true);
        });
      });
    });

    var input = form.querySelector(".blma-file-input");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      say(C.gettext("Uploading…"), form);
      fetch(runtime.handlerUrl(element, "upload"), {
        method: "POST", credentials: "same-origin", body: file,
        headers: {"X-CSRFToken": C.csrfToken(), "X-File-Name": encodeURIComponent(file.name),
                  "Content-Type": "application/octet-stream"}
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return {ok: response.ok, status: response.status, data: data};
        });
      }, function () {
        return {ok: false, status: 0, data: {}};
      }).then(function (r) {
        say(r.ok ? r.data.message : C.errorText(r), form);
        input.value = "";
        if (r.ok) { save().then(function () { window.location.reload(); }); }
      });
    });

    form.addEventListener("click", function (event) {
      var remove = event.target.closest(".blma-remove-file");
      if (!remove) { return; }
      C.busy(remove, function () {
        return C.postJSON(runtime.handlerUrl(element, "remove_file"),
                          {file_id: parseInt(remove.getAttribute("data-file"), 10)}).then(function (r) {
          say(r.ok ? r.data.message : C.errorText(r), form);
          if (r.ok) { remove.closest("li").remove(); }
          return false;
        });
      });
    });
  }

  /* -- tutors -------------------------------------------------------------------------------- */
  var queue = el.querySelector(".blma-queue");
  var grading = el.querySelector(".blma-grading");
  var filters = el.querySelector(".blma-queue-filters");
  var note = el.querySelector(".blma-tutor-message");
  if (!queue) { return; }

  function filterValues(page) {
    return {state: filters.elements.state.value, query: filters.elements.query.value,
            sort: filters.elements.sort.value, mine: filters.elements.mine.checked, page: page || 1};
  }
  function loadQueue(page) {
    return C.postJSON(runtime.handlerUrl(element, "queue"), filterValues(page)).then(function (r) {
      if (r.ok) { queue.innerHTML = r.data.html; } else { note.textContent = C.errorText(r); }
      return false;
    });
  }
  function showWork(r) {
    note.textContent = r.ok ? (r.data.message || "") : C.errorText(r);
    if (r.ok) {
      grading.innerHTML = r.data.html;  // rendered and escaped on the server
      var heading = grading.querySelector("h4");
      if (heading) { heading.focus(); }
    }
    return false;
  }
  function call(name, payload) {
    return C.postJSON(runtime.handlerUrl(element, name), payload);
  }

  filters.addEventListener("submit", function (event) {
    event.preventDefault();
    C.busy(filters.querySelector("button[type=submit]"), function () { return loadQueue(1); });
  });
  el.querySelector(".blma-allocate").addEventListener("click", function (event) {
    C.busy(event.currentTarget, function () {
      return call("allocate", {}).then(function (r) { note.textContent = r.ok ? r.data.message : C.errorText(r);
        return loadQueue(1); });
    });
  });
  el.querySelector(".blma-release-all").addEventListener("click", function (event) {
    C.busy(event.currentTarget, function () {
      return call("release_all", {}).then(function (r) { note.textContent = r.ok ? r.data.message : C.errorText(r);
        return loadQueue(1); });
    });
  });

  el.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || !el.querySelector(".blma-tutor").contains(target)) { return; }
    var panel = target.closest(".blma-grading-panel");
    if (target.classList.contains("blma-page")) {
      C.busy(target, function () { return loadQueue(parseInt(target.getAttribute("data-page"), 10)); });
    } else if (target.classList.contains("blma-open")) {
      C.busy(target, function () { return call("open_work", {learner_id: target.getAttribute("data-learner")}).then(showWork); });
    } else if (target.classList.contains("blma-claim")) {
      C.busy(target, function () { return call("claim", {learner_id: target.getAttribute("data-learner")}).then(showWork); });
    } else if (target.classList.contains("blma-release")) {
      C.busy(target, function () {
        return call("release", {learner_id: target.getAttribute("data-learner")}).then(function (r) {
          note.textContent = r.ok ? r.data.message : C.errorText(r);
          return call("open_work", {learner_id: target.getAttribute("data-learner")}).then(showWork);
        });
      });
    } else if (target.classList.contains("blma-grade") && panel) {
      C.busy(target, function () { return call("save_grade", gradeValues(panel, target.getAttribute("data-action"))).then(showWork); });
    }
  });
  el.addEventListener("submit", function (event) {
    var form_ = event.target.closest(".blma-extension");
    if (!form_) { return; }
    event.preventDefault();
    var panel = form_.closest(".blma-grading-panel");
    call("grant_extension", {learner_id: panel.getAttribute("data-learner"), until: form_.elements.until.value})
      .then(function (r) { note.textContent = r.ok ? r.data.message : C.errorText(r); });
  });

  function gradeValues(panel, action) {
    var levels = {}, feedback = {};
    Array.prototype.forEach.call(panel.querySelectorAll(".blma-criterion"), function (set) {
      var chosen = set.querySelector("input:checked");
      if (chosen) { levels[set.getAttribute("data-criterion")] = parseInt(chosen.value, 10); }
    });
    Array.prototype.forEach.call(panel.querySelectorAll("[data-feedback]"), function (area) {
      feedback[area.getAttribute("data-feedback")] = area.value;
    });
    return {learner_id: panel.getAttribute("data-learner"), revision: parseInt(panel.getAttribute("data-revision"), 10),
            levels: levels, feedback: feedback, note: panel.querySelector(".blma-note").value, action: action};
  }

  /* Quill names its toolbar in English ("bold", "list: ordered") or not at all: accessible names in the
     page's language, through the blocks' one JS catalogue. Visible tooltip words follow via CSS attr(). */
  function nameTheToolbar(form) {
    var toolbar = form.querySelector(".ql-toolbar");
    var names = {"bold": C.gettext("Bold"), "italic": C.gettext("Italic"), "list:ordered": C.gettext("Numbered list"),
                 "list:bullet": C.gettext("Bulleted list"), "link": C.gettext("Link"),
                 "clean": C.gettext("Remove formatting")};
    function label(node, text) { node.setAttribute("aria-label", text); node.setAttribute("title", text); }
    Array.prototype.forEach.call(toolbar ? toolbar.querySelectorAll("button") : [], function (button) {
      var format = (button.className.match(/ql-(\w+)/) || [])[1];
      var key = button.value ? format + ":" + button.value : format;
      if (names[key]) { label(button, names[key]); }
    });
    var picker = toolbar && toolbar.querySelector(".ql-header .ql-picker-label");
    if (picker) { label(picker, C.gettext("Text style")); }
    Array.prototype.forEach.call(toolbar ? toolbar.querySelectorAll(".ql-header .ql-picker-item") : [], function (item) {
      var level = item.getAttribute("data-value");
      var text = level ? C.format(C.gettext("Heading {level}"), {level: level}) : C.gettext("Normal text");
      item.setAttribute("aria-label", text);
      item.setAttribute("data-label", text);  // Quill's CSS shows data-label as the item's text
    });
    var current = toolbar && toolbar.querySelector(".ql-header .ql-picker-item.ql-selected");
    if (picker && current) { picker.setAttribute("data-label", current.getAttribute("data-label")); }
    var tooltip = form.querySelector(".ql-tooltip");
    if (!tooltip) { return; }
    var input = tooltip.querySelector("input[type=text]");
    if (input) {
      input.setAttribute("aria-label", C.gettext("Link address (URL)"));
      input.setAttribute("data-link", "https://");
    }
    tooltip.setAttribute("data-blma-visit", C.gettext("Visit the link:"));
    tooltip.setAttribute("data-blma-enter", C.gettext("Link address:"));
    var action = tooltip.querySelector("a.ql-action");
    var remove = tooltip.querySelector("a.ql-remove");
    if (action) {
      action.setAttribute("data-blma-edit", C.gettext("Edit"));
      action.setAttribute("data-blma-save", C.gettext("Save"));
    }
    if (remove) { remove.setAttribute("data-blma-remove", C.gettext("Remove")); }
  }
}
