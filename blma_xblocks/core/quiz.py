"""End-of-phase quiz rules: question types, answer checking, scoring, draw, deadlines, reveal, item analysis.

Pure Python. The quiz block adapts these; nothing here trusts the browser:
answers are checked against the question, scores are computed here only.
"""
import hashlib
import hmac
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from .text import N_

SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING = "single", "multiple", "true_false", "ordering", "matching"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING)
BEST, LAST = "best", "last"
REVEAL_NEVER, REVEAL_AFTER_ATTEMPT, REVEAL_AFTER_LAST_OR_PASS, REVEAL_AFTER_DUE = (
    "never", "after_attempt", "after_last_or_pass", "after_due")
REVEAL_RULES = (REVEAL_NEVER, REVEAL_AFTER_ATTEMPT, REVEAL_AFTER_LAST_OR_PASS, REVEAL_AFTER_DUE)


class AnswerError(ValueError):
    """An answer that does not fit its question (unknown ids, wrong type): the handler answers 400."""

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(message.format(**params))


@dataclass(frozen=True)
class Option:
    """One answer option of a question (for matching, a left item with its right-hand `match`)."""
    id: str
    text: dict
    correct: bool = False
    feedback: dict = field(default_factory=dict)
    match: dict = field(default_factory=dict)  # matching: the right-hand item paired with this one


@dataclass(frozen=True)
class Question:
    """For ordering, the authored option order is the correct order; for matching, each option
    is a left item and its `match` the right item it pairs with."""
    id: str
    kind: str
    stem: dict
    options: tuple
    points: int = 1
    partial_credit: bool = False
    feedback: dict = field(default_factory=dict)

    @property
    def option_ids(self):
        return [o.id for o in self.options]

    @property
    def correct_ids(self):
        return [o.id for o in self.options if o.correct]


@dataclass(frozen=True)
class QuestionResult:
    """The points one answer earned out of the question's points."""
    question_id: str
    earned: float
    possible: int

    @property
    def correct(self):
        return 0 < self.possible <= self.earned


@dataclass(frozen=True)
class AttemptResult:
    """A scored attempt: its QuestionResults and the totals derived from them."""
    results: tuple

    @property
    def earned(self):
        return round(sum(r.earned for r in self.results), 4)

    @property
    def possible(self):
        return sum(r.possible for r in self.results)

    @property
    def percent(self):
        return 0.0 if not self.possible else round(100.0 * self.earned / self.possible, 2)


# -- answers ---------------------------------------------------------------------------
def check_answer(question, answer, partial=False):
    """The answer in canonical form, or AnswerError. None means unanswered.

    `partial`: an ordering whose positions are not all filled yet (a list with a None in each empty
    position) is kept as the learner left it: saved, shown again, and scored for what is in place.
    """
    if answer is None:
        return None
    ids = set(question.option_ids)
    if partial and question.kind == ORDERING and isinstance(answer, list) and None in answer:
        return _partial_order(question, answer, ids)
    if question.kind in (SINGLE, TRUE_FALSE):
        if not isinstance(answer, str):
            raise AnswerError(N_("Question {question}: choose one option."), question=question.id)
        if answer not in ids:
            raise AnswerError(N_("Question {question}: unknown option."), question=question.id)
        return answer
    if question.kind in (MULTIPLE, ORDERING):
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            raise AnswerError(N_("Question {question}: the answer must be a list of options."),
                              question=question.id)
        if len(set(answer)) != len(answer) or not set(answer) <= ids:
            raise AnswerError(N_("Question {question}: unknown or repeated option."), question=question.id)
        if question.kind == ORDERING and set(answer) != ids:
            raise AnswerError(N_("Question {question}: put every item in order."), question=question.id)
        return sorted(answer) if question.kind == MULTIPLE else list(answer)
    if question.kind == MATCHING:
        if not isinstance(answer, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                   for k, v in answer.items()):
            raise AnswerError(N_("Question {question}: the answer must pair items."), question=question.id)
        if not set(answer) <= ids or not set(answer.values()) <= ids:
            raise AnswerError(N_("Question {question}: unknown item."), question=question.id)
        return dict(sorted(answer.items()))
    raise AnswerError(N_("Question {question}: unknown question type."), question=question.id)


def _partial_order(question, answer, ids):
    placed = [a for a in answer if a is not None]
    if (len(answer) != len(ids) or not all(isinstance(a, str) for a in placed) or len(set(placed)) != len(placed)
            or not set(placed) <= ids):
        raise AnswerError(N_("Question {question}: unknown or repeated option."), question=question.id)
    return list(answer) if placed else None


def fitting_answer(question, answer, partial=False):
    """A saved answer when it still fits its question, else None (unanswered). An author may edit a live
    quiz (remove an option, change a question's type) after learners saved answers: those answers count
    as not given, so the attempt can still be shown and graded. `partial` as in check_answer (to show)."""
    try:
        return check_answer(question, answer, partial)
    except AnswerError:
        return None


