"""blma_quiz: an end-of-phase assessment, graded on the server, with item analysis for tutors.

The browser never sees option ids, correctness or option feedback before the
author's reveal rule allows it: questions go out with per-attempt tokens, and
scores are computed here from the saved answers only.
"""

import hashlib
import hmac

from django.conf import settings as django_settings
from django.db import transaction
from lxml import etree
from webob import Response
from xblock.core import XBlock
from xblock.fields import Dict, Float, Integer, List, Scope, String
from xblock.validation import Validation

from . import storage, tutor
from .base import BlmaBlockMixin, field_label as _
from .clock import now
from .core import quiz as rules
from .core.phases import PHASE_KINDS, PHASE_KIND_LABELS
from .core.text import LANGUAGES, N_, bilingual
from .core.validation import check_quiz, parse_datetime
from .handlers import download, handler
from .olx import (OlxError, carrier, check_attributes, elements, int_attribute, read_bilingual, tag_of,
                  unknown_element, write_bilingual)
from .sanitize import clean
from .studio import StudioEditableMixin

ATTRIBUTES = ("phase", "questions_per_attempt", "attempts_allowed", "pass_mark", "grading", "open_date", "due_date",
              "time_limit",
              "reveal", "weight")
# Files written before 0.2 said max_attempts, a name the LMS gives every block (see the field).
LEGACY_ATTRIBUTES = {"max_attempts": "attempts_allowed"}
INT_ATTRIBUTES = ("questions_per_attempt", "attempts_allowed", "pass_mark", "time_limit")
GRACE_SECONDS = 30  # network delay on a slow connection, not extra time
MAX_ANSWER_BYTES = 64 * 1024
REVEAL_LABELS = {
    rules.REVEAL_NEVER: N_("Never"),
    rules.REVEAL_AFTER_ATTEMPT: N_("After each attempt"),
    rules.REVEAL_AFTER_LAST_OR_PASS: N_("After the last attempt or a pass"),
    rules.REVEAL_AFTER_DUE: N_("After the due date"),
}


def token_key():
    """The server-side key of attempt seeds, derived from Django's SECRET_KEY (never sent anywhere)."""
    secret = django_settings.SECRET_KEY.encode("utf-8")
    return hmac.new(secret, b"blma-quiz-attempt-seed", hashlib.sha256).digest()


