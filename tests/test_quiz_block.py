"""blma_quiz through the workbench runtime: attempts, saving, grading, rules, leaks, tutors."""
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import translation
from django.test.utils import CaptureQueriesContext
from lxml import etree
from xblock.fields import Scope

from blma_xblocks.models import QuizAttempt, QuizReset, Result
from blma_xblocks.quiz_parts.bank import Questions

from .conftest import call, render

pytestmark = pytest.mark.django_db

QUIZ = """
<blma_quiz phase="pre_course" questions_per_attempt="{n}" attempts_allowed="{attempts}" pass_mark="60" grading="best"
           due_date="{due}" time_limit="{limit}" reveal="{reveal}" weight="1">
  <title><en>Check</en><fr>Contrôle</fr></title>
  <intro><en><![CDATA[<p>Intro</p>]]></en><fr><![CDATA[<p>Intro FR</p>]]></fr></intro>
  <question id="qsingle" type="single" points="1">
    <stem><en>Which year?</en><fr>Quelle année ?</fr></stem>
    <option id="secretright" correct="true"><text><en>1949</en><fr>1949</fr></text>
      <feedback><en>FBRIGHT yes</en><fr>FBRIGHT oui</fr></feedback></option>
    <option id="secretwrong"><text><en>1975</en><fr>1975</fr></text>
      <feedback><en>FBWRONG no</en><fr>FBWRONG non</fr></feedback></option>
    <feedback><en>GENERALFB</en><fr>GENERALFB</fr></feedback>
  </question>
  <question id="qmulti" type="multiple" points="2" partial_credit="true">
    <stem><en>Pick two</en><fr>Deux</fr></stem>
    <option id="ma" correct="true"><text><en>A</en><fr>A</fr></text></option>
    <option id="mb" correct="true"><text><en>B</en><fr>B</fr></text></option>
    <option id="mc"><text><en>C</en><fr>C</fr></text></option>
  </question>
  <question id="qtf" type="true_false" points="1">
    <stem><en>True?</en><fr>Vrai ?</fr></stem>
    <option id="true" correct="true"><text><en>True</en><fr>Vrai</fr></text></option>
    <option id="false"><text><en>False</en><fr>Faux</fr></text></option>
  </question>
  <question id="qorder" type="ordering" points="2">
    <stem><en>Order</en><fr>Ordre</fr></stem>
    <option id="step1"><text><en>Prepare</en><fr>Préparer</fr></text></option>
    <option id="step2"><text><en>Negotiate</en><fr>Négocier</fr></text></option>
    <option id="step3"><text><en>Implement</en><fr>Mettre en œuvre</fr></text></option>
  </question>
  <question id="qmatch" type="matching" points="3" partial_credit="true">
    <stem><en>Match</en><fr>Associer</fr></stem>
    <option id="conv97"><text><en>C97</en><fr>C97</fr></text>
      <match><en>Migration for employment</en><fr>Migrations</fr></match></option>
    <option id="conv143"><text><en>C143</en><fr>C143</fr></text>
      <match><en>Supplementary</en><fr>Complémentaire</fr></match></option>
    <option id="conv189"><text><en>C189</en><fr>C189</fr></text>
      <match><en>Domestic work</en><fr>Domestique</fr></match></option>
  </question>
</blma_quiz>"""


