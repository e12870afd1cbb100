"""blma_assignment through the workbench runtime: drafting, files, submit, the tutor workflow, release."""
import io
import json
import zipfile
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import translation
from django.test.utils import CaptureQueriesContext
from webob import Request

from blma_xblocks import ledger
from blma_xblocks.models import AssignmentFile, AssignmentVersion, AssignmentWork

from .conftest import MODULES, call, render

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def clock(settings, tmp_path):
    settings.BLMA_NOW = "2026-05-12T10:00:00+02:00"
    settings.BLMA_STAFF_USERS = ["tutor", "tutor2"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings


@pytest.fixture
def assignment(load):
    xml = (MODULES / "follow_up" / "assignment.xml").read_text(encoding="utf-8").split("?>", 1)[1]
    return lambda student="learner1": load(xml.replace('max_files="3"', 'max_files="3" tutors="tutor, tutor2"'),
                                           student)


def send(block, handler, body, method="POST", headers=None, suffix=""):
    request = Request.blank("/", method=method)
    request.body = body
    for name, value in (headers or {}).items():
        request.headers[name] = value
    response = block.runtime.handle(block, handler, request, suffix)
    return response


def upload(block, name, data):
    response = send(block, "upload", data, headers={"X-File-Name": quote(name)})
    return response.status_code, json.loads(response.body)


TEXT = "<p>" + " ".join(["corridor"] * 120) + "</p><script>alert(1)</script>"


def submit(block, text=TEXT):
    return call(block, "submit_work", {"text": text, "confirm": True})


def test_a_draft_is_saved_cleaned_and_found_again_after_a_reload(assignment, as_user):
    block = assignment()
    status, body = call(block, "save_draft", {"text": TEXT})
    assert status == 200 and body["words"] == 120
    again = as_user(block, "learner1")  # a new runtime: a reload or another device
    html = render(again)
    assert "corridor corridor" in html and "<script>alert(1)</script>" not in html
    frag = again.render("student_view", {})
    assert "Draft" in html and "Save draft" in html and "quill.min.js" in frag.foot_html() + frag.head_html()
    assert "Brouillon" in render(again, lang="fr")


def test_files_are_checked_by_signature_size_and_type_and_served_only_to_owner_and_staff(assignment, as_user):
    block = assignment()
    status, body = upload(block, "../../etc/Rapport final.pdf", PDF)
    assert status == 200 and body["file"]["name"] == "Rapport final.pdf"
    stored = AssignmentFile.objects.get()
    assert stored.storage_name.startswith("blma/assignments/") and ".." not in stored.storage_name
    assert "Rapport" not in stored.storage_name
    assert upload(block, "annex.docx", docx_bytes())[0] == 200
    status, body = upload(block, "page.pdf", b"<html><script>alert(1)</script></html>")
    assert status == 400 and "not a PDF file" in body["error"]
    status, body = upload(block, "tool.exe", b"MZ\x90\x00")
    assert status == 400 and "not accepted" in body["error"]
    status, body = upload(block, "big.pdf", PDF + b"x" * (10 * 1024 * 1024 + 1 - len(PDF)))
    assert status == 413 and "10 MB" in body["error"]
    assert upload(block, "third.pdf", PDF)[0] == 200
    status, body = upload(block, "fourth.pdf", PDF)
    assert status == 409 and "at most 3 files" in body["error"]
    assert AssignmentFile.objects.count() == 3
    response = send(block, "download", b"", method="GET", suffix=str(stored.pk))
    assert response.status_code == 200 and response.body == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Rapport final.pdf"')
    assert send(as_user(block, "learner2"), "download", b"", method="GET", suffix=str(stored.pk)).status_code == 404
    assert send(as_user(block, "tutor"), "download", b"", method="GET", suffix=str(stored.pk)).status_code == 200
    assert send(block, "download", b"", method="GET", suffix="999999").status_code == 404
    status, _body = call(block, "remove_file", {"file_id": stored.pk})
    assert status == 200 and AssignmentFile.objects.count() == 2


def test_submit_needs_a_confirmation_keeps_the_draft_on_failure_and_respects_the_limits(assignment):
    block = assignment()
    call(block, "save_draft", {"text": "<p>my saved draft</p>"})
    assert call(block, "submit_work", {"text": "x"})[0] == 400  # no confirmation
    status, body = submit(block, "<p> </p>")
    assert status == 400 and "Write your answer" in body["error"]
    status, body = submit(block, "<p>" + "word " * 3001 + "</p>")
    assert status == 400 and "3001 words; the limit is 3000" in body["error"]
    assert AssignmentWork.objects.get().draft == "<p>my saved draft</p>"  # nothing lost, nothing changed
    status, body = submit(block)
    assert status == 200 and body["version"] == 1 and not body["late"]
    assert submit(block)[0] == 409  # a double click
    assert call(block, "save_draft", {"text": "late edit"})[0] == 409
    assert AssignmentVersion.objects.count() == 1


def test_after_the_due_date_only_an_extension_lets_a_learner_submit_and_it_is_on_time(assignment, as_user, settings):
    """core.is_late is the one rule: a submission within a granted extension is not late."""
    block = assignment()
    settings.BLMA_NOW = "2026-05-16T10:00:00+02:00"
    status, body = submit(block)
    assert status == 409 and "Ask your tutor for an extension" in body["error"]
    assert not AssignmentVersion.objects.exists()
    tutor = as_user(block, "tutor")
    status, body = call(tutor, "grant_extension",
                        {"learner_id": block.learner_id, "until": "2026-05-18T23:59:00+02:00"})
    assert status == 200 and "18 May 2026" in body["message"]
    status, body = submit(block)
    assert status == 200 and body["late"] is False
    assert not AssignmentWork.objects.get().late and not AssignmentVersion.objects.get().late
    html = render(block)
    assert "submitted after the due date" not in html and "late" not in html.split("Your submitted versions")[1]


def grade(tutor, learner_id, levels, action="save", revision=None, feedback=None):
    if revision is None:
        revision = call(tutor, "open_work", {"learner_id": learner_id})[1]["revision"]
    return call(tutor, "save_grade", {"learner_id": learner_id, "revision": revision, "levels": levels,
                                      "feedback": feedback or {"overall": "<p>Good <b>work</b></p><img onerror=x>"},
                                      "note": "private", "action": action})


TOP = {"c1-context": 3, "c2-standards": 3, "c3-protection": 3, "c4-implementation": 3, "c5-clarity": 3}


def rubric_ids(block):
    return [c["id"] for c in block.rubric]


def test_the_whole_tutor_workflow_return_resubmit_grade_release(assignment, as_user):
    from submissions import api as submissions_api
    block = assignment()
    upload(block, "annex.pdf", PDF)
    submit(block)
    learner = block.learner_id
    tutor, other = as_user(block, "tutor"), as_user(block, "tutor2")
    assert rubric_ids(block) == list(TOP)
    for handler in ("queue", "open_work", "claim", "save_grade", "release", "release_all", "allocate",
                    "grant_extension"):
        assert call(block, handler, {})[0] == 403, handler  # learners never reach tutor handlers
    assert send(block, "export_grades", b"", method="GET").status_code == 403
    html = render(tutor)
    assert "For tutors: 1 waiting for grading" in html and "Open the work of learner1" in html
    assert call(tutor, "save_grade", {"learner_id": learner, "revision": 0, "levels": {}})[0] == 409  # not claimed
    status, body = call(tutor, "claim", {"learner_id": learner})
    assert status == 200 and "Mark as graded" in body["html"] and "annex.pdf" in body["html"]
    status, body = call(other, "claim", {"learner_id": learner})
    assert status == 409 and "tutor is grading this work until" in body["error"]
    revision = body_revision = call(tutor, "open_work", {"learner_id": learner})[1]["revision"]
    assert grade(tutor, learner, {"c1-context": 2}, revision=revision)[0] == 200  # a partial draft
    status, body = grade(tutor, learner, {"c1-context": 1}, revision=body_revision)  # stale: someone saved since
    assert status == 409 and "Reload it" in body["error"]
    status, body = grade(tutor, learner, {"c1-context": 2}, action="mark")
    assert status == 400 and "Choose a level for" in body["error"]
    status, body = grade(tutor, learner, {"c1-context": 9}, action="save")
    assert status == 400 and "is not a level of" in body["error"]
    assert grade(tutor, learner, {"c1-context": 1}, action="return")[0] == 200
    html = render(block)
    assert "Returned for revision" in html and "Resubmit by 2" in html and "Your grade" not in html
    assert upload(block, "v2.pdf", PDF)[0] == 200
    status, body = submit(block, "<p>" + "revised " * 200 + "</p>")
    assert status == 200 and body["version"] == 2
    assert call(tutor, "claim", {"learner_id": learner})[0] == 200
    status, body = grade(tutor, learner, dict(TOP, **{"c5-clarity": 2}), action="mark")
    assert status == 200 and "release it when you are ready" in body["message"]
    assert "Your grade" not in render(block)  # not released yet
    assert ledger.results_for(block.course_run, learner) == {}
    status, body = call(tutor, "release_all", {})
    assert status == 200 and body["released"] == 1
    html = render(block)
    assert "Your grade: 95 %" in html and "passed" in html and "Good <b>work</b>" in html and "onerror" not in html
    assert "Version 1" in html and "Version 2" in html  # every version kept and readable
    result = ledger.results_for(block.course_run, learner)["capstone"]
    assert (result.score, result.passed, result.kind, result.phase) == (95.0, True, "assignment", "follow_up")
    score = submissions_api.get_score(block.student_item(learner))
    assert (score["points_earned"], score["points_possible"]) == (9500, 10000)  # the gradebook's source
    csv_text = send(tutor, "export_grades", b"", method="GET").body.decode("utf-8")
    assert "learner1" in csv_text and "95.0" in csv_text and "private" not in csv_text
    archive = zipfile.ZipFile(io.BytesIO(send(tutor, "download_all", b"", method="GET").body))
    assert len(archive.namelist()) == 2 and all(n.endswith(".pdf") for n in archive.namelist())


def test_a_fractional_rubric_score_is_released_exactly(assignment, as_user):
    """2 of 3 everywhere gives 66.67 %: edx-submissions stores whole points, so hundredths are sent."""
    from submissions import api as submissions_api
    block = assignment()
    submit(block)
    tutor = as_user(block, "tutor")
    call(tutor, "claim", {"learner_id": block.learner_id})
    assert grade(tutor, block.learner_id, {c: 2 for c in TOP}, action="mark")[0] == 200
    status, body = call(tutor, "release", {"learner_id": block.learner_id})
    assert status == 200, body
    score = submissions_api.get_score(block.student_item(block.learner_id))
    assert (score["points_earned"], score["points_possible"]) == (6667, 10000)
    assert ledger.results_for(block.course_run, block.learner_id)["capstone"].score == 66.67


def test_allocation_splits_ungraded_work_evenly_between_the_tutors(assignment, as_user):
    block = assignment()
    for student in ("learner1", "learner2", "learner3"):
        submit(as_user(block, student))
    status, body = call(as_user(block, "tutor"), "allocate", {})
    assert status == 200 and body["assigned"] == 3
    tutors = sorted(AssignmentWork.objects.values_list("tutor", flat=True))
    assert tutors == ["tutor", "tutor", "tutor2"]


def test_learner_text_names_and_file_names_are_escaped_in_tutor_views(assignment, as_user):
    block = assignment()
    upload(block, '"><img src=x onerror=alert(1)>.pdf', PDF)
    submit(block, "<p>ok " * 150 + '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a></p>')
    tutor = as_user(block, "tutor")
    status, body = call(tutor, "open_work", {"learner_id": block.learner_id})
    for page in (body["html"], render(tutor)):
        assert "<img src=x onerror" not in page and "onerror=" not in page.replace("onerror=alert(1)&gt;", "")
        assert "javascript:" not in page
    assert "img src=x onerror=alert(1)&gt;.pdf" in body["html"]  # the file name shown, as text


def bulk_submissions(block, size, offset=0):
    from blma_xblocks.models import Learner
    works = AssignmentWork.objects.bulk_create([
        AssignmentWork(course_id=block.course_run, block_id=str(block.scope_ids.usage_id),
                       learner_id=f"l{offset + i:05d}", state="submitted", versions=1,
                       submitted_at="2026-05-14T10:00:00Z") for i in range(size)])
    Learner.objects.bulk_create([Learner(course_id=block.course_run, learner_id=w.learner_id,
                                         username=f"user{w.learner_id}", full_name=f"Name {w.learner_id}")
                                 for w in works])
    AssignmentVersion.objects.bulk_create([AssignmentVersion(work=w, number=1, text="<p>x</p>") for w in works])


def test_the_queue_and_grade_entry_use_no_more_queries_for_1000_submissions_than_for_10(assignment, as_user):
    block = assignment()
    tutor = as_user(block, "tutor")
    render(tutor)

    def measure():
        with CaptureQueriesContext(connection) as page:
            html = render(tutor)
        with CaptureQueriesContext(connection) as queue:
            assert call(tutor, "queue", {"page": 2, "state": "submitted"})[0] == 200
        call(tutor, "claim", {"learner_id": "l00003"})
        revision = call(tutor, "open_work", {"learner_id": "l00003"})[1]["revision"]
        with CaptureQueriesContext(connection) as entry:
            status, _body = grade(tutor, "l00003", {"c1-context": 2}, revision=revision)
        assert status == 200
        return html, len(page), len(queue), len(entry)

    bulk_submissions(tutor, 10)
    html, page_10, queue_10, entry_10 = measure()
    assert "Submissions: 10" in html
    bulk_submissions(tutor, 990, 10)
    html, page_1000, queue_1000, entry_1000 = measure()
    assert "Submissions: 1000" in html and "Page 1 of 20" in html and html.count("blma-open") == 50
    # none per submission; 10 named learners leave the page short, so it also looks for unnamed ones
    assert (page_1000, queue_1000, entry_1000) == (page_10 - 1, queue_10 - 1, entry_10)


def test_studio_validates_the_rubric_and_the_file_round_trips(assignment, as_user):
    from blma_xblocks.base import xml_of
    tutor = as_user(assignment(), "tutor")
    exported = xml_of(tutor)
    assert 'assessment_id="capstone"' in exported and exported.count("<criterion") == 5
    status, body = call(tutor, "studio_submit", {"rubric": ""})
    assert status == 400 and "The rubric has 0 criteria" in body["error"]
    status, body = call(tutor, "studio_submit", {"max_file_mb": "0"})
    assert tutor.max_file_mb == 10


@pytest.mark.mariadb
def test_the_queue_lists_named_learners_by_name_then_the_others_and_sorts_by_date_on_request():
    from blma_xblocks import storage
    from blma_xblocks.assignment_parts import store
    for i, (learner_id, day) in enumerate([("z1", 14), ("a2", 12), ("m3", 13), ("q4", 11), ("b5", 15)]):
        AssignmentWork.objects.create(course_id="c", block_id="cap", learner_id=learner_id, state="submitted",
                                      versions=1, submitted_at=f"2026-05-{day}T10:00:00Z")
        if i < 3:
            storage.remember_learner("c", learner_id, f"user{i}", ["Émile Zola", "Zoé Abadi", "ana Martin"][i])
    AssignmentWork.objects.create(course_id="c", block_id="cap", learner_id="d0", state="draft", versions=0)
    total, rows = store.queue("cap", "c", page=1, size=2)
    assert total == 5 and [r["learner_id"] for r in rows] == ["m3", "z1"]  # ana, Émile (no accent, no case)
    assert (rows[0]["full_name"], rows[0]["username"]) == ("ana Martin", "user2")
    assert [r["learner_id"] for r in store.queue("cap", "c", page=2, size=2)[1]] == ["a2", "b5"]
    assert [r["learner_id"] for r in store.queue("cap", "c", page=3, size=2)[1]] == ["q4"]
    assert [r["learner_id"] for r in store.queue("cap", "c", page=1, size=5, sort="submitted")[1]] == \
        ["q4", "a2", "m3", "z1", "b5"]
    assert store.queue("cap", "c", page=1, size=5, learner_ids=["a2", "d0"])[0] == 1  # a draft is not in it


def claimed(block, as_user):
    """The learner's work submitted and claimed by `tutor`: (tutor's block, learner id)."""
    assert submit(block)[0] == 200
    tutor = as_user(block, "tutor")
    assert call(tutor, "claim", {"learner_id": block.learner_id})[0] == 200
    return tutor, block.learner_id


def test_a_returned_work_shows_the_tutors_feedback_but_no_score_or_levels(assignment, as_user):
    block = assignment()
    tutor, learner = claimed(block, as_user)
    feedback = {"overall": "<p>Revise <b>section 2</b></p>", "c2-standards": "<p>Cite Convention 97.</p>"}
    assert grade(tutor, learner, {"c1-context": 1, "c2-standards": 2}, action="return", feedback=feedback)[0] == 200
    for lang, heading in (("en", "Your tutor's feedback"), ("fr", "Les commentaires de votre tuteur")):
        html = render(block, lang=lang)
        assert heading in html and "Revise <b>section 2</b>" in html and "Cite Convention 97." in html
        assert "blma-chosen" not in html and "Your grade" not in html and "Votre note" not in html


def test_learners_see_graded_work_as_in_grading_until_it_is_released(assignment, as_user):
    block = assignment()
    tutor, learner = claimed(block, as_user)
    assert grade(tutor, learner, TOP, action="mark")[0] == 200
    html = render(block)
    assert "In grading" in html and ">Graded<" not in html and "blma-state-graded" not in html
    assert "Good <b>work</b>" not in html  # the feedback too waits for the release
    assert "En cours de notation" in render(block, lang="fr") and ">Noté<" not in render(block, lang="fr")
    assert "Graded" in call(tutor, "open_work", {"learner_id": learner})[1]["html"]  # tutors see it as it is
    assert call(tutor, "release", {"learner_id": learner})[0] == 200
    assert ">Graded<" in render(block)


def test_submission_times_are_shown_in_the_course_time_zone_not_the_servers(assignment, as_user, settings):
    """The LMS runs in UTC; the due date is shown in Europe/Rome, so the versions are too."""
    settings.TIME_ZONE = "UTC"
    block = assignment()
    tutor, learner = claimed(block, as_user)  # submitted at 10:00 in Turin, 08:00 UTC
    html = render(block)
    assert "Version 1, 12 May 2026 10:00" in html and "08:00" not in html
    assert "15 May 2026 23:59" in html  # the due date, in the same zone
    panel = call(tutor, "open_work", {"learner_id": learner})[1]["html"]
    assert "Version 1, 12 May 2026 10:00" in panel and "08:00" not in panel
    queue = call(tutor, "queue", {})[1]["html"]
    assert "12 May 2026 10:00" in queue and "08:00" not in queue


def test_a_draft_grade_with_a_list_or_an_object_as_a_level_is_a_400(assignment, as_user):
    block = assignment()
    tutor, learner = claimed(block, as_user)
    for level in ([1], {"points": 1}, "1", 1.0):
        status, body = grade(tutor, learner, {"c1-context": level})
        assert status == 400 and "is not a level of" in body["error"], level
    status, body = call(as_user(block, "tutor"), "save_grade", {
        "learner_id": learner, "revision": 2, "levels": {"c1-context": [1]}, "action": "save"})
    assert status == 400
    with translation.override("fr"):
        assert "n'est pas un niveau du critère" in grade(tutor, learner, {"c1-context": [1]})[1]["error"]
    assert AssignmentWork.objects.get().levels == {}


def test_feedback_over_the_limit_is_refused_whole_never_cut_after_cleaning(assignment, as_user):
    block = assignment()
    tutor, learner = claimed(block, as_user)
    long_text = "<p>" + "a" * 19990 + "<b>bold</b></p>"  # cutting the cleaned text at 20,000 cut the tag
    for feedback in ({"overall": long_text}, {"c1-context": long_text}):
        status, body = grade(tutor, learner, {"c1-context": 1}, feedback=feedback)
        assert status == 413 and "longer than 20000 characters" in body["error"]
    revision = call(tutor, "open_work", {"learner_id": learner})[1]["revision"]
    status, _body = call(tutor, "save_grade", {"learner_id": learner, "revision": revision, "levels": {},
                                               "note": "n" * 20001, "action": "save"})
    assert status == 413
    assert AssignmentWork.objects.get().feedback == {} and AssignmentWork.objects.get().note == ""
    assert grade(tutor, learner, {"c1-context": 1}, feedback={"overall": "<p>" + "a" * 19993 + "</p>"})[0] == 200


def test_a_row_that_leaves_the_queue_between_its_two_queries_is_skipped(assignment, as_user, monkeypatch):
    from blma_xblocks.assignment_parts import store
    block = assignment()
    submit(block)
    real = store.shared_storage.page_by_name

    def with_a_ghost(*args, **kwargs):  # the page named a learner whose row is gone by the second query
        total, picked = real(*args, **kwargs)
        return total + 1, ["ghost"] + list(picked)
    monkeypatch.setattr(store.shared_storage, "page_by_name", with_a_ghost)
    status, body = call(as_user(block, "tutor"), "queue", {})
    assert status == 200 and "Open the work of learner1" in body["html"]


def test_a_draft_save_that_loses_to_a_submit_says_so_and_saves_nothing(assignment, monkeypatch):
    """The work was read as a draft, then submitted by another request before the UPDATE."""
    from blma_xblocks.assignment_parts import learner
    block = assignment()
    call(block, "save_draft", {"text": "<p>first</p>"})
    stale = AssignmentWork.objects.get()
    assert submit(block)[0] == 200
    monkeypatch.setattr(learner.AssignmentLearner, "my_work", lambda self, create=False: stale)
    for lang, message in (("en", "This work is submitted"), ("fr", "Ce travail est soumis")):
        with translation.override(lang):
            status, body = call(block, "save_draft", {"text": "<p>lost typing</p>"})
        assert status == 409 and message in body["error"], body
    assert "lost typing" not in AssignmentWork.objects.get().draft


def submission_count(block):
    from submissions.models import Submission
    return Submission.objects.filter(student_item__student_id=block.learner_id).count()


def test_a_submit_that_loses_the_race_leaves_no_orphan_submission(assignment, monkeypatch):
    from blma_xblocks.assignment_parts import learner
    block = assignment()
    call(block, "save_draft", {"text": "<p>draft</p>"})
    stale = AssignmentWork.objects.get()
    assert submit(block)[0] == 200 and submission_count(block) == 1
    monkeypatch.setattr(learner.AssignmentLearner, "my_work", lambda self, create=False: stale)
    status, _body = submit(block)
    assert status == 409 and submission_count(block) == 1 and AssignmentVersion.objects.count() == 1


def test_an_answer_too_long_for_edx_submissions_as_json_is_a_413_before_anything_is_written(assignment):
    """Under 100 KB of UTF-8 and 3,000 words, but over 102,400 characters once JSON escapes the accents."""
    block = assignment()
    call(block, "save_draft", {"text": "<p>kept</p>"})
    text = "<p>" + " ".join(["é" * 9] * 2000) + "</p>"
    assert len(text.encode("utf-8")) < 100 * 1024 and len(json.dumps({"text": text})) > 102400
    for lang, message in (("en", "too long to be submitted"), ("fr", "trop longue pour être soumise")):
        with translation.override(lang):
            status, body = submit_utf8(block, text)
        assert status == 413 and message in body["error"]
    assert submission_count(block) == 0 and not AssignmentVersion.objects.exists()
    assert AssignmentWork.objects.get().draft == "<p>kept</p>" and AssignmentWork.objects.get().state == "draft"
    assert submit_utf8(block, "<p>" + " ".join(["é" * 9] * 1500) + "</p>")[0] == 200


def submit_utf8(block, text):
    """As a browser sends it (JSON.stringify keeps accents as UTF-8, it does not escape them)."""
    body = json.dumps({"text": text, "confirm": True}, ensure_ascii=False).encode("utf-8")
    return call(block, "submit_work", raw=body)
