import pytest

from blma_xblocks.core.validation import ERROR, WARNING, check_module, check_phase, errors, safe_url

PHASE = {"kind": "pre_course", "mode": "online", "start_date": "2026-04-13", "end_date": "2026-05-01",
         "weekly_hours": "5-10", "title": {"en": "T", "fr": "T"}, "venue": {"en": "V", "fr": "V"},
         "description": {"en": "<p>D</p>", "fr": "<p>D</p>"}, "modules": ["a", "b"]}
MODULE = {"module_id": "pre-01", "estimated_minutes": 60, "title": {"en": "T", "fr": "T"},
          "body": {"en": "B", "fr": "B"}, "objectives": [{"en": "o", "fr": "o"}],
          "resources": [{"url": "https://www.ilo.org/", "title": {"en": "ILO", "fr": "OIT"}}]}


def messages(problems):
    return [p.render() for p in problems]


def test_valid_phase_and_module_have_no_problem():
    assert check_phase(PHASE) == []
    assert check_module(MODULE) == []


@pytest.mark.parametrize("change,expected", [
    ({"kind": "x"}, 'Unknown phase kind "x"'),
    ({"mode": "hybrid"}, 'Unknown mode "hybrid"'),
    ({"start_date": "13/04"}, 'start_date: "13/04" is not a date'),
    ({"end_date": ""}, "end_date: a date is required."),
    ({"end_date": "2026-04-01"}, "The phase ends (2026-04-01) before it starts (2026-04-13)."),
    ({"weekly_hours": "lots"}, 'Weekly hours "lots" must look like 5 or 5-10.'),
    ({"title": {"en": "", "fr": "T"}}, "title: the English text is missing."),
    ({"modules": ["a", "a"]}, 'Module "a" is listed twice.'),
    ({"modules": ["Bad Id"]}, '"Bad Id" is not a valid module id.'),
])
def test_phase_errors(change, expected):
    problems = check_phase(dict(PHASE, **change))
    assert any(expected in m for m in messages(errors(problems))), messages(problems)


def test_missing_french_is_a_warning_not_an_error():
    problems = check_phase(dict(PHASE, description={"en": "x", "fr": ""}))
    assert [p.severity for p in problems] == [WARNING]
    assert "French text is missing" in problems[0].render()


@pytest.mark.parametrize("change,expected", [
    ({"module_id": "Has Spaces"}, "is not a valid module id"),
    ({"estimated_minutes": 0}, "Estimated minutes must be a whole number"),
    ({"estimated_minutes": True}, "Estimated minutes must be a whole number"),
    ({"body": {"en": "", "fr": ""}}, "body: the English text is missing."),
    ({"objectives": [{"en": "", "fr": "o"}]}, "objectives[1]: the English text is missing."),
    ({"resources": [{"url": "javascript:alert(1)", "title": {"en": "x", "fr": "x"}}]}, "Resource 1: the link"),
    ({"body": {"en": "x" * 200_001, "fr": "x"}}, "longer than 200000 characters"),
])
def test_module_errors(change, expected):
    problems = check_module(dict(MODULE, **change))
    assert any(expected in m and p.severity == ERROR for p, m in zip(problems, messages(problems))), \
        messages(problems)


def test_problem_render_translates_before_formatting():
    problem = check_phase(dict(PHASE, kind="x"))[0]
    assert problem.render(lambda s: s.replace("Unknown", "Inconnu")).startswith('Inconnu phase kind "x"')


@pytest.mark.parametrize("url,ok", [("https://a.org/x?y=1", True), ("http://a.org", True),
                                    ("mailto:a@b.org", True), ("javascript:x", False), ("/rel", False),
                                    ("https://a.org/<script>", False), ("", False)])
def test_safe_url(url, ok):
    assert safe_url(url) is ok


def test_an_id_used_twice_is_one_problem_per_repeat_in_quizzes_and_rubrics():
    from blma_xblocks.core.validation import check_assignment, check_quiz  # pylint: disable=import-outside-toplevel

    def messages(problems, field):
        return [p.message.format(**p.params) for p in problems if p.field == field and "twice" in p.message]

    question = {"id": "q1", "type": "single", "stem": {"en": "?", "fr": "?"}, "options": []}
    quiz = check_quiz({"questions": [question, dict(question), dict(question, id="q2"), dict(question)]})
    assert messages(quiz, "questions") == ['Question id "q1" is used twice.'] * 2
    criterion = {"id": "c1", "name": {"en": "C", "fr": "C"}, "weight": 25, "levels": []}
    rubric = [criterion, dict(criterion, id="c2"), dict(criterion, id="c2"), dict(criterion, id=None)]
    assert messages(check_assignment({"rubric": rubric}), "rubric") == ['Criterion id "c2" is used twice.']