@pytest.fixture(autouse=True)
def clock(settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"
    return settings


@pytest.fixture
def quiz(load):
    def make(n=0, attempts=2, due_date="2026-05-01T23:59:00+02:00", limit=45, reveal="after_last_or_pass"):
        return load(QUIZ.format(n=n, attempts=attempts, due=due_date, limit=limit, reveal=reveal))
    return make


def tokens(block):
    """The question tokens and option tokens the browser got, per question kind."""
    html = render(block)
    found = {}
    for match in re.finditer(r'data-question="(q\w+)" data-kind="(\w+)"', html):
        found[match.group(2)] = match.group(1)
    return html, found


def form(block, html, kind):
    """Option tokens of one question, in page order (inputs or selects)."""
    section = html.split(f'data-kind="{kind}"')[1].split("</fieldset>")[0]
    return section


def right_answers(block):
    """Build a fully correct browser answer from the page and the block's own bank (as a test oracle)."""
    from blma_xblocks.core import quiz as rules
    attempt = QuizAttempt.objects.filter(block_id=str(block.scope_ids.usage_id), submitted_at__isnull=True).get()
    seed = block.seed(attempt)
    bank = block.bank()
    answers = {}
    for qid in attempt.question_ids:
        q = bank[qid]

        def tok(oid, side="l"):
            return rules.token(seed, qid, oid, side)

        key = rules.question_token(seed, qid)
        if q.kind in ("single", "true_false"):
            answers[key] = tok(q.correct_ids[0])
        elif q.kind == "multiple":
            answers[key] = [tok(i) for i in q.correct_ids]
        elif q.kind == "ordering":
            answers[key] = [tok(i) for i in q.option_ids]
        else:
            answers[key] = {tok(i): tok(i, "r") for i in q.option_ids}
    return answers


def test_learner_starts_saves_resumes_and_submits(quiz, as_user):
    block = quiz()
    assert "Start attempt 1" in render(block)
    assert call(block, "start_attempt")[0] == 200
    html, keys = tokens(block)
    assert set(keys) == {"single", "multiple", "true_false", "ordering", "matching"}
    good = right_answers(block)
    single_key = keys["single"]
    status, body = call(block, "save_answers", {"answers": {single_key: good[single_key]}})
    assert status == 200 and body["saved"] == 1
    # reload, or another device: the saved answer is checked again
    assert f'value="{good[single_key]}" checked' in render(as_user(block, "learner1"))
    status, body = call(block, "submit", {"answers": good})
    assert status == 200 and body["submitted"]
    result = Result.objects.get()
    assert (result.score, result.max_score, result.passed, result.kind, result.phase) == (100.0, 100, True, "quiz",
                                                                                          "pre_course")
    html = render(block)
    assert "Your score: 100 %" in html and "passed" in html
    assert "FBRIGHT yes" in html and "Correct answer:" in html  # passed: answers revealed


def partly_right(block):
    call(block, "start_attempt")
    good = right_answers(block)
    _html, keys = tokens(block)
    call(block, "submit", {"answers": {keys["single"]: good[keys["single"]],
                                       keys["multiple"]: good[keys["multiple"]][:1]}})


def test_partial_and_wrong_answers_are_scored_on_the_server_and_shown_when_the_rule_says(quiz):
    block = quiz(reveal="after_attempt")
    partly_right(block)
    attempt = QuizAttempt.objects.get()
    assert attempt.earned == 2 and attempt.possible == 9 and attempt.percent == 22.22
    html = render(block)
    assert "Partly correct" in html and "Incorrect" in html and "not passed yet" in html
    assert "FBRIGHT yes" in html and "Correct answer:" in html


def test_before_the_reveal_rule_allows_it_no_question_says_right_or_wrong(quiz):
    """The page says feedback comes once you pass or use your last attempt: it must not come before."""
    block = quiz(reveal="after_last_or_pass")
    partly_right(block)
    html = render(block)
    assert "not passed yet" in html and "Your score: 22.22 %" in html
    for leak in ("Partly correct", "Incorrect", "Correct answer:", "FBRIGHT", "FBWRONG", "GENERALFB", "Your answer:"):
        assert leak not in html, leak
    rule = "once you have passed (a pass ends your attempts) or used your last attempt"
    assert html.count(rule) == 2  # the rule, and under the score
    call(block, "start_attempt")
    call(block, "submit", {"answers": {}})  # last attempt used: now everything shows
    html = render(block)
    assert "Incorrect" in html and "Correct answer:" in html and "GENERALFB" in html


def test_grade_is_published_raw_as_a_percentage(quiz, monkeypatch):
    block = quiz()
    events = []
    monkeypatch.setattr(block.runtime, "publish", lambda b, name, data: events.append((name, data)))
    call(block, "start_attempt")
    call(block, "submit", {"answers": right_answers(block)})
    assert events == [("grade", {"value": 100.0, "max_value": 100})]
    assert block.max_score() == 100 and block.has_score and block.weight == 1


def test_a_replayed_submit_is_refused_and_changes_nothing(quiz):
    block = quiz()
    call(block, "start_attempt")
    good = right_answers(block)
    call(block, "submit", {"answers": good})
    status, body = call(block, "submit", {"answers": {}})
    assert status == 409 and "no attempt in progress" in body["error"]
    status, _ = call(block, "save_answers", {"answers": good})
    assert status == 409
    assert QuizAttempt.objects.get().percent == 100.0


@pytest.mark.parametrize("payload,status,fragment", [
    ({"answers": {"qnope": "x"}}, 400, "Unknown question"),
    ({"answers": [1, 2]}, 400, 'Field "answers" must be an object'),
    ({"answers": {}, "score": 100}, 400, 'Unexpected field "score"'),
    ("a string", 400, "must be a JSON object"),
])
def test_bad_answers_are_refused_and_saved_answers_kept(quiz, payload, status, fragment):
    block = quiz()
    call(block, "start_attempt")
    good = right_answers(block)
    _html, keys = tokens(block)
    call(block, "save_answers", {"answers": {keys["single"]: good[keys["single"]]}})
    got, body = call(block, "save_answers", payload)
    assert got == status and fragment in body["error"], body
    assert len(QuizAttempt.objects.get().answers) == 1


@pytest.mark.parametrize("kind,value", [("single", "onotatoken"), ("single", ["x"]), ("multiple", "x"),
                                        ("ordering", ["x"]), ("matching", {"a": "b"}), ("true_false", 5)])
def test_wrong_types_and_unknown_options_are_a_400_naming_the_question(quiz, kind, value):
    block = quiz()
    call(block, "start_attempt")
    _html, keys = tokens(block)
    status, body = call(block, "save_answers", {"answers": {keys[kind]: value}})
    assert status == 400 and body["error"].startswith("Question ")


def test_french_messages(quiz):
    from django.utils import translation
    block = quiz()
    with translation.override("fr"):
        call(block, "start_attempt")
        status, body = call(block, "save_answers", {"answers": [], "x": 1})
    assert status == 400 and body["error"] == "Champ inattendu « x »."
    html = render(block, lang="fr")
    assert "Soumettre mes réponses" in html and "Submit my answers" not in html


def test_attempt_limit_and_due_date_are_enforced_on_the_server(quiz, clock):
    block = quiz(attempts=1)
    call(block, "start_attempt")
    call(block, "submit", {"answers": {}})
    status, body = call(block, "start_attempt")
    assert status == 409 and "used all your attempts" in body["error"]
    late = quiz(due_date="2026-04-19T23:00:00+02:00")
    status, body = call(late, "start_attempt")
    assert status == 409 and "due date has passed" in body["error"]


def test_time_limit_closes_the_attempt_with_the_answers_saved_in_time(quiz, clock):
    block = quiz(limit=30)
    call(block, "start_attempt")
    good = right_answers(block)
    _html, keys = tokens(block)
    call(block, "save_answers", {"answers": {keys["single"]: good[keys["single"]]}})
    clock.BLMA_NOW = "2026-04-20T09:31:00+02:00"  # 31 minutes later, past the 30 s grace
    status, body = call(block, "submit", {"answers": good})
    assert status == 409 and "time for this attempt is over" in body["error"]
    attempt = QuizAttempt.objects.get()
    assert attempt.earned == 1  # only what was saved before the deadline counts
    assert attempt.submitted_at.isoformat().startswith("2026-04-20T07:30")


def test_an_open_attempt_past_due_is_graded_when_next_viewed(quiz, clock):
    block = quiz(limit=10)
    call(block, "start_attempt")
    clock.BLMA_NOW = "2026-04-20T12:00:00+02:00"
    assert "Your score: 0 %" in render(block)
    assert QuizAttempt.objects.get().submitted_at is not None


def test_draw_is_stable_for_a_learner_and_differs_between_learners(quiz, as_user):
    block = quiz(n=3)
    call(block, "start_attempt")
    first = QuizAttempt.objects.get().question_ids
    assert len(first) == 3
    assert call(block, "start_attempt")[1] == {"number": 1, "resumed": True}
    draws = set()
    for student in ("learner2", "learner3", "tutor", "a", "b", "c"):
        other = as_user(block, student)
        call(other, "start_attempt")
        draws.add(tuple(QuizAttempt.objects.get(learner_id=other.learner_id).question_ids))
    assert len(draws) > 1


def test_no_correct_answer_reaches_the_browser_before_reveal(quiz, as_user):
    block = quiz(reveal="after_due")
    responses = [render(block), render(block, lang="fr"), json.dumps(call(block, "start_attempt")[1])]
    responses += [render(block), render(block, lang="fr")]
    good = right_answers(block)
    responses.append(json.dumps(call(block, "save_answers", {"answers": good})[1]))
    responses.append(json.dumps(call(block, "submit", {"answers": good})[1]))
    responses += [render(block), render(block, "student_view", "fr")]
    page = "\n".join(responses)
    for secret in ("secretright", "secretwrong", "step1", "conv97", "conv143", '"correct"', "correct=", "FBWRONG",
                   "Correct answer:"):
        assert secret not in page, secret
    # after the due date the rule allows the answers
    from django.conf import settings
    settings.BLMA_NOW = "2026-05-02T00:00:00+02:00"
    assert "Correct answer:" in render(block)


def test_tutor_sees_item_analysis_and_learners_cannot(quiz, as_user):
    block = quiz()
    for student, right in (("learner1", True), ("learner2", False), ("learner3", True)):
        mine = as_user(block, student)
        call(mine, "start_attempt")
        call(mine, "submit", {"answers": right_answers(mine) if right else {}})
    learner_html = render(block)
    assert "item analysis" not in learner_html.lower() and "learner2" not in learner_html
    tutor = as_user(block, "tutor")
    html = render(tutor)
    assert "For tutors: item analysis" in html and "learner2" in html
    status, body = call(tutor, "item_analysis")
    assert status == 200 and re.search(r"<td>3</td><td>66.67</td>", body["html"])
    assert "<caption>" in body["html"] and 'aria-hidden="true"' in body["html"]
    assert call(block, "item_analysis")[0] == 403 and call(block, "learners", {"page": 1})[0] == 403
    status, body = call(block, "reset_attempts", {"learner_id": "x"})
    assert status == 403
    for handler in ("export_results", "export_items"):
        assert call(block, handler, method="GET")[0] == 403
    status, csv_text = call(tutor, "export_results", method="GET")
    assert status == 200 and "learner2" in csv_text and "100.0" in csv_text
    assert ",100.0,Yes" in csv_text and ",0.0,No" in csv_text and "True" not in csv_text  # words, translated
    with translation.override("fr"):
        assert ",100.0,Oui" in call(tutor, "export_results", method="GET")[1]
    status, csv_text = call(tutor, "export_items", method="GET")
    # a byte order mark first, so spreadsheets read French accents as UTF-8
    assert status == 200
    assert csv_text.splitlines()[0] == "\ufeffQuestion,Responses,Correct (%),Discrimination,Options chosen"


def test_tutor_resets_a_learner_and_the_reset_is_recorded(quiz, as_user):
    block = quiz(attempts=1)
    call(block, "start_attempt")
    call(block, "submit", {"answers": {}})
    tutor = as_user(block, "tutor")
    status, body = call(tutor, "reset_attempts", {"learner_id": block.learner_id})
    assert status == 200 and body["reset"] == 1
    reset = QuizReset.objects.get()
    assert (reset.reset_by, reset.learner_id) == ("tutor", block.learner_id)
    assert Result.objects.count() == 0
    status, body = call(block, "start_attempt")
    assert status == 200 and body["number"] == 2
    assert call(tutor, "reset_attempts", {"learner_id": "nobody"})[0] == 404
    assert "reset 1 attempt(s) of learner1" in render(tutor)


def bulk_cohort(block, size, offset, with_names=True):
    """`size` learners with one graded attempt each, written directly (as a large course would have them)."""
    from blma_xblocks.models import Learner
    key = str(block.scope_ids.usage_id)
    QuizAttempt.objects.bulk_create([
        QuizAttempt(course_id=block.course_run, block_id=key, learner_id=f"l{offset + i:05d}", number=1, slot=1,
                    question_ids=["qsingle", "qmulti"], answers={"qsingle": "secretright", "qmulti": ["ma"]},
                    results={"qsingle": 1, "qmulti": 1}, percent=66.0, submitted_at="2026-04-20T10:00:00Z")
        for i in range(size)])
    if with_names:
        Learner.objects.bulk_create([Learner(course_id=block.course_run, learner_id=f"l{offset + i:05d}",
                                             username=f"user{offset + i:05d}", full_name=f"Name {offset + i:05d}",
                                             sort_key=f"name {offset + i:05d}")
                                     for i in range(size)])


def test_tutor_page_and_item_analysis_use_no_more_queries_for_1000_learners_than_for_10(quiz, as_user):
    tutor = as_user(quiz(), "tutor")
    bulk_cohort(tutor, 10, 0)
    render(tutor)  # warm the block's field cache

    def measure():
        with CaptureQueriesContext(connection) as page:
            html = render(tutor)
        with CaptureQueriesContext(connection) as items:
            status, body = call(tutor, "item_analysis")
        assert status == 200
        return html, body["html"], len(page.captured_queries), len(items.captured_queries)

    html, items_html, page_10, items_10 = measure()
    assert "Learners: 10" in html and "Name 00009 (user00009)" in html and "Page 1 of" not in html
    assert "<td>10</td><td>100.0</td>" in items_html
    bulk_cohort(tutor, 990, 10)
    html, items_html, page_1000, items_1000 = measure()
    # none per learner; 10 named learners leave the page short, so it also looks for unnamed ones
    assert (page_1000, items_1000) == (page_10 - 1, items_10)
    assert "Learners: 1000" in html and "Page 1 of 20" in html and html.count('class="blma-button blma-reset"') == 50
    assert "<td>1000</td><td>100.0</td>" in items_html


def test_tutor_pages_and_searches_the_learners(quiz, as_user):
    tutor = as_user(quiz(), "tutor")
    bulk_cohort(tutor, 120, 0)
    status, body = call(tutor, "learners", {"page": 3})
    assert status == 200 and "Page 3 of 3" in body["html"] and "Name 00119" in body["html"]
    assert "Name 00000" not in body["html"] and "Next page" not in body["html"]
    status, body = call(tutor, "learners", {"page": 1, "query": "name 0011"})
    assert "Learners: 10" in body["html"] and "Name 00110 (user00110)" in body["html"] and "Page" not in body["html"]
    status, body = call(tutor, "learners", {"page": 99, "query": "<script>"})
    assert status == 200 and "<script>" not in body["html"] and "Learners: 0" in body["html"]
    assert call(tutor, "learners", {"page": "2"})[0] == 400


def test_studio_edit_of_settings_and_questions(quiz, as_user):
    tutor = as_user(quiz(), "tutor")
    html = render(tutor, "studio_view")
    assert 'data-field="questions"' in html and "qsingle" in html
    questions = ('<question id="n1" type="single"><stem><en>S</en><fr>S</fr></stem>'
                 '<option id="a" correct="true"><text><en>A</en><fr>A</fr></text></option>'
                 '<option id="b"><text><en>B</en><fr>B</fr></text></option></question>')
    data = {"phase": "residential", "title": {"en": "T", "fr": "T"}, "intro": {"en": "", "fr": ""},
            "questions_per_attempt": "1", "attempts_allowed": "3", "pass_mark": "50", "grading": "last",
            "due_date": "", "time_limit": "0", "reveal": "never", "weight": "2", "questions": questions}
    status, body = call(tutor, "studio_submit", data)
    assert status == 200, body
    assert tutor.phase == "residential" and tutor.attempts_allowed == 3 and tutor.questions[0]["id"] == "n1"
    status, body = call(tutor, "studio_submit", dict(data, questions=questions.replace(' correct="true"', "")))
    assert status == 400 and "exactly one option must be correct" in body["error"]
    status, body = call(tutor, "studio_submit", dict(data, questions="<question"))
    assert status == 400 and "line 1: Malformed XML" in body["error"] and body["error"].startswith("Questions")
    assert tutor.questions[0]["id"] == "n1"
    assert call(as_user(tutor, "learner1"), "studio_submit", data)[0] == 403


def test_validate_flags_bank_problems(load):
    block = load("""<blma_quiz phase="pre_course" questions_per_attempt="5">
      <title><en>T</en><fr></fr></title>
      <question id="a" type="multiple"><stem><en>S</en><fr>S</fr></stem>
        <option id="x"><text><en>X</en><fr>X</fr></text></option>
        <option id="y"><text><en>Y</en><fr>Y</fr></text></option></question>
      <question id="a" type="single"><stem><en>S</en><fr>S</fr></stem>
        <option id="x" correct="true"><text><en>X</en><fr>X</fr></text></option>
        <option id="y"><text><en>Y</en><fr>Y</fr></text></option></question>
    </blma_quiz>""")
    messages = " | ".join(m.text for m in block.validate().messages)
    assert "Question a has no correct answer." in messages
    assert 'Question id "a" is used twice.' in messages
    assert "Title: the French text is missing" in messages
    assert "The bank has 2 questions, fewer than the 5 drawn per attempt." in messages


def test_olx_round_trip(quiz, load):
    block = quiz()
    node = etree.Element("root")
    block.add_xml_to_node(node)
    again = load(etree.tostring(node, encoding="unicode"))
    names = [n for n, f in block.fields.items() if f.scope in (Scope.content, Scope.settings) and n != "parent"]
    assert {n: getattr(again, n) for n in names} == {n: getattr(block, n) for n in names}
    assert len(again.questions) == 5 and again.questions[4]["options"][0]["match"]["fr"] == "Migrations"


def test_unknown_question_child_names_the_line(load):
    from blma_xblocks.olx import OlxError
    with pytest.raises(OlxError) as caught:
        load('<blma_quiz>\n<question id="a" type="single">\n<hint/></question></blma_quiz>')
    assert caught.value.line == 3 and "Unknown element <hint>" in str(caught.value)


def test_deadline_helper_stays_consistent(quiz):
    block = quiz(limit=30)
    call(block, "start_attempt")
    attempt = QuizAttempt.objects.get()
    assert block.deadline(attempt) == attempt.started_at + timedelta(minutes=30)


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_submits_of_the_last_attempt_give_one_graded_attempt(quiz, runtime_for):
    import threading
    from django.db import connection as conn
    block = quiz(attempts=1)
    call(block, "start_attempt")
    payload = {"answers": right_answers(block)}
    usage_id, results, barrier = block.scope_ids.usage_id, [], threading.Barrier(20)

    def submit():
        try:
            mine = runtime_for("learner1").get_block(usage_id)
            barrier.wait()
            results.append(call(mine, "submit", payload)[0])
        finally:
            conn.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200] + [409] * 19
    assert QuizAttempt.objects.filter(submitted_at__isnull=False).count() == 1
    assert Result.objects.count() == 1


