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
