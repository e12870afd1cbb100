"""The quiz's attempts: the learner's handlers (start, save, submit) and server-side grading.

Attempts live in the project's table (storage.QuizAttempt): a reload or another device finds
them. Starting is one INSERT into a unique slot, grading one conditional UPDATE: parallel
requests can neither exceed the attempts allowed nor grade an attempt twice.
"""
import hashlib
import hmac

from django.conf import settings as django_settings

from .. import storage
from ..clock import now
from ..core import quiz as rules
from ..core.text import N_
from ..handlers import handler
from ..ledger import publish_result

GRACE_SECONDS = 30  # network delay on a slow connection, not extra time
MAX_ANSWER_BYTES = 64 * 1024


def token_key():
    """The server-side key of attempt seeds, derived from Django's SECRET_KEY (never sent anywhere)."""
    secret = django_settings.SECRET_KEY.encode("utf-8")
    return hmac.new(secret, b"blma-quiz-attempt-seed", hashlib.sha256).digest()


class QuizAttempts:
    """Mixed into QuizBlock (quiz.py): attempts, deadlines, grading and the learner's handlers."""

    def seed(self, attempt):
        return self.seed_of(attempt.number)

    def seed_of(self, number):
        return rules.attempt_seed(token_key(), self.learner_id, self.block_key, number)

    def deadline(self, attempt):
        return rules.deadline(attempt.started_at, self.due_at(), self.time_limit)

    def is_late(self, attempt, moment):
        return not rules.submission_open(moment, attempt.started_at, self.due_at(), self.time_limit, GRACE_SECONDS)

    def state(self):
        """The learner's attempts, with any open attempt past its deadline closed first."""
        attempts = storage.attempts(self.block_key, self.learner_id)
        if attempts and attempts[-1].submitted_at is None and self.is_late(attempts[-1], now()):
            self.grade(attempts[-1], attempts[-1].answers, self.deadline(attempts[-1]), attempts)
            attempts = storage.attempts(self.block_key, self.learner_id)
        return attempts

    def grade(self, attempt, answers, moment, earlier=()):
        """Score an attempt from saved answers, once; publish the grade that counts. False if already graded.

        `earlier` are the learner's other attempts, when the caller has them (saves a query).
        The attempt and the ledger are written in one transaction (ledger.publish_result).
        """
        bank = self.bank()
        drawn = [bank[qid] for qid in attempt.question_ids if qid in bank]
        answers = {q.id: rules.fitting_answer(q, (answers or {}).get(q.id), partial=True) for q in drawn}
        result = rules.score_attempt(drawn, answers)
        percents = [a.percent for a in earlier if a.submitted_at is not None and a.pk != attempt.pk]
        final = rules.final_score(percents + [result.percent], self.grading)
        return publish_result(self, kind="quiz", score=final, passed=final >= self.pass_mark, write=lambda: (
            storage.submit_attempt(attempt.pk, answers, result.earned, result.possible, result.percent, moment,
                                   {r.question_id: r.earned for r in result.results})))

    def open_attempt_or_fail(self):
        """(open attempt, all current attempts); a late one is closed by the caller."""
        attempts = storage.attempts(self.block_key, self.learner_id)
        if not attempts or attempts[-1].submitted_at is not None:
            self.fail(409, N_("There is no attempt in progress. Start a new attempt first."))
        return attempts[-1], attempts

    def checked_answers(self, attempt, raw):
        """Browser answers (tokens) -> option ids, checked against the drawn questions; 400 otherwise."""
        if not isinstance(raw, dict):
            self.fail(400, N_("Answers must be an object keyed by question."))
        bank = self.bank()
        seed = self.seed(attempt)
        by_token = {rules.question_token(seed, qid): qid for qid in attempt.question_ids if qid in bank}
        answers = {}
        for key, value in raw.items():
            qid = by_token.get(key)
            if qid is None:
                self.fail(400, N_("Unknown question."))
            try:
                # an ordering not yet complete is kept: saved, shown again, scored for what is in place
                answers[qid] = rules.check_answer(bank[qid], rules.answer_from_browser(bank[qid], seed, value),
                                                  partial=True)
            except rules.AnswerError as error:
                self.fail(400, error.message, **dict(error.params, question=attempt.question_ids.index(qid) + 1))
        return answers

    @handler(fields={})
    def start_attempt(self, data, suffix=""):
        self.remember_learner()
        for _race in range(3):  # a parallel start that wins a slot or number: look again
            attempts = self.state()
            if attempts and attempts[-1].submitted_at is None:
                return {"number": attempts[-1].number, "resumed": True}
            self.check_can_start(attempts)
            number = storage.next_attempt_number(self.block_key, self.learner_id)
            drawn = rules.draw(list(self.bank()), self.questions_per_attempt, self.seed_of(number))
            attempt = storage.start_attempt(self.course_run, self.block_key, self.learner_id, len(attempts) + 1,
                                            number, drawn, now())
            if attempt is not None:
                return {"number": attempt.number, "resumed": False}
        return self.fail(409, N_("Another request is starting an attempt; reload the page."))

    def check_can_start(self, attempts):
        """409 unless a new attempt may start now (attempts left, not ended by a pass, open, not past due)."""
        if self.attempts_allowed and len(attempts) >= self.attempts_allowed:
            self.fail(409, N_("You have used all your attempts."))
        final = rules.final_score([a.percent for a in attempts if a.submitted_at is not None], self.grading)
        if rules.closed_by_pass(self.reveal, final is not None and final >= self.pass_mark):
            self.fail(409, N_("You passed this quiz and its correct answers are shown: no further attempt."))
        opens = self.opens_at()
        if opens is not None and now() < opens:
            self.fail(409, N_("This quiz opens on {date}."), date=self.local_date(opens))
        due = self.due_at()
        if due is not None and now() > due:
            self.fail(409, N_("The due date has passed."))

    def answers_in_time(self, data):
        """(open attempt, all attempts, its answers merged with the new ones, now): the shared steps of
        save and submit; a late attempt is graded from what was saved and the request refused."""
        attempt, attempts = self.open_attempt_or_fail()
        moment = now()
        if self.is_late(attempt, moment):
            self.grade(attempt, attempt.answers, self.deadline(attempt), attempts)
            self.fail(409, N_("The time for this attempt is over; your saved answers were graded."))
        answers = dict(attempt.answers)
        answers.update(self.checked_answers(attempt, data.get("answers", {})))
        return attempt, attempts, {qid: a for qid, a in answers.items() if a is not None}, moment

    @handler(fields={"answers": dict})
    def save_answers(self, data, suffix=""):
        attempt, _attempts, answers, _moment = self.answers_in_time(data)
        if len(repr(answers)) > MAX_ANSWER_BYTES:
            self.fail(413, N_("The answers are too large."))
        if not storage.save_answers(attempt.pk, answers):
            self.fail(409, N_("This attempt was already submitted."))
        return {"saved": len(answers), "message": self.gettext("Answers saved.")}

    @handler(fields={"answers": dict})
    def submit(self, data, suffix=""):
        attempt, attempts, answers, moment = self.answers_in_time(data)
        if not self.grade(attempt, answers, moment, attempts):
            self.fail(409, N_("This attempt was already submitted."))
        return {"submitted": True, "message": self.gettext("Your answers were submitted.")}
