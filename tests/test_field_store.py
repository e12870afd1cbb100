"""The workbench's field store (blma_xblocks/workbench/field_data.py): one read per state row and
request, writes that never carry back another request's fields, one write per row on save."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from workbench.models import XBlockState

from blma_xblocks.workbench.field_data import RequestFieldData

from .conftest import render

QUIZ = """
<blma_quiz phase="pre_course" questions_per_attempt="0" attempts_allowed="2" pass_mark="50" grading="best"
           due_date="2026-05-01T23:59:00+02:00" time_limit="45" reveal="after_attempt" weight="1">
  <title><en>Store</en><fr>Magasin</fr></title>
  <question id="s1" type="single"><stem><en>One?</en><fr>Un ?</fr></stem>
    <option id="yes" correct="true"><text><en>Yes</en><fr>Oui</fr></text></option>
    <option id="no"><text><en>No</en><fr>Non</fr></text></option></question>
</blma_quiz>"""


@pytest.fixture(autouse=True)
def clock(settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"


def state_reads(queries):
    return [q["sql"] for q in queries if "workbench_xblockstate" in q["sql"] and q["sql"].startswith("SELECT")]


def test_the_workbench_runtime_uses_it(load):
    assert isinstance(load(QUIZ)._field_data, RequestFieldData)  # pylint: disable=protected-access


def test_a_page_reads_each_row_once_whatever_the_number_of_fields(load, as_user):
    quiz = load(QUIZ)
    fresh = as_user(quiz, "learner1")
    with CaptureQueriesContext(connection) as queries:
        assert "Store" in render(fresh)
    # the quiz reads 13 fields: the sdk's own store made 24 queries for them (a `has` and a `get` each)
    reads = state_reads(queries.captured_queries)
    assert len(reads) == len(set(reads)) == 2, reads  # settings and content, nothing twice


def test_a_write_keeps_what_another_request_wrote_meanwhile(load, as_user):
    """Request A has read the settings row; request B saves a field; A saves another: both stay."""
    quiz = load(QUIZ)
    first = as_user(quiz, "tutor")
    assert first.pass_mark == 50  # A has the row now
    second = as_user(quiz, "tutor")
    second.pass_mark = 60
    second.save()
    first.time_limit = 30
    first.save()
    again = as_user(quiz, "tutor")
    assert (again.pass_mark, again.time_limit) == (60, 30)
    assert first.pass_mark == 50  # A's own page keeps what it read (as the LMS's FieldDataCache does)


def test_a_save_writes_each_row_once_and_the_next_read_sees_it(load, as_user):
    quiz = load(QUIZ)
    block = as_user(quiz, "tutor")
    block.pass_mark, block.time_limit, block.grading = 80, 20, "last"
    block.display_name = "Renamed"
    with CaptureQueriesContext(connection) as queries:
        block.save()
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(writes) == 1, writes  # four settings fields, one row, one UPDATE (the sdk wrote it four times)
    field_data = block._field_data  # pylint: disable=protected-access
    with CaptureQueriesContext(connection) as queries:
        assert field_data.get(block, "pass_mark") == 80
    assert not queries.captured_queries  # the row written is the row kept
    row = XBlockState.objects.get(scope="usage", scope_id=str(block.scope_ids.usage_id), user_id=None)
    assert json.loads(row.state)["display_name"] == "Renamed"


def test_deleting_a_field_goes_back_to_its_default(load, as_user):
    quiz = load(QUIZ)
    block = as_user(quiz, "tutor")
    block.time_limit = 5
    block.save()
    del block.time_limit
    block.save()
    assert as_user(quiz, "tutor").time_limit == 0


def test_the_quiz_reads_its_bank_without_copying_it_and_an_edit_wins(load, as_user):
    quiz = as_user(load(QUIZ), "learner1")
    stored = quiz._field_data.get(quiz, "questions")  # pylint: disable=protected-access
    assert quiz.read_only("questions") == stored and quiz.read_only("questions") is not None
    assert "questions" not in quiz._field_data_cache  # pylint: disable=protected-access  # XBlock's copy skipped
    assert list(quiz.bank()) == ["s1"]
    edited = [dict(stored[0], id="s9")]
    quiz.questions = edited
    assert quiz.read_only("questions") is quiz.questions and list(quiz.bank()) == ["s9"]
    assert as_user(quiz, "learner2").read_only("time_limit") == 45


def test_a_learners_page_needs_no_user_row_and_names_come_when_asked(load, as_user, django_user_model):
    row = django_user_model.objects.create(username="named", first_name="Ana", last_name="Lima",
                                           email="ana@example.org")
    quiz = as_user(load(QUIZ), "named")
    with CaptureQueriesContext(connection) as queries:
        render(quiz)
    assert not [q for q in queries.captured_queries if "auth_user" in q["sql"]]
    user = quiz.runtime.service(quiz, "user").get_current_user()
    assert user.opt_attrs["edx-platform.username"] == "named" and user.opt_attrs.get("edx-platform.user_role") == \
        "student"
    with CaptureQueriesContext(connection) as queries:
        assert (user.full_name, user.emails) == ("Ana Lima", ["ana@example.org"])
        assert user.opt_attrs.get("edx-platform.user_id") == row.id
        assert "edx-platform.is_authenticated" in user.opt_attrs and user.opt_attrs["edx-platform.is_authenticated"]
    assert len(queries.captured_queries) == 1  # the row, once
    nobody = as_user(quiz, "ghost").runtime.service(quiz, "user").get_current_user()
    assert (nobody.full_name, nobody.emails, nobody.opt_attrs.get("edx-platform.user_id")) == ("ghost", [], None)
    assert nobody.opt_attrs["edx-platform.is_authenticated"] is False