def test_an_opening_date_is_enforced_on_the_server(load, settings):
    future = QUIZ.format(n=0, attempts=2, due="2026-05-08T23:59:00+02:00", limit=0, reveal="after_attempt").replace(
        'phase="pre_course"', 'phase="residential" open_date="2026-05-04T00:00:00+02:00"')
    block = load(future)
    html = render(block)
    assert "This quiz opens on 4 May 2026 00:00." in html and "Start attempt" not in html
    status, body = call(block, "start_attempt")
    assert status == 409 and "opens on 4 May 2026" in body["error"]
    assert not QuizAttempt.objects.exists()
    settings.TIME_ZONE = "UTC"  # the LMS's server time zone: the learner still reads Turin time
    assert "This quiz opens on 4 May 2026 00:00." in render(block)
    settings.BLMA_NOW = "2026-05-04T00:00:01+02:00"
    assert call(block, "start_attempt")[0] == 200


def test_without_an_opening_date_the_quiz_opens_with_its_phase(load, settings):
    from datetime import date
    from blma_xblocks.models import PhaseSchedule
    block = load(QUIZ.format(n=0, attempts=2, due="2026-05-08T23:59:00+02:00", limit=0, reveal="after_attempt")
                 .replace('phase="pre_course"', 'phase="residential"'))
    assert call(block, "start_attempt")[0] == 200  # no schedule known: open
    call(block, "submit", {"answers": {}})
    PhaseSchedule.objects.create(course_id=block.course_run, kind="residential", start=date(2026, 5, 4),
                                 end=date(2026, 5, 8), mode="residential")
    status, body = call(block, "start_attempt")
    assert status == 409 and "opens on 4 May 2026" in body["error"]
    settings.BLMA_NOW = "2026-05-03T23:59:59+02:00"
    assert call(block, "start_attempt")[0] == 409
    settings.BLMA_NOW = "2026-05-04T00:00:00+02:00"  # local midnight in Turin
    assert call(block, "start_attempt")[0] == 200


