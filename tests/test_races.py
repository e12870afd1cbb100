"""Races through the quiz's handlers: real threads, each on its own database connection.

Marked `db_race`: they run with the rest on SQLite, and again on MariaDB (`BLMA_TEST_DB=mariadb`,
a throw-away server; see tests/mariadb_server.py). Each round lines its threads up on a barrier,
then checks invariants of what is stored, whatever order the database let the threads run in.
"""
import threading
from collections import Counter

import pytest
from django.db import connection

from blma_xblocks.core import quiz as rules
from blma_xblocks.models import QuizAttempt, Result
from blma_xblocks.quiz import QuizBlock

from .conftest import call

pytestmark = [pytest.mark.db_race, pytest.mark.django_db(transaction=True)]

MAX_ATTEMPTS = 2
PASS_MARK = 50
QUIZ = """
<blma_quiz phase="pre_course" questions_per_attempt="0" {limit}="{attempts}" pass_mark="{pass_mark}"
           grading="best" due_date="2026-05-01T23:59:00+02:00" time_limit="45" reveal="after_attempt" weight="1">
  <title><en>Race</en><fr>Course</fr></title>
  <question id="r1" type="single"><stem><en>One?</en><fr>Un ?</fr></stem>
    <option id="yes" correct="true"><text><en>Yes</en><fr>Oui</fr></text></option>
    <option id="no"><text><en>No</en><fr>Non</fr></text></option></question>
  <question id="r2" type="single"><stem><en>Two?</en><fr>Deux ?</fr></stem>
    <option id="yes" correct="true"><text><en>Yes</en><fr>Oui</fr></text></option>
    <option id="no"><text><en>No</en><fr>Non</fr></text></option></question>
  <question id="r3" type="single"><stem><en>Three?</en><fr>Trois ?</fr></stem>
    <option id="yes" correct="true"><text><en>Yes</en><fr>Oui</fr></text></option>
    <option id="no"><text><en>No</en><fr>Non</fr></text></option></question>
</blma_quiz>"""


def _handler_name(*names):
    for name in names:
        if getattr(getattr(QuizBlock, name, None), "_is_xblock_handler", False):
            return name
    raise AssertionError(f"QuizBlock has no handler named {' or '.join(names)}")


START = _handler_name("start_attempt", "start")  # the handler was renamed; either name works here
# The attempt limit was renamed too (max_attempts is a name the LMS gives every block).
LIMIT = "attempts_allowed" if "attempts_allowed" in QuizBlock.fields else "max_attempts"