def score_question(question, answer):
    """Points earned for a checked answer, within [0, points]. A partial order earns, with partial credit,
    its items in the right place, as a matching's partial pairs do."""
    answer = check_answer(question, answer, partial=True)
    points = question.points
    if answer is None:
        return QuestionResult(question.id, 0, points)
    if question.kind in (SINGLE, TRUE_FALSE):
        earned = points if answer in question.correct_ids else 0
    elif question.kind == MULTIPLE:
        correct = set(question.correct_ids)
        chosen = set(answer)
        if not question.partial_credit or not correct:
            earned = points if chosen == correct else 0
        else:
            # each right choice earns a share, each wrong choice takes one back; never below zero
            shares = len(chosen & correct) - len(chosen - correct)
            earned = points * max(0, shares) / len(correct)
    elif question.kind == ORDERING:
        right = sum(1 for a, b in zip(answer, question.option_ids) if a == b)
        earned = (points * right / len(question.options) if question.partial_credit
                  else points if right == len(question.options) else 0)
    else:  # MATCHING
        right = sum(1 for left, paired in answer.items() if left == paired)
        total = len(question.options)
        earned = points * right / total if question.partial_credit else points if right == total else 0
    return QuestionResult(question.id, round(min(max(earned, 0), points), 4), points)


def score_attempt(questions, answers):
    """Score the drawn questions; answers to questions not drawn are refused."""
    drawn = {q.id for q in questions}
    extra = set(answers or {}) - drawn
    if extra:
        raise AnswerError(N_("Unknown question {question}."), question=sorted(extra)[0])
    return AttemptResult(tuple(score_question(q, (answers or {}).get(q.id)) for q in questions))


def final_score(attempt_percents, method):
    """The grade that counts: best or last of the submitted attempts (None when there are none)."""
    if not attempt_percents:
        return None
    return max(attempt_percents) if method == BEST else attempt_percents[-1]


# -- draw and shuffle ---------------------------------------------------------------------
def seed_for(*parts):
    """A stable seed from learner, block and attempt: the same on reload, different between learners."""
    return int.from_bytes(hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).digest()[:8], "big")


def attempt_seed(key, learner_id, block_id, number):
    """The secret seed of an attempt: its draw, option order and tokens all follow from it.

    Keyed (HMAC with a server-side key), so a learner who knows their own ids cannot compute
    it, and so cannot map the tokens in their page back to question and option ids.
    """
    message = f"{learner_id}|{block_id}|{number}".encode("utf-8")
    return int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:8], "big")


def draw(question_ids, count, seed):
    """`count` of the bank's questions (all when count is 0 or too large), in a shuffled order."""
    ids = list(question_ids)
    rng = random.Random(seed)
    if not count or count >= len(ids):
        rng.shuffle(ids)
        return ids
    return rng.sample(ids, count)


def option_order(question, seed):
    """The order the learner sees the options in (true/false keeps its natural order)."""
    ids = question.option_ids
    if question.kind == TRUE_FALSE:
        return ids
    rng = random.Random(seed_for(seed, question.id))
    shuffled = ids[:]
    rng.shuffle(shuffled)
    if question.kind == ORDERING and len(ids) > 1 and shuffled == ids:
        shuffled = shuffled[1:] + shuffled[:1]  # never show the answer as the starting order
    return shuffled


# -- time rules -------------------------------------------------------------------------
def deadline(started_at, due, time_limit_minutes):
    """When an attempt must be in: the earlier of the due date and the time limit (None: no limit)."""
    limits = [d for d in (due, started_at + timedelta(minutes=time_limit_minutes)
                          if started_at and time_limit_minutes else None) if d is not None]
    return min(limits) if limits else None


def submission_open(now, started_at, due, time_limit_minutes, grace_seconds=0):
    """True while a submission is accepted (a small grace absorbs network delay, not more)."""
    limit = deadline(started_at, due, time_limit_minutes)
    return limit is None or now <= limit + timedelta(seconds=grace_seconds)


# What the learner is told about feedback: generated from the rule, so the page cannot contradict it.
REVEAL_EXPLAINED = {
    REVEAL_NEVER: N_("After each attempt you see your score; feedback on each answer and the correct answers "
                     "are not shown."),
    REVEAL_AFTER_ATTEMPT: N_("After each attempt you see your score, feedback on each answer and the correct "
                             "answers."),
    REVEAL_AFTER_LAST_OR_PASS: N_("After each attempt you see your score; feedback on each answer and the correct "
                                  "answers are shown once you have passed (a pass ends your attempts) or used your "
                                  "last attempt."),
    REVEAL_AFTER_DUE: N_("After each attempt you see your score; feedback on each answer and the correct answers "
                         "are shown after the due date."),
}


def may_reveal(rule, *, submitted, attempts_used, max_attempts, passed, now=None, due=None):
    """Whether correct answers may reach the learner's browser now."""
    if not submitted or rule == REVEAL_NEVER:
        return False
    if rule == REVEAL_AFTER_ATTEMPT:
        return True
    if rule == REVEAL_AFTER_LAST_OR_PASS:
        return passed or 0 < max_attempts <= attempts_used
    if rule == REVEAL_AFTER_DUE:
        return due is not None and now is not None and now > due
    return False


