"""Races through the capstone's handlers: real threads, each on its own database connection.

Marked `db_race`, so they run on SQLite and again on MariaDB (README, "Tests against MySQL/MariaDB"):
parallel uploads against the file limit, parallel submits against edx-submissions, and an upload
racing a submit.
"""
from collections import Counter
from urllib.parse import quote

import pytest

from blma_xblocks.models import AssignmentFile, AssignmentVersion, AssignmentWork

from .conftest import call
from .test_assignment_block import PDF, assignment, clock, send  # noqa: F401  pylint: disable=unused-import

pytestmark = [pytest.mark.db_race, pytest.mark.django_db(transaction=True)]
TEXT = "<p>" + "corridor " * 50 + "</p>"


def upload(block):
    response = send(block, "upload", PDF, headers={"X-File-Name": quote("annex.pdf")})
    return response.status_code


def submit(block):
    """The status; with the error too when it is neither a success nor the expected 409 (for the report)."""
    status, body = call(block, "submit_work", {"text": TEXT, "confirm": True})
    return status if status in (200, 409) else (status, body)


def drafted(as_user, block, student):
    """The block as `student` sees it, with a saved draft to submit."""
    learner = as_user(block, student)
    call(learner, "save_draft", {"text": TEXT})
    return learner


def submissions_of(learner_id):
    from submissions.models import Submission
    return Submission.objects.filter(student_item__student_id=learner_id).count()


def test_parallel_uploads_never_pass_the_file_limit(assignment, as_user, parallel, settings):
    """10 uploads at once by one learner, limit 3: 3 files kept, 7 refused (409), no stored orphan."""
    from django.core.files.storage import default_storage
    block = assignment()
    problems = []
    for round_ in range(5):
        learner = as_user(block, f"uploader{round_}")
        call(learner, "save_draft", {"text": TEXT})  # the work exists: every thread finds it
        results = parallel(learner, [(f"uploader{round_}", upload)] * 10)
        kept = AssignmentFile.objects.filter(work__learner_id=learner.learner_id).count()
        if sorted(results, key=str) != [200] * 3 + [409] * 7 or kept != 3:
            problems.append(f"uploader{round_}: {dict(Counter(map(str, results)))}, {kept} files kept")
    assert not problems, "\n".join(problems)
    stored = default_storage.listdir(block.file_folder())[1]
    assert len(stored) == AssignmentFile.objects.count() == 15, "a refused upload left its file in storage"


def test_parallel_submits_make_one_version_and_one_edx_submission(assignment, as_user, parallel):
    """10 submits at once: one version and one edx-submissions submission (no orphan), 9 refused."""
    block = assignment()
    problems = []
    for round_ in range(5):
        learner = drafted(as_user, block, f"submitter{round_}")
        results = parallel(learner, [(f"submitter{round_}", submit)] * 10)
        versions = AssignmentVersion.objects.filter(work__learner_id=learner.learner_id).count()
        created = submissions_of(learner.learner_id)
        if sorted(results, key=str) != [200] + [409] * 9 or versions != 1 or created != 1:
            problems.append(f"submitter{round_}: {dict(Counter(map(str, results)))}, {versions} versions, "
                            f"{created} edx-submissions")
    assert not problems, "\n".join(problems)


def test_an_upload_racing_a_submit_never_leaves_a_file_outside_a_version(assignment, as_user, parallel):
    """Either the file made it into version 1, or the upload was refused: no draft file under a submitted work."""
    block = assignment()
    problems = []
    for round_ in range(10):
        learner = drafted(as_user, block, f"racer{round_}")
        uploaded, submitted = parallel(learner, [(f"racer{round_}", upload), (f"racer{round_}", submit)])
        work = AssignmentWork.objects.get(learner_id=learner.learner_id)
        loose = AssignmentFile.objects.filter(work=work, version__isnull=True).count()
        listed = len(AssignmentVersion.objects.get(work=work).files)
        if submitted != 200 or uploaded not in (200, 409) or loose or listed != (uploaded == 200):
            problems.append(f"racer{round_}: upload {uploaded}, submit {submitted}, {loose} loose files, "
                            f"{listed} in the version")
    assert not problems, "\n".join(problems)