@pytest.fixture(autouse=True)
def clock(settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"


@pytest.fixture
def quiz(load):
    block = load(QUIZ.format(limit=LIMIT, attempts=MAX_ATTEMPTS, pass_mark=PASS_MARK))
    assert getattr(block, LIMIT) == MAX_ATTEMPTS and block.pass_mark == PASS_MARK
    return block


@pytest.fixture
def race(parallel):
    """race(block, [(student, handler, data), ...]) -> one (status, body) per request, or the exception:
    every handler called at once, each in its own runtime and database connection (conftest.parallel)."""
    def run(block, requests):
        return parallel(block, [(student, lambda mine, h=handler, d=data: call(mine, h, d))
                                for student, handler, data in requests])
    return run


def current_attempts(block):
    return list(QuizAttempt.objects.filter(block_id=str(block.scope_ids.usage_id), learner_id=block.learner_id,
                                           archived=False).order_by("number"))


def answers(block, right):
    """Browser answers for the learner's open attempt: the first `right` questions right, the rest wrong."""
    attempt = [a for a in current_attempts(block) if a.submitted_at is None][-1]
    seed = block.seed(attempt)  # the block's own per-attempt seed, as its page uses
    return {rules.question_token(seed, qid): rules.token(seed, qid, "yes" if i < right else "no")
            for i, qid in enumerate(attempt.question_ids)}


def statuses(results):
    return [r[0] if isinstance(r, tuple) else f"{type(r).__name__}: {r}" for r in results]


def tally(results):
    """{status (and error message): how many}, for messages."""
    def label(result):
        if isinstance(result, tuple) and result[0] != 200 and isinstance(result[1], dict):
            return f"{result[0]} {result[1].get('error', '')}".strip()
        return result[0] if isinstance(result, tuple) else f"{type(result).__name__}: {result}"
    return dict(Counter(label(r) for r in results))


@pytest.mark.parametrize("submitted_before", [0, 1, MAX_ATTEMPTS])
def test_parallel_starts_keep_to_max_attempts(quiz, as_user, race, submitted_before):
    """20 starts at once by one learner: one attempt started (the others resume it), never over the limit."""
    problems = []
    for round_ in range(10):
        learner = as_user(quiz, f"starter{round_}")
        for _ in range(submitted_before):
            assert call(learner, START)[0] == 200
            assert call(learner, "submit", {"answers": {}})[0] == 200
        results = race(learner, [(f"starter{round_}", START, {})] * 20)
        rows = current_attempts(learner)
        numbers = [row.number for row in rows]
        open_numbers = [row.number for row in rows if row.submitted_at is None]
        expected = [409] * 20 if submitted_before >= MAX_ATTEMPTS else [200] * 20
        told = {r[1]["number"] for r in results if isinstance(r, tuple) and r[0] == 200}
        if (len(rows) > MAX_ATTEMPTS or len(set(numbers)) != len(numbers) or statuses(results) != expected
                or len(open_numbers) != (0 if submitted_before >= MAX_ATTEMPTS else 1)
                or not told <= set(open_numbers)):
            problems.append(f"starter{round_}: attempts {numbers} (open {open_numbers}), answers named {sorted(told)}, "
                            f"statuses {tally(results)}")
    assert not problems, f"{len(problems)} of 10 learners ({LIMIT}={MAX_ATTEMPTS}):\n" + "\n".join(problems)


def test_parallel_submits_of_one_attempt_grade_it_once(quiz, as_user, race):
    """20 submits of the same open attempt at once: one graded, one ledger row matching it, 19 refused."""
    problems = []
    for round_ in range(5):
        learner = as_user(quiz, f"submitter{round_}")
        assert call(learner, START)[0] == 200
        requests = [(f"submitter{round_}", "submit", {"answers": answers(learner, i % 4)}) for i in range(20)]
        results = race(learner, requests)
        rows = current_attempts(learner)
        graded = [row for row in rows if row.submitted_at is not None]
        ledger = list(Result.objects.filter(block_id=str(quiz.scope_ids.usage_id), learner_id=learner.learner_id))
        if sorted(statuses(results), key=str) != [200] + [409] * 19 or len(rows) != 1 or len(graded) != 1:
            problems.append(f"submitter{round_}: statuses {tally(results)}, "
                            f"{len(rows)} attempts, {len(graded)} graded")
        elif len(ledger) != 1 or ledger[0].score != graded[0].percent:
            problems.append(f"submitter{round_}: ledger {[(r.score, r.passed) for r in ledger]} "
                            f"for an attempt graded {graded[0].percent}")
    assert not problems, f"{len(problems)} of 5 learners:\n" + "\n".join(problems)


def test_a_reset_racing_a_submit_leaves_a_ledger_that_matches_the_attempts(quiz, as_user, race):
    """A tutor's reset and the learner's submit at once, 30 times: the ledger follows the current attempts.

    No current graded attempt: no Result row for the learner. A Result row: the score and pass of
    the current graded attempts (grading "best").
    """
    block_key = str(quiz.scope_ids.usage_id)
    problems = []
    for round_ in range(30):
        student = f"resetme{round_}"
        learner = as_user(quiz, student)
        assert call(learner, START)[0] == 200
        requests = [(student, "submit", {"answers": answers(learner, 3)}),
                    ("tutor", "reset_attempts", {"learner_id": learner.learner_id})]
        results = race(learner, requests)
        submit, reset = statuses(results)
        if submit not in (200, 409) or reset != 200:
            problems.append(f"{student}: submit answered {submit}, reset answered {reset}")
            continue
        graded = [row.percent for row in current_attempts(learner) if row.submitted_at is not None]
        ledger = list(Result.objects.filter(block_id=block_key, learner_id=learner.learner_id))
        final = rules.final_score(graded, rules.BEST)
        if not graded and ledger:
            problems.append(f"{student}: no current graded attempt, but a ledger row "
                            f"(score {ledger[0].score}); submit {submit}")
        elif graded and [(r.score, r.passed) for r in ledger] != [(final, final >= PASS_MARK)]:
            problems.append(f"{student}: graded {graded}, ledger {[(r.score, r.passed) for r in ledger]}")
    assert not problems, f"{len(problems)} of 30 rounds:\n" + "\n".join(problems)


def test_parallel_first_results_for_one_learner_leave_one_row_and_no_error():
    """20 first writes of one learner's result at once (a quiz graded by the deadline and by a submit,
    a tutor's release): one ledger row, holding one of the written scores, and no request fails."""
    from blma_xblocks import storage  # pylint: disable=import-outside-toplevel
    problems = []
    for round_ in range(5):
        barrier = threading.Barrier(20)
        errors = []

        def write(score, learner=f"first{round_}"):
            try:
                barrier.wait(timeout=60)
                storage.record_result("c", "quiz1", learner, assessment_id="pre_course-quiz", phase="pre_course",
                                      kind="quiz", score=score, max_score=100, passed=score >= 50)
            except BaseException as error:  # pylint: disable=broad-exception-caught
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=write, args=(float(score),)) for score in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        rows = list(Result.objects.filter(learner_id=f"first{round_}"))
        if errors or len(rows) != 1 or rows[0].score not in range(20) or rows[0].passed != (rows[0].score >= 50):
            problems.append(f"round {round_}: errors {errors[:2]}, rows {[(r.score, r.passed) for r in rows]}")
    assert not problems, "\n".join(problems)


def test_a_transaction_chosen_as_a_deadlock_victim_is_run_again():
    """Two transactions take the same two rows in opposite orders: on MariaDB one is the victim of a
    deadlock, and in_transaction runs it again, so both complete. (On SQLite writes queue instead.)"""
    from blma_xblocks import storage  # pylint: disable=import-outside-toplevel
    if connection.vendor != "mysql":
        pytest.skip("InnoDB deadlocks: MariaDB only (make test runs this file there too)")
    first = Result.objects.create(course_id="c", block_id="d1", learner_id="x", phase="p", kind="quiz", score=0,
                                  max_score=100)
    second = Result.objects.create(course_id="c", block_id="d2", learner_id="x", phase="p", kind="quiz", score=0,
                                   max_score=100)
    barrier = threading.Barrier(2)
    runs, errors = Counter(), []

    def lock_both(name, order):
        def work():
            runs[name] += 1
            for index, row in enumerate(order):
                Result.objects.filter(pk=row.pk).update(score=runs[name])
                if index == 0 and runs[name] == 1:
                    barrier.wait(timeout=30)  # both hold their first row: the second update deadlocks
            return name
        try:
            storage.in_transaction(work)
        except BaseException as error:  # pylint: disable=broad-exception-caught
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=lock_both, args=("a", (first, second))),
               threading.Thread(target=lock_both, args=("b", (second, first)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and sorted(runs.values()) == [1, 2], (errors, runs)
