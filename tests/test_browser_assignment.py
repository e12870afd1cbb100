"""The capstone in a browser, English and French: draft, reload, upload, submit (keyboard), the tutor's
return, a resubmission, grading, release, and the learner's result."""
import re

import pytest

from .test_browser import browser, server, tab_to, visible_text  # noqa: F401  pylint: disable=unused-import

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LABELS = {
    "en": {"save": "Draft saved.", "submit": "Submit…", "confirm": "Yes, submit my work", "submitted": "Submitted",
           "returned": "Returned for revision", "grade": "Your grade", "attach": "Attach a file"},
    "fr": {"save": "Brouillon enregistré.", "submit": "Soumettre…", "confirm": "Oui, soumettre mon travail",
           "submitted": "Soumis", "returned": "Retourné pour révision", "grade": "Votre note",
           "attach": "Joindre un fichier"},
}


def focus_editor(page, limit=60):
    """Tab until the rich-text editor has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('ql-editor')"):
            return
    raise AssertionError("could not reach the editor with the keyboard")


def learner_writes_and_submits(page, base, student, lang, words):
    labels = LABELS[lang]
    page.goto(f"{base}/course/?student={student}&lang={lang}&unit=capstone")
    page.locator(".ql-editor").wait_for()
    focus_editor(page)
    page.keyboard.press("Control+End")
    page.keyboard.type(" ".join(["corridor"] * words) + " ")
    page.get_by_role("status").filter(has_text=labels["save"]).wait_for()
    page.reload()
    assert "corridor corridor" in page.locator(".ql-editor").inner_text()  # the draft survived the reload
    page.get_by_label(labels["attach"]).set_input_files(files=[{"name": "annexe.pdf", "mimeType": "application/pdf",
                                                                "buffer": PDF}])
    page.get_by_role("link", name="annexe.pdf").wait_for()
    page.locator("a.blma-skip").focus()
    tab_to(page, labels["submit"], limit=200)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.innerText.trim()") == labels["confirm"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert labels["submitted"] in visible_text(page)


def tutor_acts(page, base, student, action, levels):
    page.goto(f"{base}/course/?student=tutor&lang=en&unit=capstone")
    page.get_by_role("button", name=f"Open the work of {student}").click()
    page.get_by_role("button", name="Claim this work to grade it").click()
    page.get_by_role("button", name="Mark as graded").wait_for()
    for index, level in enumerate(levels):
        page.locator(".blma-criterion").nth(index).locator("input[type=radio]").nth(level).check()
    page.get_by_label("Overall feedback").fill("Clear and well sourced.")
    page.get_by_role("button", name=action).click()
    page.locator(".blma-tutor-message").filter(has_text=re.compile(".")).wait_for()


@pytest.mark.parametrize("lang,student", [("en", "learner1"), ("fr", "learner2")])
def test_the_capstone_from_draft_to_released_grade(server, browser, lang, student):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    learner_writes_and_submits(page, server, student, lang, 40)
    tutor_acts(page, server, student, "Return for revision", [1])
    page.goto(f"{server}/course/?student={student}&lang={lang}&unit=capstone")
    assert LABELS[lang]["returned"] in visible_text(page)
    learner_writes_and_submits(page, server, student, lang, 20)
    tutor_acts(page, server, student, "Mark as graded", [3, 3, 3, 3, 2])
    page.get_by_role("button", name="Release all graded work").click()
    page.locator(".blma-tutor-message").filter(has_text="released").wait_for()
    page.goto(f"{server}/course/?student={student}&lang={lang}&unit=capstone")
    text = visible_text(page)
    assert LABELS[lang]["grade"] in text and "95" in text and "Clear and well sourced." in text
    assert len(re.findall(r"Version [12]", text)) == 2
    context.close()
    assert errors == []


def wait_until(page, condition, timeout=10000):
    """Let Playwright run (route handlers included) until `condition()` holds."""
    for _ in range(timeout // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("timed out")


def open_capstone(browser, server, student, lang="en"):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/course/?student={student}&lang={lang}&unit=capstone")
    page.locator(".ql-editor").wait_for()
    return context, page, errors


def test_a_refused_submit_keeps_what_was_typed_since_the_last_save(server, browser):  # noqa: F811
    """Submit cancels the pending autosave; when the submit is refused, the text is saved all the same."""
    context, page, errors = open_capstone(browser, server, "keeper1")
    page.route(re.compile(r"/submit_work/"), lambda route: route.fulfill(
        status=409, content_type="application/json", body='{"error": "The due date has passed."}'))
    page.locator(".ql-editor").click()
    page.keyboard.type("typed just before submitting ")
    page.get_by_role("button", name="Submit…").click()  # at once: the autosave has not run yet
    page.get_by_role("button", name="Yes, submit my work").click()
    page.get_by_role("status").filter(has_text="The due date has passed.").wait_for()
    page.wait_for_load_state("networkidle")
    assert "The due date has passed." in visible_text(page)  # the refusal stays on screen
    page.reload()
    assert "typed just before submitting" in page.locator(".ql-editor").inner_text()
    context.close()
    assert errors == []


def test_one_autosave_at_a_time_and_the_newest_text_is_saved_last(server, browser):  # noqa: F811
    context, page, errors = open_capstone(browser, server, "keeper2")
    held = []
    page.route(re.compile(r"/save_draft/"), lambda route: held.append(route))  # answered when the test says so
    page.locator(".ql-editor").click()
    page.keyboard.type("alpha ")
    wait_until(page, lambda: len(held) == 1)  # the autosave, 1.5 s after typing stopped
    page.keyboard.type("beta ")
    page.wait_for_timeout(2500)
    assert len(held) == 1  # the newer text waits for the older save to come back
    held[0].continue_()
    wait_until(page, lambda: len(held) == 2)
    assert "alpha" in held[0].request.post_data and "beta" not in held[0].request.post_data
    assert "alpha beta" in held[1].request.post_data
    held[1].continue_()
    page.get_by_role("status").filter(has_text="Draft saved.").wait_for()
    page.unroute(re.compile(r"/save_draft/"))
    page.reload()
    assert "alpha beta" in page.locator(".ql-editor").inner_text()
    context.close()
    assert errors == []


@pytest.mark.parametrize("lang,names", [
    ("fr", {"bold": "Gras", "italic": "Italique", "ordered": "Liste numérotée", "bullet": "Liste à puces",
            "link": "Lien", "clean": "Effacer la mise en forme", "url": "Adresse du lien (URL)", "save": "Enregistrer",
            "heading": "Titre 3"}),
    ("en", {"bold": "Bold", "italic": "Italic", "ordered": "Numbered list", "bullet": "Bulleted list",
            "link": "Link", "clean": "Remove formatting", "url": "Link address (URL)", "save": "Save",
            "heading": "Heading 3"}),
])
def test_the_editor_toolbar_and_link_box_have_names_in_the_pages_language(server, browser, lang, names):  # noqa: F811
    context, page, errors = open_capstone(browser, server, f"namer-{lang}", lang)
    for key in ("bold", "italic", "ordered", "bullet", "link", "clean"):
        assert page.get_by_role("button", name=names[key], exact=True).count() == 1, key
    assert page.locator(".ql-header .ql-picker-item[data-value='3']").get_attribute("aria-label") == names["heading"]
    page.locator(".ql-editor").click()
    page.keyboard.type("see the ILO")
    page.keyboard.press("Shift+Home")
    page.get_by_role("button", name=names["link"], exact=True).click()
    box = page.get_by_role("textbox", name=names["url"])
    box.wait_for()
    assert box.is_visible()
    save_text = page.evaluate("() => getComputedStyle(document.querySelector('.ql-tooltip a.ql-action'), "
                              "'::after').content")
    assert save_text == f'"{names["save"]}"'
    context.close()
    assert errors == []
