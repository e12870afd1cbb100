"""Browser flows against a running workbench: Playwright driving Debian's chromium, headless."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Git-ignored: `make screenshots` copies them into docs/ when the README's images should change.
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser

# English UI strings that must never show on a French page (from the English catalogue).
ENGLISH_UI = ["Mark as done", "Learning objectives", "Resources", "Course timeline", "Status:",
              "Your progress in this phase", "modules done", "Estimated time", "Weekly workload", "Skip to content",
              "Course outline", "Signed in as", "View as", "Upcoming", "Closed"]


def screenshot(page, name, **options):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), **options)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = dict(os.environ, BLMA_VAR_DIR=str(var), BLMA_NOW="2026-04-20T09:00:00+02:00",
               DJANGO_SETTINGS_MODULE="blma_xblocks.workbench.settings")
    admin = [sys.executable, "-m", "django"]
    subprocess.run(admin + ["migrate", "--run-syncdb", "--verbosity", "0"], check=True, env=env, cwd=str(ROOT))
    subprocess.run(admin + ["blma_demo"], check=True, env=env, cwd=str(ROOT), capture_output=True)
    port = free_port()
    proc = subprocess.Popen(admin + ["runserver", f"127.0.0.1:{port}", "--noreload"], env=env, cwd=str(ROOT),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/course/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the workbench did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/install-browser.sh"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == []


def visible_text(page):
    return page.locator("body").inner_text()


def tab_to(page, name, limit=80):
    """Press Tab until the focused element has this accessible text; keyboard only."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.innerText || '').trim()")
        if focused.startswith(name):
            return
    raise AssertionError(f"could not reach {name!r} with the keyboard")


