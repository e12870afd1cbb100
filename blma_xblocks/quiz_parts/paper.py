"""A quiz page's questions as the learner's browser gets them. In an open attempt: texts and tokens,
nothing about correctness, the learner's saved answers marked. After an attempt, once the reveal rule
allows it: each question's verdict, score, the learner's choices with their feedback, the answer.

Every value is resolved here (language, tokens, marks, verdicts, numbers), so the template only
prints. The lists repeated per option (radio buttons, checkboxes, the `<option>`s of a drop-down,
the learner's choices with their feedback) are the one markup built here, escaped as Django
escapes: a page has about 60 controls and 25 `<option>`s per ordering question, and printing them
value by value through the template engine was most of the page's time (2.7 of 5.1 ms). quiz.html
holds everything else.
"""
import html

from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe

from ..core import quiz as rules
from ..core.text import pick


def _text(localized):
    return {"text": localized.text, "fallback": localized.fallback}


def escape(value):
    """Django's escape without its check for lazy strings on every call (about 200 per page)."""
    return html.escape(str(value))


LANG_EN = ' lang="en"'  # an English text standing in for a missing French one


def _inputs(kind, name, options):
    """A question's radio buttons or checkboxes, one label each, the saved choices checked."""
    name = escape(name)
    return mark_safe("".join(
        f'<label class="blma-choice"><input type="{kind}" name="{name}" value="{escape(o["token"])}"'
        f'{" checked" if o["checked"] else ""}> <span{LANG_EN if o["fallback"] else ""}>{escape(o["text"])}</span>'
        '</label>' for o in options))


def _choices(values, chosen_per_item):
    """For each item, the `<option>`s of its drop-down, (value, label) pairs escaped once per question
    and the item's chosen value selected."""
    escaped = [(value, escape(value), escape(label)) for value, label in values]
    return [mark_safe("".join(f'<option value="{safe}"{" selected" if value == chosen else ""}>{label}</option>'
                              for value, safe, label in escaped))
            for chosen in chosen_per_item]


def question_context(question, seed, saved, number, lang, block_id, gettext):
    """One question of an open attempt, with the learner's saved answer (None when unanswered)."""
    order = rules.option_order(question, seed)
    options = {o.id: o for o in question.options}
    token = rules.question_token(seed, question.id)
    context = dict(_text(pick(question.stem, lang)), token=token, name=f"{block_id}-{token}", number=number,
                   label=gettext("Question %(number)s") % {"number": number},  # {% blocktrans %}'s msgid
                   kind=question.kind, points=question.points)
    chosen = set()
    if question.kind in (rules.SINGLE, rules.TRUE_FALSE):
        chosen = {saved} if saved else set()
    elif question.kind == rules.MULTIPLE:
        chosen = set(saved or [])
    context["options"] = [dict(_text(pick(options[i].text, lang)), token=rules.token(seed, question.id, i),
                               checked=i in chosen) for i in order]
    if question.kind in (rules.SINGLE, rules.TRUE_FALSE, rules.MULTIPLE):
        kind = "checkbox" if question.kind == rules.MULTIPLE else "radio"
        context["inputs"] = _inputs(kind, context["name"], context["options"])
    else:
        for option, choices in zip(context["options"], _drop_downs(question, seed, order, saved, lang)):
            option["choices"] = choices
    return context


def _drop_downs(question, seed, order, saved, lang):
    """Each item's `<option>`s: positions for an ordering question, the shuffled matches for a matching one."""
    if question.kind == rules.ORDERING:
        positions = {i: n for n, i in enumerate(saved or [], 1)}
        return _choices([(n, n) for n in range(1, len(order) + 1)], [positions.get(i, 0) for i in order])

    def right(option_id):
        return rules.token(seed, question.id, option_id, "r")

    matches = {o.id: o.match for o in question.options}
    rights = sorted(order, key=right)
    paired = [(saved or {}).get(i) for i in order]
    return _choices([(right(i), pick(matches[i], lang).text) for i in rights],
                    [right(p) if p else "" for p in paired])


def feedback_item(question, earned, answer, lang, gettext):
    """One question of a submitted attempt, shown once the reveal rule allows it."""
    picked = [answer] if isinstance(answer, str) else list(answer or []) if isinstance(answer, list) else []
    options = {o.id: o for o in question.options}
    correct, partly = earned >= question.points, 0 < earned < question.points
    verdict = gettext("Correct") if correct else gettext("Partly correct") if partly else gettext("Incorrect")
    chosen = [{"text": pick(options[c].text, lang).text,
               "feedback": pick(options[c].feedback, lang).text if options[c].feedback else ""}
              for c in picked if c in options]
    return dict(
        _text(pick(question.stem, lang)),
        correct=correct, partly=partly, verdict=verdict,
        mark="right" if correct else "partly" if partly else "wrong",  # the item's CSS class
        # the template's msgid ({% blocktrans %} writes %(name)s), so the catalogue holds it once
        score=gettext("%(earned)s of %(points)s points") % {
            "earned": floatformat(earned, "-2"), "points": question.points},
        chosen=chosen, chosen_html=_chosen_list(chosen, gettext("Your answer:")),
        general=pick(question.feedback, lang).text if question.feedback else "",
        answer="; ".join(correct_answer(question, lang)),
    )


def _chosen_list(chosen, label):
    """The learner's choices with each one's feedback, as a list (empty when nothing was chosen)."""
    if not chosen:
        return ""
    label = escape(label)
    return mark_safe("<ul>" + "".join(
        f"<li>{label} {escape(c['text'])}" + (f" — <em>{escape(c['feedback'])}</em>" if c["feedback"] else "")
        + "</li>" for c in chosen) + "</ul>")


def correct_answer(question, lang):
    """The answer key of a question, as texts in the learner's language."""
    if question.kind == rules.ORDERING:
        return [pick(o.text, lang).text for o in question.options]
    if question.kind == rules.MATCHING:
        return [f"{pick(o.text, lang).text} → {pick(o.match, lang).text}" for o in question.options]
    return [pick(o.text, lang).text for o in question.options if o.correct]
