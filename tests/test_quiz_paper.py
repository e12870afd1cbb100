"""What an open attempt and a feedback page put in the learner's browser (quiz_parts/paper.py):
the controls built in Python are escaped, marked and labelled as the template's were."""
import re

import pytest
from django.utils import translation

from blma_xblocks.core import quiz as q
from blma_xblocks.quiz_parts.paper import correct_answer, feedback_item, question_context

HOSTILE = '"><img src=x onerror=alert(1)>&'
SEED = 12345


def option(option_id, text, correct=False, match=None, feedback=None):
    return q.Option(option_id, text, correct, feedback or {}, match or {})


def single(kind=q.SINGLE):
    return q.Question("q1", kind, {"en": "Stem " + HOSTILE, "fr": "Énoncé"},
                      (option("a", {"en": HOSTILE, "fr": "Un"}, True), option("b", {"en": "Two"})), 1, False)


def gettext(message):
    return message


def test_radio_buttons_escape_texts_mark_the_saved_choice_and_flag_english_fallbacks():
    context = question_context(single(), SEED, "a", 3, "fr", "blma-x", gettext)
    html = str(context["inputs"])
    assert "<img" not in html and "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;" not in html  # French text
    assert html.count('type="radio"') == 2 and html.count(" checked") == 1
    chosen = re.search(r'value="([^"]+)" checked', html).group(1)
    assert chosen == q.token(SEED, "q1", "a") and f'name="blma-x-{context["token"]}"' in html
    assert '<span lang="en">Two</span>' in html and "<span>Un</span>" in html  # "b" has no French text
    assert (context["text"], context["fallback"], context["label"]) == ("Énoncé", False, "Question 3")
    english = str(question_context(single(), SEED, None, 1, "en", "blma-x", gettext)["inputs"])
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;" in english and "<img" not in english
    assert " checked" not in english


def test_checkboxes_mark_every_saved_choice():
    choices = (option("a", {"en": "A"}), option("b", {"en": "B"}), option("c", {"en": "C"}))
    quest = q.Question("q2", q.MULTIPLE, {"en": "?"}, choices, 2, True)
    html = str(question_context(quest, SEED, ["a", "c"], 1, "en", "x", gettext)["inputs"])
    assert html.count('type="checkbox"') == 3 and html.count(" checked") == 2
    assert 'value="%s" checked' % q.token(SEED, "q2", "b") not in html


def test_ordering_and_matching_drop_downs_select_the_saved_answer_only():
    order = q.Question("q3", q.ORDERING, {"en": "?"}, tuple(option(i, {"en": i.upper()}) for i in "abc"), 3, False)
    context = question_context(order, SEED, ["c", "a", "b"], 1, "en", "x", gettext)
    places = {o["token"]: str(o["choices"]) for o in context["options"]}
    for option_id, place in (("c", 1), ("a", 2), ("b", 3)):
        html = places[q.token(SEED, "q3", option_id)]
        assert html.count("<option") == 3 and html.count(" selected") == 1
        assert f'<option value="{place}" selected>{place}</option>' in html
    match = q.Question("q4", q.MATCHING, {"en": "?"},
                       (option("x", {"en": "X"}, match={"en": HOSTILE}), option("y", {"en": "Y"}, match={"en": "y"})),
                       2, False)
    context = question_context(match, SEED, {"x": "y"}, 1, "en", "x", gettext)
    lists = {o["token"]: str(o["choices"]) for o in context["options"]}
    paired = lists[q.token(SEED, "q4", "x")]
    assert f'value="{q.token(SEED, "q4", "y", "r")}" selected' in paired and paired.count(" selected") == 1
    assert " selected" not in lists[q.token(SEED, "q4", "y")]
    assert "<img" not in paired and "&lt;img src=x onerror=alert(1)&gt;&amp;" in paired
    assert "x" not in [o["token"] for o in context["options"]]  # ids never reach the page


@pytest.mark.parametrize("earned,verdict,lang,score", [
    (1, "Correct", "en", "1 of 1 points"), (0, "Incorrect", "en", "0 of 1 points"),
    (0.5, "Partly correct", "fr", "0,50 of 1 points"),
])
def test_feedback_item_gives_the_verdict_the_score_in_the_language_and_the_answer(earned, verdict, lang, score):
    with translation.override(lang):
        item = feedback_item(single(), earned, "a", lang, gettext)
    assert (item["verdict"], item["score"]) == (verdict, score)
    assert item["answer"] == (HOSTILE if lang == "en" else "Un")  # escaped by the template
    assert item["chosen"] == [{"text": HOSTILE if lang == "en" else "Un", "feedback": ""}]
    html = str(item["chosen_html"])
    assert html.startswith("<ul><li>Your answer: ") and "<img" not in html and "<em>" not in html


def test_the_learners_choices_carry_their_feedback_escaped_and_nothing_when_none_was_chosen():
    quest = q.Question("q1", q.MULTIPLE, {"en": "?"}, (
        option("a", {"en": "A"}, True, feedback={"en": "Yes: " + HOSTILE}), option("b", {"en": "B <b>"}),
        option("c", {"en": "C"})), 2, True)
    html = str(feedback_item(quest, 1, ["a", "b", "zz"], "en", gettext)["chosen_html"])
    assert html.count("<li>") == 2 and "<img" not in html and "<b>" not in html  # zz is no option
    assert "<li>Your answer: A — <em>Yes: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;</em></li>" in html
    assert "<li>Your answer: B &lt;b&gt;</li>" in html
    assert feedback_item(quest, 0, None, "en", gettext)["chosen_html"] == ""


def test_correct_answer_of_each_kind():
    order = q.Question("q3", q.ORDERING, {"en": "?"}, tuple(option(i, {"en": i.upper()}) for i in "ab"), 2, False)
    match = q.Question("q4", q.MATCHING, {"en": "?"}, (option("x", {"en": "X"}, match={"en": "1"}),), 1, False)
    assert correct_answer(order, "en") == ["A", "B"] and correct_answer(match, "en") == ["X → 1"]
    assert correct_answer(single(), "fr") == ["Un"]