@pytest.mark.parametrize("lang,texts", [
    ("en", {"module": "Historical", "done": "Done", "progress": "1 of 4 modules done", "mark": "Mark as done",
            "timeline": "Course timeline", "open": "Open", "before": "0 of 4 modules done"}),
    ("fr", {"module": "Historique", "done": "Terminé", "progress": "1 module(s) terminé(s) sur 4",
            "mark": "Marquer comme terminé", "timeline": "Calendrier du cours", "open": "En cours",
            "before": "0 module(s) terminé(s) sur 4"}),
])
def test_learner_reads_timeline_marks_a_module_done_with_keyboard(server, page, lang, texts):
    student = f"learner{1 if lang == 'en' else 2}"
    page.goto(f"{server}/course/?student={student}&lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    timeline = page.get_by_role("navigation", name=texts["timeline"])
    assert timeline.get_by_role("listitem").count() == 3
    assert "13" in timeline.inner_text() and texts["open"] in timeline.inner_text()
    assert page.locator("[aria-current=step]").count() == 1
    assert texts["before"] in visible_text(page)
    screenshot(page, f"screenshot-phase-{lang}.png")

    # Open the first module from the outline with the keyboard, mark it done with Enter.
    tab_to(page, texts["module"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"unit=pre-01-history", page.url)
    button = page.get_by_role("button", name=texts["mark"])
    tab_to(page, texts["mark"])
    page.keyboard.press("Enter")
    # exact: "Done" is also a substring of "Mark as done", which matched before the request came back
    done = page.get_by_role("button", name=texts["done"], exact=True)
    done.wait_for()
    assert button.count() == 0 and done.get_attribute("aria-pressed") == "true"
    screenshot(page, f"screenshot-module-{lang}.png")
    if lang == "fr":
        text = visible_text(page)
        leaked = [s for s in ENGLISH_UI if s in text]
        assert leaked == [], leaked

    # Back to the phase: the progress changed, and the language was remembered (no ?lang= now).
    page.goto(f"{server}/course/?student={student}&unit=pre_course")
    assert texts["progress"] in visible_text(page)
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "1"
    if lang == "fr":
        leaked = [s for s in ENGLISH_UI if s in visible_text(page)]
        assert leaked == [], leaked


def test_progress_updates_live_on_a_page_with_phase_and_module(server, page):
    # The whole-phase page in the LMS puts the phase and its modules in one unit: simulate with two tabs'
    # worth of state: mark done via the module page, the phase handler reports it at once.
    page.goto(f"{server}/course/?student=learner3&lang=en&unit=pre-02-types")
    page.get_by_role("button", name="Mark as done").click()
    page.get_by_role("status").filter(has_text="Module marked as done.").wait_for()
    page.goto(f"{server}/course/?student=learner3&unit=pre_course")
    assert "1 of 4 modules done" in visible_text(page)
    assert "✓" in page.get_by_role("navigation", name="Course outline").inner_text()


def test_every_control_has_an_accessible_name(server, page):
    for url in ("/course/?student=learner1&lang=fr", "/course/?student=learner1&lang=fr&unit=pre-03-trends",
                "/course/?student=tutor&lang=fr&unit=pre-03-trends&view=studio"):
        page.goto(server + url)
        unnamed = page.evaluate("""() => Array.from(document.querySelectorAll('a, button, input, select, textarea'))
            .filter(el => el.offsetParent !== null)
            .filter(el => {
              const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
              const name = (el.getAttribute('aria-label') || el.innerText || label || el.title || '').trim();
              return !name;
            }).map(el => el.outerHTML.slice(0, 80))""")
        assert unnamed == [], (url, unnamed)


def test_tutor_edits_a_module_in_studio_view(server, page):
    page.goto(f"{server}/course/?student=tutor&lang=en&unit=pre-04-normative-foundations&view=studio")
    title = page.locator('[data-field="title"] [data-lang="fr"]')
    title.fill("Fondements normatifs (révisé)")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    page.goto(f"{server}/course/?student=learner1&lang=fr&unit=pre-04-normative-foundations")
    assert "Fondements normatifs (révisé)" in page.get_by_role("heading", level=2).inner_text()
    # a learner gets no edit link, and the save handler refuses them
    page.goto(f"{server}/course/?student=learner1&lang=en&unit=pre-04-normative-foundations&view=studio")
    assert page.locator("form.blma-studio").count() == 0


def answer_with_keyboard(page, submit_label):
    """Tab through the quiz form answering every question from the keyboard, then submit."""
    answered = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, type: e.type || '', name: e.name || '', text: (e.innerText || '').trim(),
                    item: e.getAttribute('data-item') || ''}; }""")
        if info["tag"] == "BUTTON" and info["text"] == submit_label:
            page.keyboard.press("Enter")
            return len(answered)
        if info["type"] in ("radio", "checkbox") and info["name"] not in answered:
            page.keyboard.press("Space")
            answered.add(info["name"])
        elif info["tag"] == "SELECT" and info["item"] not in answered:
            page.keyboard.press("ArrowDown")
            answered.add(info["item"])
    raise AssertionError("never reached the submit button")


@pytest.mark.parametrize("lang,labels", [
    ("en", {"start": "Start attempt 1", "saved": "Answers saved.", "submit": "Submit my answers",
            "feedback": "Feedback on attempt 1", "score": "Your score"}),
    ("fr", {"start": "Commencer la tentative 1", "saved": "Réponses enregistrées.", "submit": "Soumettre mes réponses",
            "feedback": "Commentaires sur la tentative 1", "score": "Votre note"}),
])
def test_learner_takes_the_quiz_with_the_keyboard_and_resumes_after_reload(server, page, lang, labels):
    student = "learner1" if lang == "en" else "learner2"
    page.goto(f"{server}/course/?student={student}&lang={lang}&unit=pre_course-quiz")
    tab_to(page, labels["start"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".blma-question").count() == 15
    # answer the first question with one key (its first choice; for an ordering question, the first
    # item's position only, a partial order), wait for the autosave, reload: the answer is still there
    first = page.locator(".blma-question").first
    first.locator("input, select").first.focus()
    page.keyboard.press("Space" if first.locator("input").count() else "ArrowDown")
    page.get_by_role("status").filter(has_text=labels["saved"]).wait_for()
    page.reload()
    restored = page.evaluate("""() => Array.from(document.querySelector('.blma-question')
          .querySelectorAll('input, select'))
          .map(e => e.tagName == 'SELECT' ? e.value : String(e.checked)).filter(v => v && v != 'false').length""")
    assert restored == 1
    page.locator("a.blma-skip").focus()
    with page.expect_navigation():
        assert answer_with_keyboard(page, labels["submit"]) >= 15
    text = visible_text(page)
    assert labels["feedback"] in text and labels["score"] in text
    screenshot(page, f"screenshot-quiz-{lang}.png", full_page=False)
    if lang == "fr":
        assert [s for s in ENGLISH_UI + ["Submit", "Correct answer", "Attempt"] if s in text] == []


def test_tutor_sees_the_item_analysis(server, page):
    page.goto(f"{server}/course/?student=tutor&lang=en&unit=pre_course-quiz")
    table = page.get_by_role("table").filter(has_text="Discrimination")
    table.wait_for()  # loaded after the page, from its own handler
    assert table.count() == 1
    assert page.get_by_role("table").filter(has_text="Attempts").count() == 1
    page.get_by_label("Search by name or username").fill("learner")
    page.keyboard.press("Enter")
    page.get_by_text("matching “learner”").wait_for()
    assert page.get_by_role("link", name="Download the item analysis (CSV)").count() == 1
    screenshot(page, "screenshot-quiz-tutor.png", full_page=False)


def test_a_double_click_on_start_sends_one_request_and_makes_one_attempt(server, page):
    starts = []
    page.on("request", lambda request: starts.append(request.url) if "/start_attempt/" in request.url else None)
    page.goto(f"{server}/course/?student=learner3&lang=en&unit=pre_course-quiz")
    button = page.get_by_role("button", name="Start attempt 1")
    with page.expect_navigation():
        button.dblclick()
    assert len(starts) == 1
    assert page.get_by_role("heading", name="Attempt 1").count() == 1
    assert "Start attempt 2" not in visible_text(page)