class QuizBlock(BlmaBlockMixin, StudioEditableMixin, XBlock):
    """An end-of-phase quiz: a bank, N drawn per attempt, attempts, pass mark, due date, time limit."""

    has_score = True
    icon_class = "problem"

    display_name = String(display_name=_("Display name"), default="End-of-phase assessment", scope=Scope.settings)
    phase = String(display_name=_("Phase"), default="pre_course", values=list(PHASE_KINDS), scope=Scope.settings)
    weight = Float(display_name=_("Weight"), default=1.0, scope=Scope.settings)
    questions_per_attempt = Integer(display_name=_("Questions per attempt"), help=_("0 = the whole bank"),
                                    default=0, scope=Scope.settings)
    # not max_attempts: in the LMS that name inherits the course's "Maximum Attempts" (meant for problems);
    # the quiz's limit is part of the certificate rule, so it is the quiz's own and never inherited
    attempts_allowed = Integer(display_name=_("Maximum attempts"), help=_("0 = unlimited"), default=2,
                               scope=Scope.settings)
    pass_mark = Integer(display_name=_("Pass mark (%)"), default=70, scope=Scope.settings)
    grading = String(display_name=_("Grade"), default=rules.BEST, values=[rules.BEST, rules.LAST],
                     scope=Scope.settings)
    # not "due": the LMS mixes an inherited `due` into every block (and the workbench patches it)
    due_date = String(display_name=_("Due date"),
                      help=_("ISO date and time with offset, e.g. 2026-05-01T23:59:00+02:00"),
                 default="", scope=Scope.settings)
    open_date = String(display_name=_("Opening date"),
                       help=_("ISO date and time with offset; empty = the start of the quiz's phase"),
                       default="", scope=Scope.settings)
    time_limit = Integer(display_name=_("Time limit (minutes)"), help=_("0 = none"), default=0,
                         scope=Scope.settings)
    reveal = String(display_name=_("Show correct answers"), default=rules.REVEAL_AFTER_LAST_OR_PASS,
                    values=list(rules.REVEAL_RULES), scope=Scope.settings)
    title = Dict(display_name=_("Title"), default=bilingual(), scope=Scope.content)
    intro = Dict(display_name=_("Introduction"), help=_("HTML"), default=bilingual(), scope=Scope.content)
    questions = List(display_name=_("Questions"), default=[], scope=Scope.content)

    # -- rules -----------------------------------------------------------------------
    def max_score(self):
        """Grades are published as a percentage (raw, unweighted: the LMS applies `weight`)."""
        return 100

    def values(self):
        return {name: getattr(self, name) for name in ATTRIBUTES + ("title", "intro", "questions")}

    @property
    def block_key(self):
        return str(self.scope_ids.usage_id)

    def bank(self):
        """The questions as core objects; built once per request (a List field read deep-copies)."""
        cached = getattr(self, "_bank", None)
        if cached is None or cached[0] is not self._field_data_cache.get("questions"):
            questions = self.questions
            cached = (self._field_data_cache.get("questions"),
                      {data.get("id"): rules.question_from_data(data) for data in questions})
            self._bank = cached
        return cached[1]

    def due_at(self):
        try:
            return parse_datetime(self.due_date) if self.due_date else None
        except ValueError:
            return None

    def opens_at(self):
        """When attempts may start: the opening date, else local midnight of the phase's start, else now."""
        if self.open_date:
            try:
                return parse_datetime(self.open_date)
            except ValueError:
                return None
        return storage.phase_opening(self.course_run, self.phase)

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
        The attempt and the ledger are written in one transaction: one commit per submission.
        """
        bank = self.bank()
        drawn = [bank[qid] for qid in attempt.question_ids if qid in bank]
        answers = {qid: answer for qid, answer in (answers or {}).items() if qid in bank}
        result = rules.score_attempt(drawn, answers)
        with transaction.atomic():
            won = storage.submit_attempt(attempt.pk, answers, result.earned, result.possible, result.percent,
                                         moment, {r.question_id: r.earned for r in result.results})
            if not won:
                return False
            percents = [a.percent for a in earlier if a.submitted_at is not None and a.pk != attempt.pk]
            final = rules.final_score(percents + [result.percent], self.grading)
            passed = final >= self.pass_mark
            storage.record_result(self.course_run, self.block_key, self.learner_id, phase=self.phase, kind="quiz",
                                  score=final, max_score=self.max_score(), passed=passed)
        self.runtime.publish(self, "grade", {"value": final, "max_value": self.max_score()})
        return True

    # -- learner view ------------------------------------------------------------------
    def student_view(self, context=None):  # pylint: disable=unused-argument
        attempts = self.state()
        submitted = [a for a in attempts if a.submitted_at is not None]
        open_attempt = attempts[-1] if attempts and attempts[-1].submitted_at is None else None
        final = rules.final_score([a.percent for a in submitted], self.grading)
        moment = now()
        due = self.due_at()
        opens = self.opens_at()
        left = rules.attempts_left(self.attempts_allowed, len(attempts))
        not_yet = opens is not None and moment < opens
        context = {
            "title": self.localized(self.title),
            "intro_html": clean(self.localized(self.intro).text),
            "rules": self.rules_text(),
            "final": final,
            "passed": final is not None and final >= self.pass_mark,
            "pass_mark": self.pass_mark,
            "attempts_used": len(attempts),
            "attempts_left": left,
            "unlimited": left is None,
            "can_start": (open_attempt is None and (left is None or left > 0) and (due is None or moment <= due)
                          and not not_yet),
            "opens_on": self.local_date(opens) if not_yet else None,
            "reveal_rule": self.gettext(rules.REVEAL_EXPLAINED[self.reveal]) if self.reveal in rules.REVEAL_EXPLAINED
            else "",
            "next_number": len(attempts) + 1,
            "past_due": due is not None and moment > due,
            "open": self.open_context(open_attempt, moment) if open_attempt else None,
            "last": self.feedback_context(submitted[-1], len(attempts), final) if submitted else None,
            "staff": self.staff_context() if self.is_staff else None,
        }
        return self.render_view("quiz.html", context, js="quiz.js", init="BlmaQuiz")

    def local_date(self, moment):
        """A moment as the learner reads it: the course time zone, the learner's language."""
        from django.utils import formats  # pylint: disable=import-outside-toplevel
        from django.utils.timezone import localtime
        return formats.date_format(localtime(moment), "j F Y H:i")

    def rules_text(self):
        g = self.gettext
        parts = []
        count = self.questions_per_attempt or len(self.questions)
        parts.append(self.ngettext("{count} question", "{count} questions", count).format(count=count))
        if self.time_limit:
            parts.append(g("{minutes} minutes per attempt").format(minutes=self.time_limit))
        if self.attempts_allowed:
            parts.append(self.ngettext("{count} attempt", "{count} attempts", self.attempts_allowed).format(
                count=self.attempts_allowed))
        else:
            parts.append(g("unlimited attempts"))
        parts.append(g("the best attempt counts") if self.grading == rules.BEST else g("the last attempt counts"))
        parts.append(g("pass mark {mark} %").format(mark=self.pass_mark))
        return " · ".join(parts)

    def open_context(self, attempt, moment):
        bank = self.bank()
        seed = self.seed(attempt)
        limit = self.deadline(attempt)
        return {
            "number": attempt.number,
            "deadline": limit,
            "seconds_left": max(0, int((limit - moment).total_seconds())) if limit else None,
            "questions": [self.question_context(bank[qid], seed, attempt.answers.get(qid), i)
                          for i, qid in enumerate(attempt.question_ids, 1) if qid in bank],
        }

    def question_context(self, question, seed, saved, number):
        """What the learner's browser gets for a question: text and tokens, nothing about correctness."""
        order = rules.option_order(question, seed)
        options = {o.id: o for o in question.options}
        tok = lambda option_id, side="l": rules.token(seed, question.id, option_id, side)  # noqa: E731
        context = {
            "token": rules.question_token(seed, question.id),
            "id": question.id,
            "number": number,
            "kind": question.kind,
            "stem": self.localized(question.stem),
            "points": question.points,
            "options": [{"token": tok(i), "text": self.localized(options[i].text)} for i in order],
        }
        if question.kind in (rules.SINGLE, rules.TRUE_FALSE):
            context["chosen"] = tok(saved) if saved else ""
        elif question.kind == rules.MULTIPLE:
            context["chosen"] = [tok(i) for i in saved or []]
        elif question.kind == rules.ORDERING:
            positions = {i: n for n, i in enumerate(saved or [], 1)}
            context["positions"] = list(range(1, len(order) + 1))
            for option in context["options"]:
                option_id = next(i for i in order if tok(i) == option["token"])
                option["position"] = positions.get(option_id, 0)
        elif question.kind == rules.MATCHING:
            rights = sorted(order, key=lambda i: tok(i, "r"))
            context["rights"] = [{"token": tok(i, "r"), "text": self.localized(options[i].match)} for i in rights]
            for option in context["options"]:
                option_id = next(i for i in order if tok(i) == option["token"])
                paired = (saved or {}).get(option_id)
                option["paired"] = tok(paired, "r") if paired else ""
        return context

    def feedback_context(self, attempt, used, final):
        """After an attempt: the score; feedback on each question only once the reveal rule allows it.

        Per-question correctness and option feedback tell the answers as surely as the key does, so
        they follow the same rule (before, a failed first attempt showed them and second-attempt
        scores on repeated questions doubled).
        """
        bank = self.bank()
        passed = final is not None and final >= self.pass_mark
        reveal = rules.may_reveal(self.reveal, submitted=True, attempts_used=used, max_attempts=self.attempts_allowed,
                                  passed=passed, now=now(), due=self.due_at())
        items = []
        for qid in attempt.question_ids if reveal else ():
            question = bank.get(qid)
            if question is None:
                continue
            earned = attempt.results.get(qid, 0)
            answer = attempt.answers.get(qid)
            chosen = [answer] if isinstance(answer, str) else list(answer or []) if isinstance(answer, list) else []
            options = {o.id: o for o in question.options}
            items.append({
                "stem": self.localized(question.stem),
                "earned": earned,
                "points": question.points,
                "correct": earned >= question.points,
                "partly": 0 < earned < question.points,
                "chosen": [{"text": self.localized(options[c].text),
                            "feedback": self.localized(options[c].feedback) if options[c].feedback else None}
                           for c in chosen if c in options],
                "general": self.localized(question.feedback) if question.feedback else None,
                "answer": self.correct_answer(question),
            })
        return {"number": attempt.number, "percent": attempt.percent, "passed": attempt.percent >= self.pass_mark,
                "items": items, "revealed": reveal}

    def correct_answer(self, question):
        if question.kind == rules.ORDERING:
            return [self.localized(o.text).text for o in question.options]
        if question.kind == rules.MATCHING:
            return [f"{self.localized(o.text).text} → {self.localized(o.match).text}" for o in question.options]
        return [self.localized(o.text).text for o in question.options if o.correct]

    # -- learner handlers ----------------------------------------------------------------
    def open_attempt_or_fail(self):
        """(open attempt, all current attempts); a late one is closed by the caller."""
        attempts = storage.attempts(self.block_key, self.learner_id)
        if not attempts or attempts[-1].submitted_at is not None:
            self.fail(409, "There is no attempt in progress. Start a new attempt first.")
        return attempts[-1], attempts

    def checked_answers(self, attempt, raw):
        """Browser answers (tokens) -> option ids, checked against the drawn questions; 400 otherwise."""
        if not isinstance(raw, dict):
            self.fail(400, "Answers must be an object keyed by question.")
        bank = self.bank()
        seed = self.seed(attempt)
        by_token = {rules.question_token(seed, qid): qid for qid in attempt.question_ids if qid in bank}
        answers = {}
        for key, value in raw.items():
            qid = by_token.get(key)
            if qid is None:
                self.fail(400, "Unknown question.")
            try:
                answers[qid] = rules.check_answer(bank[qid], rules.answer_from_browser(bank[qid], seed, value))
            except rules.AnswerError as error:
                self.fail(400, error.message, **dict(error.params, question=attempt.question_ids.index(qid) + 1))
        return answers

    @handler(fields=())
    def start_attempt(self, data, suffix=""):  # pylint: disable=unused-argument
        self.remember_learner()
        for _race in range(3):  # a parallel start that wins a slot or number: look again
            attempts = self.state()
            if attempts and attempts[-1].submitted_at is None:
                return {"number": attempts[-1].number, "resumed": True}
            self.check_can_start(len(attempts))
            number = storage.next_attempt_number(self.block_key, self.learner_id)
            drawn = rules.draw(list(self.bank()), self.questions_per_attempt, self.seed_of(number))
            attempt = storage.start_attempt(self.course_run, self.block_key, self.learner_id, len(attempts) + 1,
                                            number, drawn, now())
            if attempt is not None:
                return {"number": attempt.number, "resumed": False}
        return self.fail(409, "Another request is starting an attempt; reload the page.")

    def check_can_start(self, used):
        """409 unless a new attempt may start now (attempts left, open, not past due)."""
        if self.attempts_allowed and used >= self.attempts_allowed:
            self.fail(409, "You have used all your attempts.")
        opens = self.opens_at()
        if opens is not None and now() < opens:
            self.fail(409, "This quiz opens on {date}.", date=self.local_date(opens))
        due = self.due_at()
        if due is not None and now() > due:
            self.fail(409, "The due date has passed.")

    @handler(fields=("answers",))
    def save_answers(self, data, suffix=""):  # pylint: disable=unused-argument
        attempt, attempts = self.open_attempt_or_fail()
        if self.is_late(attempt, now()):
            self.grade(attempt, attempt.answers, self.deadline(attempt), attempts)
            self.fail(409, "The time for this attempt is over; your saved answers were graded.")
        answers = dict(attempt.answers)
        answers.update(self.checked_answers(attempt, data.get("answers", {})))
        answers = {qid: a for qid, a in answers.items() if a is not None}
        if len(repr(answers)) > MAX_ANSWER_BYTES:
            self.fail(413, "The answers are too large.")
        if not storage.save_answers(attempt.pk, answers):
            self.fail(409, "This attempt was already submitted.")
        return {"saved": len(answers), "message": self.gettext("Answers saved.")}

    @handler(fields=("answers",))
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        attempt, attempts = self.open_attempt_or_fail()
        moment = now()
        if self.is_late(attempt, moment):
            self.grade(attempt, attempt.answers, self.deadline(attempt), attempts)
            self.fail(409, "The time for this attempt is over; your saved answers were graded.")
        answers = dict(attempt.answers)
        answers.update(self.checked_answers(attempt, data.get("answers", {})))
        answers = {qid: a for qid, a in answers.items() if a is not None}
        if not self.grade(attempt, answers, moment, attempts):
            self.fail(409, "This attempt was already submitted.")
        return {"submitted": True, "message": self.gettext("Your answers were submitted.")}

    # -- tutor view and handlers ----------------------------------------------------------------
    def analysis(self):
        """(item stats, per-learner summaries) from one query of the quiz's attempts."""
        rows = storage.quiz_attempt_rows(self.block_key)
        graded = {}
        summaries = {}
        for row in rows:
            summary = summaries.setdefault(row["learner_id"], {"learner_id": row["learner_id"], "attempts": 0,
                                                                "percents": [], "open": False})
            summary["attempts"] += 1
            if row["submitted_at"] is None:
                summary["open"] = True
                continue
            summary["percents"].append(row["percent"])
            graded[row["learner_id"]] = row  # rows are ordered by number: the last one stays
        bank = self.bank()
        responses = []
        for learner_id, row in graded.items():
            for qid in row["question_ids"]:
                question = bank.get(qid)
                if question is None:
                    continue
                answer = row["answers"].get(qid)
                chosen = [answer] if isinstance(answer, str) else answer if isinstance(answer, list) else []
                if question.kind in (rules.ORDERING, rules.MATCHING):
                    chosen = []
                earned = row["results"].get(qid, 0)
                responses.append((learner_id, qid, earned >= question.points, chosen, row["percent"]))
        stats = rules.item_analysis(responses, [q.get("id") for q in self.questions])
        for summary in summaries.values():
            summary["final"] = rules.final_score(summary["percents"], self.grading)
        return stats, sorted(summaries.values(), key=lambda s: s["learner_id"])

    def staff_context(self):
        stats, learners = self.analysis()
        bank = self.bank()
        resets = storage.quiz_resets(self.block_key)[:20]
        names = tutor.learner_names(self, [s["learner_id"] for s in learners] + [r["learner_id"] for r in resets])
        items = []
        for stat in stats:
            question = bank[stat.question_id]
            options = [{"text": self.localized(o.text).text, "count": stat.option_counts.get(o.id, 0),
                        "share": round(100 * stat.option_counts.get(o.id, 0) / stat.responses) if stat.responses
                        else 0} for o in question.options] if question.kind in (rules.SINGLE, rules.MULTIPLE,
                                                                                  rules.TRUE_FALSE) else []
            items.append({"id": stat.question_id, "stem": self.localized(question.stem).text,
                          "responses": stat.responses, "percent": stat.percent_correct,
                          "discrimination": stat.discrimination, "options": options})
        return {
            "items": items,
            "learners": [dict(s, name=names[s["learner_id"]].label) for s in learners],
            "resets": [dict(r, name=names[r["learner_id"]].label) for r in resets],
            "results_csv": self.runtime.handler_url(self, "export_results"),
            "items_csv": self.runtime.handler_url(self, "export_items"),
        }

    @handler(role="staff", fields=("learner_id",))
    def reset_attempts(self, data, suffix=""):  # pylint: disable=unused-argument
        learner_id = data.get("learner_id")
        if not isinstance(learner_id, str) or not learner_id:
            self.fail(400, "Say whose attempts to reset.")
        if not any(r["learner_id"] == learner_id for r in storage.quiz_attempt_rows(self.block_key)):
            self.fail(404, "This learner has no attempt at this quiz.")
        tutor = self._user_attrs().get("edx-platform.username") or "staff"
        count = storage.reset_attempts(self.course_run, self.block_key, learner_id, tutor)
        return {"reset": count, "message": self.ngettext("{count} attempt reset.", "{count} attempts reset.",
                                                         count).format(count=count)}

    @download(role="staff")
    def export_results(self, request, suffix=""):  # pylint: disable=unused-argument
        _stats, learners = self.analysis()
        names = tutor.learner_names(self, [s["learner_id"] for s in learners])
        g = self.gettext
        return tutor.csv_response(
            "quiz-results.csv",
            [g("Full name"), g("Username"), g("Anonymous id"), g("Attempts"), g("Final score (%)"), g("Passed")],
            [[names[s["learner_id"]].full_name, names[s["learner_id"]].username, s["learner_id"], s["attempts"],
              s["final"], "" if s["final"] is None else s["final"] >= self.pass_mark] for s in learners])

    @download(role="staff")
    def export_items(self, request, suffix=""):  # pylint: disable=unused-argument
        stats, _learners = self.analysis()
        g = self.gettext
        return tutor.csv_response("quiz-item-analysis.csv",
                                 [g("Question"), g("Responses"), g("Correct (%)"), g("Discrimination"),
                                  g("Options chosen")],
                                 [[s.question_id, s.responses, s.percent_correct, s.discrimination,
                                   " ".join(f"{k}:{v}" for k, v in sorted(s.option_counts.items()))] for s in stats])

    # -- Studio --------------------------------------------------------------------------------
    def studio_rows(self):
        g = self.gettext
        return [
            self.row("phase", g("Phase"), "select", self.phase,
                     options=[(k, g(PHASE_KIND_LABELS[k])) for k in PHASE_KINDS]),
            self.row("title", g("Title"), "pair", self.title),
            self.row("intro", g("Introduction (HTML)"), "pair-html", self.intro),
            self.row("questions_per_attempt", g("Questions per attempt (0 = the whole bank)"), "number",
                     self.questions_per_attempt),
            self.row("attempts_allowed", g("Maximum attempts (0 = unlimited)"), "number", self.attempts_allowed),
            self.row("pass_mark", g("Pass mark (%)"), "number", self.pass_mark),
            self.row("grading", g("Grade"), "select", self.grading,
                     options=[(rules.BEST, g("Best attempt")), (rules.LAST, g("Last attempt"))]),
            self.row("open_date", g("Opening date (e.g. 2026-05-04T00:00:00+02:00; empty = the phase's start)"), "text",
                     self.open_date),
            self.row("due_date", g("Due date (e.g. 2026-05-01T23:59:00+02:00)"), "text", self.due_date),
            self.row("time_limit", g("Time limit in minutes (0 = none)"), "number", self.time_limit),
            self.row("reveal", g("Show correct answers"), "select", self.reveal,
                     options=[(r, g(REVEAL_LABELS[r])) for r in rules.REVEAL_RULES]),
            self.row("weight", g("Weight"), "text", self.weight),
            self.row("questions", g("Questions (OLX <question> elements, English and French inside each)"),
                     "lines", questions_olx(self.questions)),
        ]

    def values_from_studio(self, data):
        values = {"phase": self.text_from(data, "phase", self.phase),
                  "grading": self.text_from(data, "grading", self.grading),
                  "reveal": self.text_from(data, "reveal", self.reveal),
                  "open_date": self.text_from(data, "open_date", self.open_date),
                  "due_date": self.text_from(data, "due_date", self.due_date)}
        for name in INT_ATTRIBUTES:
            raw = self.text_from(data, name, str(getattr(self, name)))
            values[name] = int(raw) if raw.isdigit() else -1
        try:
            values["weight"] = float(self.text_from(data, "weight", str(self.weight)).replace(",", "."))
        except ValueError:
            values["weight"] = None  # check_quiz says what a weight must be
        values["title"] = self.bilingual_from(data, "title")
        values["intro"] = self.bilingual_from(data, "intro", html=True)
        raw = data.get("questions", "")
        if not isinstance(raw, str):
            raise ValueError("questions")
        try:
            values["questions"] = parse_questions(etree.fromstring(f"<questions>{raw}</questions>"))
        except etree.XMLSyntaxError as exc:
            self.fail(400, "The questions are not valid XML: {detail}", detail=exc.msg)
        except OlxError as exc:
            self.fail(400, "Questions, line {line}: {message}", line=exc.line or 1, message=exc.render(self.gettext))
        return values

    @staticmethod
    def check_values(values):
        return check_quiz(values)

    def validate(self):
        validation = super().validate() if hasattr(super(), "validate") else Validation(self.scope_ids.usage_id)
        return self.validation_messages(check_quiz(self.values()), validation)

    # -- OLX ----------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        check_attributes(node, ATTRIBUTES + tuple(LEGACY_ATTRIBUTES))
        for name in ("phase", "grading", "open_date", "due_date", "reveal"):
            if node.get(name) is not None:
                setattr(block, name, node.get(name).strip())
        for name in INT_ATTRIBUTES:
            source = carrier(node, name, LEGACY_ATTRIBUTES)
            if node.get(source) is not None:
                setattr(block, name, int_attribute(node, source))
        if node.get("weight") is not None:
            try:
                block.weight = float(node.get("weight"))
            except ValueError:
                raise OlxError(N_("Attribute \"{name}\" must be a number, not \"{value}\"."), node.sourceline,
                               name="weight", value=node.get("weight")) from None
        if node.get("display_name") is not None:
            block.display_name = node.get("display_name")
        others = []
        for child in elements(node):
            tag = tag_of(child)
            if tag == "title":
                block.title = read_bilingual(child)
            elif tag == "intro":
                block.intro = read_bilingual(child, html=True)
            elif tag == "question":
                others.append(child)
            else:
                raise unknown_element(child, "blma_quiz")
        block.questions = parse_questions(others)
        return block

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        for name in ATTRIBUTES:
            node.set(name, str(getattr(self, name)))
        if self.fields["display_name"].is_set_on(self):
            node.set("display_name", self.display_name)
        write_bilingual(node, "title", self.title)
        write_bilingual(node, "intro", self.intro, html=True)
        for data in self.questions:
            node.append(question_node(data))


