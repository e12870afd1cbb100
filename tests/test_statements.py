"""The hot-path statements (blma_xblocks/statements.py) read and write rows exactly as the ORM does.

Marked `mariadb`: `make test` runs them on SQLite and again on MariaDB, whose quoting, upsert clause,
boolean and datetime storage differ.
"""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from blma_xblocks import statements
from blma_xblocks.models import QuizAttempt, Result

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]

MOMENT = datetime(2026, 4, 20, 7, 30, 15, 123456, tzinfo=timezone.utc)
FIELDS = [f.attname for f in QuizAttempt._meta.concrete_fields]  # pylint: disable=protected-access

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**31, 2**31) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10)


def attempt(learner="l1", number=1, **values):
    values = {"course_id": "course-v1:ITC+B+2026", "block_id": "quiz", "learner_id": learner, "number": number,
              "slot": number, "question_ids": ["q1", "q2"], "started_at": MOMENT, **values}
    return QuizAttempt.objects.create(**values)


def as_orm(rows):
    return [{name: getattr(row, name) for name in FIELDS} for row in rows]


def test_select_gives_the_orms_instances_in_order_in_one_query(django_assert_num_queries):
    attempt(number=2, answers={"q1": ["b", "a"], "q2": {"l": "r"}}, submitted_at=MOMENT, earned=1.5,
            possible=2.0, percent=75.0, results={"q1": 1.5})
    attempt(number=1, answers={"q1": "Évaluation « migrants »"})
    attempt(number=3, archived=True, slot=None)
    attempt(learner="l2")
    with django_assert_num_queries(1):
        found = statements.select(QuizAttempt, {"block_id": "quiz", "archived": False, "learner_id": "l1"},
                                  order_by=("number",))
    expected = QuizAttempt.objects.filter(block_id="quiz", archived=False, learner_id="l1").order_by("number")
    assert as_orm(found) == as_orm(expected)
    assert [a.number for a in found] == [1, 2]
    assert found[1].submitted_at == MOMENT and found[1].submitted_at.tzinfo is not None
    assert found[0].archived is False and found[0].submitted_at is None
    assert not found[0]._state.adding  # pylint: disable=protected-access  # an instance loaded, as the ORM's
    assert statements.select(QuizAttempt, {"block_id": "quiz", "learner_id": "nobody"}) == []


def test_a_conditional_update_changes_only_the_rows_it_names_once(django_assert_num_queries):
    first, other = attempt(), attempt(learner="l2")
    values = {"answers": {"q1": ["a", "c"]}, "earned": 1.0, "possible": 2.0, "percent": 50.0,
              "submitted_at": MOMENT + timedelta(minutes=5), "results": {"q1": 1.0, "q2": 0}}
    with django_assert_num_queries(1):
        changed = statements.update(QuizAttempt, values, where={"id": first.pk, "archived": False},
                                    is_null=("submitted_at",))
    assert changed == 1
    assert statements.update(QuizAttempt, {"percent": 99.0}, where={"id": first.pk},
                             is_null=("submitted_at",)) == 0  # already submitted: nothing changes
    first.refresh_from_db()
    assert {name: getattr(first, name) for name in values} == values
    other.refresh_from_db()
    assert other.answers == {} and other.submitted_at is None


def test_upsert_inserts_then_updates_the_same_row_keeping_its_keys(django_assert_num_queries):
    keys = {"course_id": "course-v1:ITC+B+2026", "block_id": "quiz", "learner_id": "l1"}
    changing = ("assessment_id", "phase", "kind", "score", "max_score", "passed", "updated")
    with django_assert_num_queries(1):
        statements.upsert(Result(**keys, assessment_id="pre_course-quiz", phase="pre_course", kind="quiz",
                                 score=40.0, max_score=100.0, passed=False), unique=tuple(keys), changing=changing)
    row = Result.objects.get(**keys)
    assert (row.score, row.passed, row.assessment_id) == (40.0, False, "pre_course-quiz")
    assert row.updated is not None and row.updated.tzinfo is not None  # auto_now filled as save() fills it
    statements.upsert(Result(**keys, phase="pre_course", kind="quiz", score=80.0, max_score=100.0, passed=True),
                      unique=tuple(keys), changing=changing)
    statements.upsert(Result(**dict(keys, learner_id="l2"), phase="residential", kind="quiz", score=1.0,
                             max_score=2.0), unique=tuple(keys), changing=changing)
    again = Result.objects.get(**keys)
    assert (again.pk, again.score, again.passed, again.assessment_id) == (row.pk, 80.0, True, "")
    assert again.updated >= row.updated
    assert Result.objects.count() == 2
    assert Result.objects.get(learner_id="l2").passed is False  # the field's default, as the ORM's


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.dictionaries(st.text(min_size=1, max_size=12), json_values, max_size=5),
       learner=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s),
       percent=st.none() | st.floats(0, 100, allow_nan=False))
def test_any_values_written_by_update_read_back_by_select_as_through_the_orm(answers, learner, percent):
    QuizAttempt.objects.all().delete()
    row = attempt(learner=learner)
    assert statements.update(QuizAttempt, {"answers": answers, "percent": percent},
                             where={"id": row.pk}) == 1
    found = statements.select(QuizAttempt, {"block_id": "quiz", "learner_id": learner})
    assert as_orm(found) == as_orm(QuizAttempt.objects.filter(pk=row.pk))
    assert found[0].answers == answers and found[0].percent == percent