@pytest.mark.parametrize("weight", ["nan", "inf", "-1e400", "-5", "0", "1e308", "abc", ""])
def test_a_weight_that_is_not_a_sensible_number_is_refused(quiz, as_user, weight):
    tutor = as_user(quiz(), "tutor")
    status, body = call(tutor, "studio_submit", {"weight": weight})
    assert status == 400 and "Weight must be a number above 0 and at most 100" in body["error"], body
    assert tutor.weight == 1.0


def test_tokens_are_keyed_by_a_server_secret_not_derivable_from_ids(quiz, settings):
    """A learner knows their anonymous id, the usage id and the attempt number: that must not be enough."""
    from blma_xblocks.core import quiz as rules
    block = quiz()
    call(block, "start_attempt")
    html, keys = tokens(block)
    attempt = QuizAttempt.objects.get()
    unkeyed = rules.seed_for(block.learner_id, str(block.scope_ids.usage_id), attempt.number)
    assert rules.question_token(unkeyed, "qsingle") not in html
    for option_id in ("secretright", "secretwrong", "step1", "conv97"):
        for qid in ("qsingle", "qorder", "qmatch"):
            assert rules.token(unkeyed, qid, option_id) not in html
    assert keys["single"] == rules.question_token(block.seed(attempt), "qsingle")
    settings.SECRET_KEY = "another server"
    assert rules.question_token(block.seed(attempt), "qsingle") != keys["single"]


