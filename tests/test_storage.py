"""Storage: one completion, one result per learner and block, one graded submission per attempt."""
import threading
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from django.db import connection

from blma_xblocks import storage
from blma_xblocks.core.phases import PhaseInfo
from blma_xblocks.models import PhaseSchedule, ModuleCompletion, QuizAttempt, Result

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 20, 9, tzinfo=timezone.utc)


def test_completion_is_recorded_once():
    first, created = storage.mark_module_done("c", "l1", "m1")
    again, created_again = storage.mark_module_done("c", "l1", "m1")
    assert created and not created_again and first == again
    storage.mark_module_done("c", "l2", "m1")
    assert storage.completed_modules("c", "l1") == {"m1"}
    assert storage.completed_modules("c", "l1", ["m2"]) == set()
    assert ModuleCompletion.objects.count() == 2


def test_a_stored_schedule_is_read_in_one_query_and_a_new_store_replaces_it(django_assert_num_queries):
    from datetime import date
    info = PhaseInfo("pre_course", date(2026, 4, 13), date(2026, 5, 1), "online", {"en": "P"})
    storage.store_phase("c", info)
    with django_assert_num_queries(1):
        assert storage.phase_schedules("c") == [info]
    moved = PhaseInfo("pre_course", date(2026, 4, 6), date(2026, 5, 1), "online", {"en": "P"})
    storage.store_phase("c", moved)
    storage.store_phase("c", PhaseInfo("residential", None, None, "residential", {}))  # no dates: not stored
    assert storage.phase_schedules("c") == [moved]
    assert str(PhaseSchedule.objects.get()) == "c pre_course 2026-04-06..2026-05-01"


@pytest.mark.mariadb
def test_results_ledger_keeps_one_row_per_learner_and_block(django_assert_num_queries):
    with django_assert_num_queries(1):  # one upsert, first write or re-grade
        storage.record_result("c", "quiz1", "l1", phase="pre_course", kind="quiz", score=6, max_score=10,
                              passed=False)
    first = Result.objects.get()
    with django_assert_num_queries(1):
        storage.record_result("c", "quiz1", "l1", assessment_id="pre_course-quiz", phase="pre_course", kind="quiz",
                              score=9, max_score=10, passed=True)
    row = Result.objects.get()
    assert (row.pk, row.score, row.passed, row.assessment_id) == (first.pk, 9, True, "pre_course-quiz")
    assert row.updated >= first.updated
    storage.record_result("c", "quiz1", "l2", phase="pre_course", kind="quiz", score=1, max_score=10, passed=False)
    assert Result.objects.count() == 2


