"""The quiz rules: every question type and scoring rule, draw, time limits, reveal, item analysis."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from blma_xblocks.core import quiz as q


def question(kind, correct=("a",), ids=("a", "b", "c"), points=2, partial=False):
    options = tuple(q.Option(i, {"en": i}, i in correct) for i in ids)
    return q.Question("q1", kind, {"en": "?"}, options, points, partial)


SINGLE = question(q.SINGLE)
TF = question(q.TRUE_FALSE, ("true",), ("true", "false"), 1)
MULTI = question(q.MULTIPLE, ("a", "b"), ("a", "b", "c", "d"), 4)
MULTI_PARTIAL = question(q.MULTIPLE, ("a", "b"), ("a", "b", "c", "d"), 4, True)
ORDER = question(q.ORDERING, (), ("s1", "s2", "s3", "s4"), 4)
ORDER_PARTIAL = question(q.ORDERING, (), ("s1", "s2", "s3", "s4"), 4, True)
MATCH = question(q.MATCHING, (), ("x", "y", "z"), 3)
MATCH_PARTIAL = question(q.MATCHING, (), ("x", "y", "z"), 3, True)


@pytest.mark.parametrize("quest,answer,earned", [
    (SINGLE, "a", 2), (SINGLE, "b", 0), (SINGLE, None, 0),
    (TF, "true", 1), (TF, "false", 0),
    (MULTI, ["a", "b"], 4), (MULTI, ["b", "a"], 4), (MULTI, ["a"], 0), (MULTI, ["a", "b", "c"], 0), (MULTI, [], 0),
    (MULTI_PARTIAL, ["a"], 2), (MULTI_PARTIAL, ["a", "b"], 4), (MULTI_PARTIAL, ["a", "c"], 0),
    (MULTI_PARTIAL, ["a", "b", "c"], 2), (MULTI_PARTIAL, ["c", "d"], 0), (MULTI_PARTIAL, ["a", "b", "c", "d"], 0),
    (ORDER, ["s1", "s2", "s3", "s4"], 4), (ORDER, ["s2", "s1", "s3", "s4"], 0),
    (ORDER_PARTIAL, ["s2", "s1", "s3", "s4"], 2), (ORDER_PARTIAL, ["s4", "s3", "s2", "s1"], 0),
    (MATCH, {"x": "x", "y": "y", "z": "z"}, 3), (MATCH, {"x": "y", "y": "x", "z": "z"}, 0),
    (MATCH_PARTIAL, {"x": "y", "y": "x", "z": "z"}, 1), (MATCH_PARTIAL, {"x": "x"}, 1),
])
def test_scoring_per_type_and_rule(quest, answer, earned):
    result = q.score_question(quest, answer)
    assert result.earned == earned and result.possible == quest.points
    assert result.correct is (earned == quest.points)


@pytest.mark.parametrize("quest,answer", [
    (SINGLE, "zz"), (SINGLE, ["a"]), (SINGLE, 3), (TF, "maybe"),
    (MULTI, "a"), (MULTI, ["a", "a"]), (MULTI, ["zz"]), (MULTI, [1]),
    (ORDER, ["s1", "s2"]), (ORDER, ["s1", "s1", "s2", "s3"]), (ORDER, {"s1": 1}),
    (MATCH, ["x"]), (MATCH, {"x": "nope"}), (MATCH, {"bad": "x"}), (MATCH, {"x": 1}),
])
def test_answers_that_do_not_fit_are_refused(quest, answer):
    with pytest.raises(q.AnswerError):
        q.score_question(quest, answer)


def test_unknown_question_type_is_refused():
    with pytest.raises(q.AnswerError):
        q.score_question(question("essay"), "a")


def test_attempt_totals_pass_mark_and_foreign_answers():
    other = q.Question("q2", q.SINGLE, {}, (q.Option("a", {}, True), q.Option("b", {})), 2)
    result = q.score_attempt([SINGLE, other], {"q1": "a", "q2": "b"})
    assert (result.earned, result.possible, result.percent) == (2, 4, 50.0)
    with pytest.raises(q.AnswerError):
        q.score_attempt([SINGLE], {"q1": "a", "q9": "a"})
    assert q.score_attempt([], {}).percent == 0.0


def test_final_score_best_or_last():
    assert q.final_score([40, 90, 70], q.BEST) == 90
    assert q.final_score([40, 90, 70], q.LAST) == 70
    assert q.final_score([], q.BEST) is None


def test_draw_is_stable_per_seed_and_differs_between_learners():
    bank = [f"q{i}" for i in range(30)]
    first = q.draw(bank, 10, q.seed_for("learner1", "quiz", 1))
    assert first == q.draw(bank, 10, q.seed_for("learner1", "quiz", 1))
    assert len(first) == 10 and len(set(first)) == 10 and set(first) <= set(bank)
    others = {tuple(q.draw(bank, 10, q.seed_for(f"learner{i}", "quiz", 1))) for i in range(2, 12)}
    assert len(others | {tuple(first)}) > 5
    assert sorted(q.draw(bank, 0, 1)) == sorted(bank) and sorted(q.draw(bank, 99, 1)) == sorted(bank)


def test_option_order_shuffles_but_keeps_true_false_and_never_shows_the_order_answer():
    assert q.option_order(TF, 1) == ["true", "false"]
    for seed in range(50):
        order = q.option_order(ORDER, seed)
        assert sorted(order) == ORDER.option_ids and order != ORDER.option_ids
    assert q.option_order(MULTI, 7) == q.option_order(MULTI, 7)


NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_deadline_is_the_earlier_of_due_date_and_time_limit():
    assert q.deadline(NOW, None, 0) is None
    assert q.deadline(NOW, None, 30) == NOW + timedelta(minutes=30)
    assert q.deadline(NOW, NOW + timedelta(minutes=10), 30) == NOW + timedelta(minutes=10)
    assert q.deadline(None, NOW, 30) == NOW


def test_submission_window_with_grace():
    assert q.submission_open(NOW + timedelta(minutes=29), NOW, None, 30)
    assert not q.submission_open(NOW + timedelta(minutes=31), NOW, None, 30)
    assert q.submission_open(NOW + timedelta(minutes=30, seconds=20), NOW, None, 30, grace_seconds=30)
    assert not q.submission_open(NOW + timedelta(seconds=1), NOW, NOW, 0)
    assert q.submission_open(NOW, NOW, None, 0)


@pytest.mark.parametrize("rule,kwargs,expected", [
    (q.REVEAL_NEVER, {"passed": True}, False),
    (q.REVEAL_AFTER_ATTEMPT, {}, True),
    (q.REVEAL_AFTER_LAST_OR_PASS, {}, False),
    (q.REVEAL_AFTER_LAST_OR_PASS, {"passed": True}, True),
    (q.REVEAL_AFTER_LAST_OR_PASS, {"attempts_used": 3}, True),
    (q.REVEAL_AFTER_LAST_OR_PASS, {"attempts_used": 3, "max_attempts": 0}, False),
    (q.REVEAL_AFTER_DUE, {"due": NOW, "now": NOW}, False),
    (q.REVEAL_AFTER_DUE, {"due": NOW, "now": NOW + timedelta(seconds=1)}, True),
    (q.REVEAL_AFTER_DUE, {"due": None, "now": NOW}, False),
    (q.REVEAL_AFTER_ATTEMPT, {"submitted": False}, False),
    ("bogus", {}, False),
])
def test_reveal_rules(rule, kwargs, expected):
    args = dict({"submitted": True, "attempts_used": 1, "max_attempts": 3, "passed": False}, **kwargs)
    assert q.may_reveal(rule, **args) is expected


def test_attempts_left():
    assert q.attempts_left(0, 5) is None
    assert q.attempts_left(3, 1) == 2
    assert q.attempts_left(3, 5) == 0


def test_item_analysis_percent_distribution_and_discrimination():
    rows = []
    for i in range(10):
        strong = i >= 5
        rows.append((f"l{i}", "q1", strong, ["a"] if strong else ["b"], 90 if strong else 30))
        rows.append((f"l{i}", "q2", True, ["a"], 90 if strong else 30))
    stats = {s.question_id: s for s in q.item_analysis(rows, ["q1", "q2", "q3"])}
    assert stats["q1"].percent_correct == 50.0 and stats["q1"].option_counts == {"a": 5, "b": 5}
    assert stats["q1"].discrimination == 1.0
    assert stats["q2"].discrimination == 0.0 and stats["q2"].percent_correct == 100.0
    assert stats["q3"].responses == 0 and stats["q3"].percent_correct == 0.0
    assert q.item_analysis([]) == []


answers = st.one_of(st.none(), st.text(max_size=3),
                    st.lists(st.sampled_from(["a", "b", "c", "d", "s1", "x"]), max_size=5),
                    st.dictionaries(st.sampled_from(["x", "y", "z", "q"]), st.sampled_from(["x", "y", "z"])))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=300)
@given(st.sampled_from([SINGLE, TF, MULTI, MULTI_PARTIAL, ORDER, ORDER_PARTIAL, MATCH, MATCH_PARTIAL]), answers)
def test_a_score_is_always_within_zero_and_max(quest, answer):
    try:
        result = q.score_question(quest, answer)
    except q.AnswerError:
        return
    assert 0 <= result.earned <= quest.points


def test_bank_keeps_stored_order_and_makes_each_question_once_on_first_use(monkeypatch):
    stored = [{"id": i, "kind": q.SINGLE, "stem": {"en": i}, "options": [{"id": "a", "correct": True}]}
              for i in ("q3", "q1", "q2")]
    made = []
    real = q.question_from_data
    monkeypatch.setattr(q, "question_from_data", lambda data: made.append(data["id"]) or real(data))
    bank = q.Bank(stored)
    assert (list(bank), len(bank), made) == (["q3", "q1", "q2"], 3, [])  # nothing made to count or list
    assert "q1" in bank and "q9" not in bank and bank.get("q9") is None
    assert bank["q1"] is bank["q1"] and bank["q1"].stem == {"en": "q1"}
    assert made == ["q1"]  # "in" and get() of an unknown id made nothing; q1 once
    with pytest.raises(KeyError):
        bank["q9"]  # pylint: disable=pointless-statement
    assert [question.id for question in bank.values()] == ["q3", "q1", "q2"] and made == ["q1", "q3", "q2"]


def test_a_saved_answer_that_no_longer_fits_its_question_counts_as_unanswered():
    single = q.question_from_data({"id": "q", "kind": "single", "options": [
        {"id": "a", "correct": True}, {"id": "b"}]})
    assert q.fitting_answer(single, "a") == "a"
    assert q.fitting_answer(single, None) is None
    for stale in ("gone", ["a"], {"a": "b"}, 3):
        assert q.fitting_answer(single, stale) is None
    multiple = q.question_from_data({"id": "m", "kind": "multiple", "options": [{"id": "a"}, {"id": "b"}]})
    assert q.fitting_answer(multiple, ["b", "a"]) == ["a", "b"]
    assert q.fitting_answer(multiple, "a") is None


def test_a_partial_order_is_kept_when_asked_and_scores_what_is_in_place():
    order = q.question_from_data({"id": "o", "kind": "ordering", "options": [{"id": "a"}, {"id": "b"}, {"id": "c"}]})
    assert q.check_answer(order, ["b", None, None], partial=True) == ["b", None, None]
    assert q.check_answer(order, [None, None, None], partial=True) is None
    assert q.check_answer(order, ["b", "a", "c"], partial=True) == ["b", "a", "c"]
    for bad in (["b", "b", None], ["b", None], ["z", None, None], [3, None, None]):
        with pytest.raises(q.AnswerError):
            q.check_answer(order, bad, partial=True)
    with pytest.raises(q.AnswerError):
        q.check_answer(order, ["b", None, None])  # not a complete order
    assert q.fitting_answer(order, ["b", None, None]) is None
    assert q.score_question(order, ["a", None, None]).earned == 0  # no partial credit: all or nothing
    credited = q.question_from_data({"id": "p", "kind": "ordering", "points": 3, "partial_credit": True,
                                     "options": [{"id": "a"}, {"id": "b"}, {"id": "c"}]})
    assert q.score_question(credited, ["a", None, None]).earned == 1  # one of three in place
    assert q.score_question(credited, [None, "a", None]).earned == 0