def closed_by_pass(rule, passed):
    """Under "after the last attempt or a pass", a pass shows the correct answers and so ends the
    learner's attempts: a further attempt would be taken with the key in view."""
    return rule == REVEAL_AFTER_LAST_OR_PASS and passed


def attempts_left(max_attempts, used):
    """None when unlimited (0)."""
    return None if not max_attempts else max(0, max_attempts - used)


# -- item analysis ------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemStats:
    """Item analysis of one question: responses, % correct, option counts, discrimination."""
    question_id: str
    responses: int
    percent_correct: float
    option_counts: dict
    discrimination: float


def item_analysis(responses, question_ids=None, group_share=0.27):
    """Per question: % correct, how often each option was chosen, and a discrimination index.

    responses: iterable of (learner, question_id, correct: bool, chosen option ids, learner total %).
    Discrimination = share correct in the top group minus share correct in the bottom group of
    learners by total score (27 % each, the classical choice), from -1 to 1.
    """
    by_question = {}
    totals = {}
    for learner, question_id, correct, chosen, total in responses:
        by_question.setdefault(question_id, []).append((learner, bool(correct), list(chosen or [])))
        totals[learner] = total
    ranked = sorted(totals, key=lambda learner: (totals[learner], learner))
    size = max(1, int(round(len(ranked) * group_share))) if ranked else 0
    bottom, top = set(ranked[:size]), set(ranked[-size:]) if size else set()
    stats = []
    for question_id in (question_ids if question_ids is not None else sorted(by_question)):
        rows = by_question.get(question_id, [])
        n = len(rows)
        correct = sum(1 for r in rows if r[1])
        stats.append(ItemStats(question_id, n, round(100.0 * correct / n, 2) if n else 0.0, _option_counts(rows),
                               round(_share_correct(rows, top) - _share_correct(rows, bottom), 3) if n else 0.0))
    return stats


def _option_counts(rows):
    """How often each option was chosen, over (learner, correct, chosen) rows."""
    counts = {}
    for _learner, _correct, chosen in rows:
        for option in chosen:
            counts[option] = counts.get(option, 0) + 1
    return counts


def _share_correct(rows, group):
    """The share of the group's learners among the rows who answered correctly (0.0 when none answered)."""
    members = [r for r in rows if r[0] in group]
    return sum(1 for r in members if r[1]) / len(members) if members else 0.0


# -- stored form ----------------------------------------------------------------------------
def question_from_data(data):
    """A Question from the dict the block stores (see the quiz OLX format)."""
    options = tuple(
        Option(str(o.get("id", "")), dict(o.get("text") or {}), bool(o.get("correct")),
               dict(o.get("feedback") or {}), dict(o.get("match") or {}))
        for o in data.get("options") or []
    )
    return Question(str(data.get("id", "")), str(data.get("kind", "")), dict(data.get("stem") or {}), options,
                    int(data.get("points", 1) or 0), bool(data.get("partial_credit")), dict(data.get("feedback") or {}))


class Bank(Mapping):
    """The stored questions by id, in stored order, each made a Question the first time it is asked
    for: a page shows the 15 drawn questions of a 32-question bank."""

    def __init__(self, stored):
        self._stored = {data.get("id"): data for data in stored}
        self._made = {}

    def __getitem__(self, question_id):
        made = self._made.get(question_id)
        if made is None:
            made = self._made[question_id] = question_from_data(self._stored[question_id])
        return made

    def __iter__(self):
        return iter(self._stored)

    def __len__(self):
        return len(self._stored)


def token(seed, question_id, option_id, side="l"):
    """What the browser sees instead of an option id: per attempt, so ids never hint at answers."""
    raw = f"{seed}|{question_id}|{option_id}|{side}".encode("utf-8")
    return "o" + hashlib.sha256(raw).hexdigest()[:10]


def question_token(seed, question_id):
    return "q" + token(seed, question_id, "", "q")[1:]


def option_tokens(question, seed, side="l"):
    """{token: option id} for a question's options, as the browser sees them in one attempt."""
    return {token(seed, question.id, option.id, side): option.id for option in question.options}


def answer_from_browser(question, seed, raw):
    """Translate a browser answer (tokens) into option ids, before check_answer; bad shapes pass
    through unchanged so check_answer gives its precise message (an unknown token becomes "?")."""
    sides = {}  # each side's tokens made once per answer, not once per value

    def one(value, side="l"):
        if not isinstance(value, str):
            return value
        if side not in sides:
            sides[side] = option_tokens(question, seed, side)
        return sides[side].get(value, "?")
    if raw is None:
        return None
    if question.kind in (SINGLE, TRUE_FALSE):
        return one(raw)
    if question.kind in (MULTIPLE, ORDERING) and isinstance(raw, list):
        return [one(v) for v in raw]
    if question.kind == MATCHING and isinstance(raw, dict):
        return {one(k): one(v, "r") for k, v in raw.items()}
    return raw