def test_an_attempt_is_graded_once_and_a_taken_slot_or_number_is_refused():
    attempt = storage.start_attempt("c", "quiz1", "l1", 1, 1, ["q1", "q2"])
    assert storage.start_attempt("c", "quiz1", "l1", 1, 2, ["q9"]) is None  # slot 1 is taken
    assert storage.start_attempt("c", "quiz1", "l1", 2, 1, ["q9"]) is None  # number 1 is taken
    assert QuizAttempt.objects.count() == 1
    assert storage.submit_attempt(attempt.pk, {"q1": "a"}, 1, 2, 50.0, NOW)
    assert not storage.submit_attempt(attempt.pk, {"q1": "b"}, 2, 2, 100.0, NOW)
    attempt.refresh_from_db()
    assert (attempt.answers, attempt.percent) == ({"q1": "a"}, 50.0)


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_submissions_give_one_graded_attempt():
    attempt = storage.start_attempt("c", "quiz1", "l1", 1, 1, ["q1"])
    wins, barrier = [], threading.Barrier(20)

    def submit(i):
        barrier.wait()
        try:
            wins.append(storage.submit_attempt(attempt.pk, {"q1": str(i)}, i, 20, 5.0 * i, NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 19 + [True]
    assert QuizAttempt.objects.filter(submitted_at__isnull=False).count() == 1


def test_a_reset_frees_the_slots_and_an_archived_attempt_can_no_longer_be_saved_or_graded():
    first = storage.start_attempt("c", "quiz1", "l1", 1, 1, ["q1"])
    storage.reset_attempts("c", "quiz1", "l1", "tutor")
    assert not storage.save_answers(first.pk, {"q1": "a"})
    assert not storage.submit_attempt(first.pk, {"q1": "a"}, 1, 1, 100.0, NOW)
    again = storage.start_attempt("c", "quiz1", "l1", 1, storage.next_attempt_number("quiz1", "l1"), ["q1"])
    assert again is not None and again.number == 2
    first.refresh_from_db()
    assert (first.archived, first.slot, first.submitted_at) == (True, None, None)


@pytest.mark.mariadb
def test_the_roster_lists_named_learners_by_name_then_the_others_by_id():
    from blma_xblocks.models import Learner
    for learner_id in ("l1", "l2", "l3", "l4"):
        QuizAttempt.objects.create(course_id="c", block_id="b", learner_id=learner_id, number=1, slot=1)
    storage.remember_learner("c", "l3", "zed", "Élodie Martin")
    storage.remember_learner("c", "l1", "amina", "")
    assert Learner.objects.get(learner_id="l3").sort_key == "elodie martin"  # accents set aside
    total, rows = storage.quiz_roster("c", "b", None, 1, 3)
    assert total == 4 and [r["learner_id"] for r in rows] == ["l1", "l3", "l2"]
    assert (rows[1]["username"], rows[1]["full_name"], rows[2]["username"]) == ("zed", "Élodie Martin", "")
    total, rows = storage.quiz_roster("c", "b", None, 2, 3)
    assert [r["learner_id"] for r in rows] == ["l4"]
    assert [r["learner_id"] for r in storage.quiz_roster("c", "b", None, 1, None)[1]] == ["l1", "l3", "l2", "l4"]


LEARNERS = [f"l{i:02d}" for i in range(12)]


@pytest.mark.mariadb
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(people=[("l01", "Ana", False, "b"), ("l02", "bo", False, "b"), ("l03", "Zoé", False, "b"),
                 ("l04", "", False, "b"), ("l05", "", False, "b")], named_elsewhere=set(), size=2, search=None)
@given(people=st.lists(st.tuples(st.sampled_from(LEARNERS), st.sampled_from(["", "Ana", "ana", "Zoé", "bo"]),
                                 st.booleans(), st.sampled_from(["b", "b", "other"])), max_size=20),
       named_elsewhere=st.sets(st.sampled_from(LEARNERS), max_size=4),
       size=st.integers(1, 7), search=st.one_of(st.none(), st.sets(st.sampled_from(LEARNERS), max_size=6)))
def test_every_page_of_the_roster_is_the_slice_of_one_ordering(people, named_elsewhere, size, search):
    """Named learners by name then id, then the never named by id, current attempts at block "b" only; each
    page is its slice of that order, whatever mix of names, resets, other blocks and searches."""
    from blma_xblocks.models import Learner
    QuizAttempt.objects.all().delete()
    Learner.objects.all().delete()
    names, current = {}, set()
    for number, (learner_id, name, archived, block_id) in enumerate(people, 1):
        QuizAttempt.objects.create(course_id="c", block_id=block_id, learner_id=learner_id, number=number,
                                   slot=None if archived else number, archived=archived)
        if block_id == "b" and not archived:
            current.add(learner_id)
        if name:
            storage.remember_learner("c", learner_id, learner_id, name)
            names[learner_id] = name
    for learner_id in named_elsewhere:  # a name in another course is no name here
        storage.remember_learner("other-course", learner_id, learner_id, "Aaron")
    shown = current if search is None else current & search
    expected = (sorted((lid for lid in shown if lid in names), key=lambda lid: (names[lid].casefold(), lid))
                + sorted(lid for lid in shown if lid not in names))
    ids = None if search is None else sorted(search)
    total, rows = storage.quiz_roster("c", "b", ids, 1, None)
    assert total == len(expected) and [r["learner_id"] for r in rows] == expected
    pages = max(1, -(-total // size))
    for page in range(1, pages + 2):  # one past the end: the last page again
        total, rows = storage.quiz_roster("c", "b", ids, page, size)
        at = min(page, pages)
        assert [r["learner_id"] for r in rows] == expected[(at - 1) * size:at * size], (page, size)


@pytest.mark.django_db(transaction=True)  # no test transaction around it: in_transaction is the outermost
def test_a_deadlock_victim_is_run_again_other_errors_go_up():
    from django.db import OperationalError, transaction
    calls = []

    def work(fail_with):
        def run():
            calls.append(1)
            if len(calls) == 1 and fail_with is not None:
                raise fail_with
            return "done"
        return run
    assert storage.in_transaction(work(OperationalError(1213, "Deadlock found"))) == "done" and len(calls) == 2
    calls.clear()
    with pytest.raises(OperationalError):  # not a deadlock: no second run
        storage.in_transaction(work(OperationalError(1205, "Lock wait timeout")))
    assert len(calls) == 1
    calls.clear()
    with pytest.raises(OperationalError), transaction.atomic():  # inside a caller's transaction: up it goes
        storage.in_transaction(work(OperationalError(1213, "Deadlock found")))
    assert len(calls) == 1
    calls.clear()
    with pytest.raises(OperationalError):  # a victim three times running: the third error goes up
        storage.in_transaction(lambda: calls.append(1) or (_ for _ in ()).throw(OperationalError(1213, "again")))
    assert len(calls) == 3


def test_migration_0009_refills_sort_keys_without_accents():
    from importlib import import_module

    from django.apps import apps

    from blma_xblocks.models import Learner
    Learner.objects.bulk_create([Learner(course_id="c", learner_id="l1", full_name="Émile Zola", sort_key="émile zola"),
                                 Learner(course_id="c", learner_id="l2", username="bo", sort_key="bo")])
    import_module("blma_xblocks.migrations.0009_learner_sort_key_without_accents").refill_sort_keys(apps, None)
    assert dict(Learner.objects.values_list("learner_id", "sort_key")) == {"l1": "emile zola", "l2": "bo"}
    assert Learner.sort_key_of("x", "ÇA Ĳssel Øre") == "ca ijssel øre"  # Ø has no decomposition: kept
