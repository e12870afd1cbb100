"""The capstone's tutor side at 5,000 submissions: the queue page, a grade save and release-all,
each beside the quiz submit measured in the same run and runtime (the reference of the course's
own graded write). Real user rows and learner names; deployment settings (DEBUG off).

Run: .venv/bin/python bench/assignment.py   (or `make bench`)
"""
import json
import statistics
import sys
import time

from _setup import course_xml, django_ready, quiz_xml

django_ready()

# pylint: disable=wrong-import-position  # Django is set up (a throw-away database) before these imports

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from webob import Request  # noqa: E402
from workbench.runtime import WorkbenchRuntime  # noqa: E402

from blma_xblocks.core import quiz as rules  # noqa: E402
from blma_xblocks.models import AssignmentVersion, AssignmentWork, Learner, QuizAttempt  # noqa: E402

COHORT = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
RUNS = 30


def handle(block, name, payload):
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode("utf-8"))
    request.content_type = "application/json"
    started = time.perf_counter()
    response = block.runtime.handle(block, name, request)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (name, response.body[:300])
    return elapsed, json.loads(response.body)


def setup_cohort(block):
    key, course = str(block.scope_ids.usage_id), block.course_run
    users = get_user_model().objects
    users.bulk_create([get_user_model()(username=f"p{i:05d}", first_name="Amina", last_name=f"D{i}")
                       for i in range(COHORT)], batch_size=2000)
    Learner.objects.bulk_create([Learner(course_id=course, learner_id=f"l{i:05d}", username=f"p{i:05d}",
                                         full_name=f"Amina D{i}") for i in range(COHORT)], batch_size=2000)
    works = AssignmentWork.objects.bulk_create([
        AssignmentWork(course_id=course, block_id=key, learner_id=f"l{i:05d}", state="submitted", versions=1,
                       submitted_at="2026-05-14T10:00:00Z") for i in range(COHORT)], batch_size=2000)
    AssignmentVersion.objects.bulk_create([AssignmentVersion(work=w, number=1, text="<p>" + "word " * 2500 + "</p>")
                                           for w in works], batch_size=1000)


def queue_page(tutor):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        html = tutor.render("student_view", {}).body_html()
    return time.perf_counter() - started, len(queries), len(html)


def grade_once(tutor, learner_id):
    handle(tutor, "claim", {"learner_id": learner_id})
    _t, opened = handle(tutor, "open_work", {"learner_id": learner_id})
    levels = {c["id"]: c["levels"][-1]["points"] for c in tutor.rubric}
    elapsed, _body = handle(tutor, "save_grade", {"learner_id": learner_id, "revision": opened["revision"],
                                                  "levels": levels, "feedback": {"overall": "<p>ok</p>"}, "note": "",
                                                  "action": "mark"})
    return elapsed


def quiz_submits():
    runtime = WorkbenchRuntime("quizzer")
    quiz = runtime.get_block(runtime.parse_xml_string(quiz_xml()))
    quiz.attempts_allowed = 0
    quiz.save()
    times = []
    for _ in range(RUNS):
        handle(quiz, "start_attempt", {})
        attempt = QuizAttempt.objects.filter(learner_id=quiz.learner_id, submitted_at__isnull=True).get()
        seed = quiz.seed(attempt)
        answers = {rules.question_token(seed, qid): None for qid in attempt.question_ids}
        times.append(handle(quiz, "submit", {"answers": {k: v for k, v in answers.items() if v}})[0])
    return times


def main():
    runtime = WorkbenchRuntime("tutor")
    tutor = runtime.get_block(runtime.parse_xml_string(course_xml("follow_up/assignment.xml")))
    setup_cohort(tutor)
    queue_page(tutor)  # warm the field cache and the compiled templates
    pages = [queue_page(tutor) for _ in range(10)]
    grades = [grade_once(tutor, f"l{i:05d}") for i in range(RUNS)]
    submits = quiz_submits()
    started = time.perf_counter()
    _t, released = handle(tutor, "release_all", {})
    release_all = time.perf_counter() - started
    quiz_ms = statistics.median(submits) * 1000
    page_ms = statistics.median(p[0] for p in pages) * 1000
    grade_ms = statistics.median(grades) * 1000
    print(f"capstone at {COHORT} submissions (SQLite, DEBUG off, {RUNS} runs each)")
    print(f"| measure | median | ratio to quiz submit ({quiz_ms:.1f} ms) | queries |")
    print("|---|---|---|---|")
    print(f"| tutor page with the first queue page (50 rows) | {page_ms:.1f} ms | {page_ms / quiz_ms:.2f}x "
          f"| {pages[0][1]} |")
    print(f"| grade save (mark graded) | {grade_ms:.1f} ms | {grade_ms / quiz_ms:.2f}x | |")
    print(f"| release all ({released['released']} graded, ledger + edx-submissions each) | "
          f"{release_all * 1000:.1f} ms total, {release_all * 1000 / max(1, released['released']):.1f} ms each "
          f"| {release_all * 1000 / max(1, released['released']) / quiz_ms:.2f}x each | |")
    print(f"page size: {pages[0][2] // 1024} KB")


if __name__ == "__main__":
    main()