@pytest.mark.parametrize("edit", [
    lambda q: q.replace('<option id="secretwrong">', '<option id="secretgone">'),  # the saved option is gone
    lambda q: q.replace('id="qsingle" type="single"', 'id="qsingle" type="multiple"'),  # a string, now a list
    lambda q: q.replace('id="qmatch" type="matching" points="3" partial_credit="true"',
                        'id="qmatch" type="ordering" points="3"'),  # a pairing, now an order
])
def test_an_author_edit_to_a_live_quiz_leaves_open_attempts_usable(quiz, as_user, clock, edit):
    """Saved answers that no longer fit their question count as unanswered; the page, the submit and the
    grading of a timed-out attempt still work (they failed with a 500 and left the learner stuck)."""
    block = quiz()
    call(block, "start_attempt")
    _html, keys = tokens(block)
    good = right_answers(block)
    wrong = form(block, render(block), "single").split('value="')[1:]
    wrong = [v.split('"')[0] for v in wrong if v.split('"')[0] != good[keys["single"]]][0]
    saved = {keys["single"]: wrong, keys["matching"]: good[keys["matching"]]}
    assert call(block, "save_answers", {"answers": saved})[0] == 200
    attempt = QuizAttempt.objects.get()
    before = dict(attempt.answers)
    tutor = as_user(block, "tutor")
    tutor.questions = Questions().from_studio(edit(QUIZ.split("</intro>")[1].split("</blma_quiz>")[0]))
    tutor.save()
    assert 'data-kind="' in render(as_user(block, "learner1"))  # the open attempt is shown
    status, body = call(as_user(block, "learner1"), "save_answers", {"answers": {}})
    assert status == 200 and body["saved"] == len(before)  # stored answers are kept as they were
    clock.BLMA_NOW = "2026-04-20T10:30:00+02:00"  # past the 45-minute limit: graded when next seen
    assert "Your score:" in render(as_user(block, "learner1"))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    # the answer that no longer fits scores nothing; the matching, if still a matching, keeps its 3 points
    assert attempt.results["qsingle"] == 0 and Result.objects.get().score < 100
    assert call(as_user(block, "learner1"), "start_attempt")[0] == 200  # the second attempt can start