QUESTION_ATTRIBUTES = ("id", "type", "points", "partial_credit", "module")


def parse_questions(nodes):
    """Questions from <question> elements (stored as plain dicts in the block)."""
    questions = []
    for node in nodes:
        if tag_of(node) != "question":
            raise unknown_element(node, "questions")
        check_attributes(node, QUESTION_ATTRIBUTES)
        data = {"id": (node.get("id") or "").strip(), "kind": (node.get("type") or "").strip(),
                "points": int_attribute(node, "points", 1),
                "partial_credit": (node.get("partial_credit") or "false").strip().lower() == "true",
                "module": (node.get("module") or "").strip(), "stem": bilingual(), "feedback": {}, "options": []}
        for child in elements(node):
            tag = tag_of(child)
            if tag == "stem":
                data["stem"] = read_bilingual(child)
            elif tag == "feedback":
                data["feedback"] = read_bilingual(child)
            elif tag == "option":
                data["options"].append(parse_option(child))
            else:
                raise unknown_element(child, "question")
        questions.append(data)
    return questions


def parse_option(node):
    check_attributes(node, ("id", "correct"))
    option = {"id": (node.get("id") or "").strip(), "correct": (node.get("correct") or "").lower() == "true",
              "text": bilingual(), "feedback": {}, "match": {}}
    for child in elements(node):
        tag = tag_of(child)
        if tag in ("text", "feedback", "match"):
            option[tag] = read_bilingual(child)
        else:
            raise unknown_element(child, "option")
    return option


def question_node(data):
    node = etree.Element("question", id=data.get("id", ""), type=data.get("kind", ""),
                         points=str(data.get("points", 1)))
    if data.get("partial_credit"):
        node.set("partial_credit", "true")
    if data.get("module"):
        node.set("module", data["module"])
    write_bilingual(node, "stem", data.get("stem"))
    for option in data.get("options") or []:
        child = etree.SubElement(node, "option", id=option.get("id", ""))
        if option.get("correct"):
            child.set("correct", "true")
        write_bilingual(child, "text", option.get("text"))
        for extra in ("feedback", "match"):
            if any((option.get(extra) or {}).get(lang) for lang in LANGUAGES):
                write_bilingual(child, extra, option.get(extra))
    if any((data.get("feedback") or {}).get(lang) for lang in LANGUAGES):
        write_bilingual(node, "feedback", data.get("feedback"))
    return node


def questions_olx(questions):
    return "\n".join(etree.tostring(question_node(d), encoding="unicode", pretty_print=True) for d in questions)