def test_item_analysis_follows_an_edit_of_the_bank_without_a_new_submission(quiz, as_user):
    block = quiz()
    call(block, "start_attempt")
    call(block, "submit", {"answers": right_answers(block)})
    tutor = as_user(block, "tutor")
    status, body = call(tutor, "item_analysis")
    assert status == 200 and "Which year?" in body["html"]  # computed and cached
    tutor.questions = [q for q in tutor.questions if q["id"] != "qsingle"]
    tutor.save()
    status, body = call(as_user(block, "tutor"), "item_analysis")
    assert status == 200 and "Which year?" not in body["html"] and "Pick two" in body["html"]


@pytest.mark.parametrize("lang, expected", [
    ("en", "Pass mark (%) must be a whole number from 0 to 100."),
    ("fr", "Seuil de réussite (%) doit être un nombre entier de 0 à 100."),
])
def test_studio_problems_name_fields_by_their_label_in_the_authors_language(quiz, as_user, lang, expected):
    tutor = as_user(quiz(), "tutor")
    with translation.override(lang):
        status, body = call(tutor, "studio_submit", {"pass_mark": "150"})
    assert status == 400 and expected in body["error"] and "pass_mark" not in body["error"]


def test_a_pass_that_shows_the_answers_ends_the_attempts(quiz):
    block = quiz()  # after the last attempt or a pass; two attempts
    partly_right(block)
    assert "Start attempt 2" in render(block)  # a fail keeps the second attempt
    call(block, "start_attempt")
    call(block, "submit", {"answers": right_answers(block)})
    html = render(block)
    assert "Correct answer:" in html and "no further attempt" in html and "Start attempt" not in html
    unlimited = quiz(attempts=0)
    call(unlimited, "start_attempt")
    call(unlimited, "submit", {"answers": right_answers(unlimited)})
    status, body = call(unlimited, "start_attempt")
    assert status == 409 and "no further attempt" in body["error"]
    assert "aucune autre tentative" in render(unlimited, lang="fr")
    shown_each_time = quiz(attempts=0, reveal="after_attempt")  # the author shows the key after every attempt
    call(shown_each_time, "start_attempt")
    call(shown_each_time, "submit", {"answers": right_answers(shown_each_time)})
    assert call(shown_each_time, "start_attempt")[0] == 200


def test_a_partial_order_is_saved_shown_again_and_graded_for_what_is_in_place(quiz):
    """A learner who placed some items of an ordering question finds them placed after a reload."""
    block = quiz()
    call(block, "start_attempt")
    _html, keys = tokens(block)
    good = right_answers(block)
    order = good[keys["ordering"]]
    partial = [order[0], None, None]
    status, body = call(block, "save_answers", {"answers": {keys["ordering"]: partial}})
    assert status == 200 and body["saved"] == 1
    assert QuizAttempt.objects.get().answers["qorder"] == ["step1", None, None]
    section = form(block, render(block), "ordering")
    assert section.count("selected") == 1  # the first item at position 1, the others still empty
    for bad in ([order[0], order[0], None], [order[0], None], ["x", None, None], [1, None, None]):
        assert call(block, "save_answers", {"answers": {keys["ordering"]: bad}})[0] == 400, bad
    assert call(block, "save_answers", {"answers": {keys["ordering"]: [None, None, None]}})[0] == 200
    assert "qorder" not in QuizAttempt.objects.get().answers  # all cleared: unanswered again
    call(block, "save_answers", {"answers": {keys["ordering"]: partial}})
    status, _body = call(block, "submit", {"answers": {}})
    assert status == 200
    assert QuizAttempt.objects.get().results["qorder"] == 0  # no partial credit on this question; no error
