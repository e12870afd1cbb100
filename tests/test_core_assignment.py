"""The capstone assignment's rules: state machine, rubric checks and score, time, leases, allocation, words."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from blma_xblocks.assignment import AssignmentBlock
from blma_xblocks.core import assignment as a
from blma_xblocks.declare import specs
from blma_xblocks.olx import elements

from .conftest import MODULES

UTC = timezone.utc
T0 = datetime(2026, 5, 15, 21, 59, tzinfo=UTC)  # the due date, 23:59 Turin time


# -- the state machine ------------------------------------------------------------------------------
def test_the_machine_as_written():
    assert a.STATES == ("draft", "submitted", "in_grading", "returned", "graded", "released")
    assert a.MOVES == {
        "submit": (("draft", "returned"), "submitted"),
        "claim": (("submitted", "in_grading"), "in_grading"),
        "save": (("in_grading",), "in_grading"),
        "return": (("in_grading",), "returned"),
        "mark": (("in_grading",), "graded"),
        "release": (("graded",), "released"),
    }
    assert a.WRITABLE == ("draft", "returned")
    assert set(a.STATE_LABELS) == set(a.STATES)
    assert a.STATE_LABELS[a.RELEASED] == a.STATE_LABELS[a.GRADED] == "Graded"
    assert a.WAITING == (a.SUBMITTED, a.IN_GRADING)


def test_every_state_is_reached_and_released_is_final():
    targets = {target for _sources, target in a.MOVES.values()}
    assert targets | {a.DRAFT} == set(a.STATES)
    assert not any(a.RELEASED in sources for sources, _target in a.MOVES.values())


def test_a_full_life_with_a_revision():
    state = a.DRAFT
    for action in ("submit", "claim", "save", "return", "submit", "claim", "claim", "mark", "release"):
        sources, target = a.MOVES[action]
        assert state in sources, (action, state)
        state = target
    assert state == a.RELEASED


def test_learners_see_a_graded_work_as_in_grading_until_it_is_released():
    assert a.LEARNER_STATES == {"draft": "draft", "submitted": "submitted", "in_grading": "in_grading",
                                "returned": "returned", "graded": "in_grading", "released": "released"}


# -- the rubric -------------------------------------------------------------------------------------
def course_rubric():
    """The course's rubric, read by the block's own declaration (the codec its OLX and Studio use)."""
    root = etree.parse(str(MODULES / "follow_up" / "assignment.xml")).getroot()
    codec = {name: spec for name, _field, spec in specs(AssignmentBlock)}["rubric"].codec
    return codec.parse(elements(root.find("rubric")))


RUBRIC = course_rubric()
IDS = ["c1-context", "c2-standards", "c3-protection", "c4-implementation", "c5-clarity"]


def every(points):
    return {cid: points for cid in IDS}


def test_the_course_rubric_as_parsed():
    assert [c["id"] for c in RUBRIC] == IDS
    assert [c["weight"] for c in RUBRIC] == [25, 20, 20, 20, 15]
    assert sum(c["weight"] for c in RUBRIC) == 100
    for criterion in RUBRIC:
        assert [level["points"] for level in criterion["levels"]] == [0, 1, 2, 3]
        assert [level["name"]["en"] for level in criterion["levels"]] == [
            "Insufficient", "Developing", "Proficient", "Exemplary"]


def test_check_levels_accepts_and_returns_exactly_the_criteria():
    levels = {"c1-context": 3, "c2-standards": 0, "c3-protection": 1, "c4-implementation": 2, "c5-clarity": 3}
    checked = a.check_levels(RUBRIC, levels)
    assert checked == levels
    assert list(checked) == IDS
    assert checked is not levels
    assert a.check_levels(RUBRIC, every(0)) == every(0)


def test_check_levels_keeps_the_rubric_order():
    levels = dict(reversed(list(every(2).items())))
    assert list(a.check_levels(RUBRIC, levels)) == IDS


def grade_error(levels, rubric=None):
    with pytest.raises(a.GradeError) as info:
        a.check_levels(RUBRIC if rubric is None else rubric, levels)
    return info.value


@pytest.mark.parametrize("missing", IDS)
def test_check_levels_missing_criterion(missing):
    levels = every(2)
    del levels[missing]
    error = grade_error(levels)
    assert error.message == 'Choose a level for "{criterion}".'
    assert error.params == {"criterion": missing}
    assert str(error) == f'Choose a level for "{missing}".'


def test_check_levels_none_is_missing():
    error = grade_error({**every(2), "c3-protection": None})
    assert error.params == {"criterion": "c3-protection"}
    assert error.message == 'Choose a level for "{criterion}".'


def test_check_levels_the_first_missing_is_named():
    assert grade_error({"c1-context": 1, "c5-clarity": 1}).params == {"criterion": "c2-standards"}
    assert grade_error({}).params == {"criterion": "c1-context"}


def test_check_levels_unknown_criterion():
    error = grade_error({**every(2), "c9-extra": 1, "c0-extra": 1})
    assert error.message == 'The rubric has no criterion "{criterion}".'
    assert error.params == {"criterion": "c0-extra"}  # the first, sorted
    assert str(error) == 'The rubric has no criterion "c0-extra".'


def test_check_levels_unknown_before_missing():
    assert grade_error({"c1-context": 2, "nope": 1}).params == {"criterion": "nope"}


@pytest.mark.parametrize("points", [4, -1, 5, 100])
def test_check_levels_points_not_a_level(points):
    error = grade_error({**every(2), "c4-implementation": points})
    assert error.message == '"{points}" is not a level of "{criterion}".'
    assert error.params == {"points": points, "criterion": "c4-implementation"}
    assert str(error) == f'"{points}" is not a level of "c4-implementation".'


@pytest.mark.parametrize("points", [True, False, "2", "0", 2.0, 0.0, 1.5, [2], {"p": 2}])
def test_check_levels_refuses_non_int_points(points):
    error = grade_error({**every(2), "c2-standards": points})
    assert error.params["criterion"] == "c2-standards"
    assert error.params["points"] == points


def test_check_levels_uses_each_criterions_own_levels():
    rubric = [{"id": "x", "weight": 50, "levels": [{"points": 0}, {"points": 5}]},
              {"id": "y", "weight": 50, "levels": [{"points": 1}, {"points": 2}]}]
    assert a.check_levels(rubric, {"x": 5, "y": 1}) == {"x": 5, "y": 1}
    assert grade_error({"x": 1, "y": 1}, rubric).params == {"points": 1, "criterion": "x"}
    assert grade_error({"x": 0, "y": 0}, rubric).params == {"points": 0, "criterion": "y"}


@pytest.mark.parametrize("levels", [None, [], [("c1-context", 2)], "c1-context=2", 2, (1, 2)])
def test_check_levels_refuses_non_dict(levels):
    error = grade_error(levels)
    assert error.message == "Choose a level for each criterion."
    assert error.params == {}


def test_check_levels_empty_rubric():
    assert a.check_levels([], {}) == {}
    assert grade_error({"x": 1}, []).params == {"criterion": "x"}


def test_a_draft_grade_may_leave_criteria_unrated_but_what_is_rated_must_fit():
    assert a.check_levels(RUBRIC, {}, partial=True) == {}
    assert a.check_levels(RUBRIC, {"c5-clarity": 1, "c1-context": None}, partial=True) == {"c5-clarity": 1}
    in_rubric_order = a.check_levels(RUBRIC, {"c5-clarity": 1, "c1-context": 3}, partial=True)
    assert list(in_rubric_order) == ["c1-context", "c5-clarity"]
    with pytest.raises(a.GradeError) as info:
        a.check_levels(RUBRIC, {"c9-extra": 1}, partial=True)
    assert info.value.params == {"criterion": "c9-extra"}


@pytest.mark.parametrize("points", [[2], {"p": 2}, [], {}, "2", 2.0, True, 9])
def test_a_draft_grade_refuses_a_level_of_the_wrong_type_without_a_type_error(points):
    """A list or an object cannot be looked up in a set of levels: the type is checked first."""
    with pytest.raises(a.GradeError) as info:
        a.check_levels(RUBRIC, {"c2-standards": points}, partial=True)
    assert info.value.message == '"{points}" is not a level of "{criterion}".'
    assert info.value.params == {"points": points, "criterion": "c2-standards"}


@pytest.mark.parametrize("levels,score", [
    (every(3), 100.0),
    (every(0), 0.0),
    (every(2), 66.67),  # "Proficient on every criterion gives about 67 %"
    (every(1), 33.33),
    # 25·3/3 + 20·2/3 + 20·1/3 + 20·0/3 + 15·3/3 = 25 + 13.33 + 6.67 + 0 + 15 = 60 (the pass mark)
    ({"c1-context": 3, "c2-standards": 2, "c3-protection": 1, "c4-implementation": 0, "c5-clarity": 3}, 60.0),
    # 25·2/3 + 20 + 20·2/3 + 20·1/3 + 15·1/3 = 16.67 + 20 + 13.33 + 6.67 + 5 = 61.67
    ({"c1-context": 2, "c2-standards": 3, "c3-protection": 2, "c4-implementation": 1, "c5-clarity": 1}, 61.67),
    # 25·1/3 + 3 × 20·2/3 + 15·2/3 = 8.33 + 40 + 10 = 58.33: just below the pass mark
    ({"c1-context": 1, "c2-standards": 2, "c3-protection": 2, "c4-implementation": 2, "c5-clarity": 2}, 58.33),
    ({"c1-context": 3, "c2-standards": 0, "c3-protection": 0, "c4-implementation": 0, "c5-clarity": 0}, 25.0),
    ({"c1-context": 0, "c2-standards": 0, "c3-protection": 0, "c4-implementation": 0, "c5-clarity": 3}, 15.0),
    ({"c1-context": 3, "c2-standards": 3, "c3-protection": 3, "c4-implementation": 3, "c5-clarity": 0}, 85.0),
    ({"c1-context": 3}, 25.0),  # an unrated criterion counts 0
])
def test_rubric_score_on_the_course_rubric(levels, score):
    assert a.rubric_score(RUBRIC, levels) == score


def test_rubric_score_edge_rubrics():
    assert a.rubric_score([], {}) == 0.0
    flat = [{"id": "x", "weight": 100, "levels": [{"points": 0}]}]  # no top: the criterion adds nothing
    assert a.rubric_score(flat, {"x": 0}) == 0.0
    empty = [{"id": "x", "weight": 100, "levels": []}]
    assert a.rubric_score(empty, {"x": 3}) == 0.0
    uneven = [{"id": "x", "weight": 60, "levels": [{"points": 0}, {"points": 4}]},
              {"id": "y", "weight": 40, "levels": [{"points": 1}, {"points": 5}]}]
    assert a.rubric_score(uneven, {"x": 4, "y": 1}) == 68.0  # 60 + 40·1/5


@st.composite
def rubric_and_levels(draw):
    count = draw(st.integers(1, 6))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1, unique=True)))
    weights = [b - c for b, c in zip(cuts + [100], [0] + cuts)]
    rubric, levels = [], {}
    for number, weight in enumerate(weights):
        points = draw(st.lists(st.integers(0, 10), min_size=1, max_size=5, unique=True))
        rubric.append({"id": f"c{number}", "weight": weight, "levels": [{"points": p} for p in points]})
        levels[f"c{number}"] = draw(st.sampled_from(points))
    return rubric, levels


@settings(max_examples=300, deadline=None)
@given(rubric_and_levels(), st.data())
def test_rubric_score_bounded_and_monotonic(case, data):
    rubric, levels = case
    assert sum(c["weight"] for c in rubric) == 100
    assert a.check_levels(rubric, levels) == levels
    score = a.rubric_score(rubric, levels)
    assert 0 <= score <= 100
    tops = {c["id"]: max(level["points"] for level in c["levels"]) for c in rubric}
    if all(tops.values()):
        assert a.rubric_score(rubric, tops) == 100
    criterion = data.draw(st.sampled_from(rubric))
    higher = [level["points"] for level in criterion["levels"] if level["points"] >= levels[criterion["id"]]]
    raised = {**levels, criterion["id"]: data.draw(st.sampled_from(higher))}
    assert a.rubric_score(rubric, raised) >= score


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=5, max_size=5), st.integers(0, 4), st.integers(0, 3))
def test_rubric_score_monotonic_on_the_course_rubric(points, index, level):
    levels = dict(zip(IDS, points))
    score = a.rubric_score(RUBRIC, levels)
    assert 0 <= score <= 100
    raised = {**levels, IDS[index]: max(level, levels[IDS[index]])}
    assert a.rubric_score(RUBRIC, raised) >= score
    if raised != levels:
        assert a.rubric_score(RUBRIC, raised) > score


# -- time -------------------------------------------------------------------------------------------
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize("moment,due,extension,late", [
    (T0 + timedelta(days=365), None, None, False),  # no due date: never late
    (T0 - MINUTE, T0, None, False),
    (T0, T0, None, False),  # at the due date itself: on time
    (T0 + timedelta(seconds=1), T0, None, True),
    (T0 + timedelta(days=2), T0, T0 + timedelta(days=3), False),  # the extension lets it in
    (T0 + timedelta(days=3), T0, T0 + timedelta(days=3), False),
    (T0 + timedelta(days=3, seconds=1), T0, T0 + timedelta(days=3), True),  # past the extension too
    (T0 - MINUTE, T0, T0 - timedelta(days=2), False),  # an earlier extension does not shorten the due date
    (T0 - timedelta(days=1), T0, T0 - timedelta(days=2), False),
    (T0 + MINUTE, T0, T0 - timedelta(days=2), True),
    (T0 + MINUTE, None, T0, True),  # an extension alone is a limit
    (T0 - MINUTE, None, T0, False),
])
def test_is_late(moment, due, extension, late):
    assert a.is_late(moment, due, extension) is late


def test_revision_deadline():
    assert a.revision_deadline(T0, 7) == T0 + timedelta(days=7)
    assert a.revision_deadline(T0, 1) == datetime(2026, 5, 16, 21, 59, tzinfo=UTC)
    assert a.revision_deadline(None, 7) is None
    assert a.revision_deadline(T0, 0) is None
    assert a.revision_deadline(T0, None) is None


@pytest.mark.parametrize("holder,lease_until,tutor,free", [
    (None, None, "tutor1", True),  # free
    ("", None, "tutor1", True),
    (None, T0 + timedelta(hours=1), "tutor1", True),
    ("tutor1", T0 + timedelta(hours=1), "tutor1", True),  # their own lease: renew it
    ("tutor1", T0 - timedelta(hours=1), "tutor1", True),
    ("tutor2", T0 + timedelta(hours=1), "tutor1", False),  # another tutor's active lease
    ("tutor2", T0 + timedelta(seconds=1), "tutor1", False),
    ("tutor2", T0, "tutor1", True),  # expires at this very moment
    ("tutor2", T0 - timedelta(hours=1), "tutor1", True),  # expired: taken
    ("tutor2", None, "tutor1", True),  # a holder with no lease end holds nothing
])
def test_lease_free(holder, lease_until, tutor, free):
    assert a.lease_free(holder, lease_until, tutor, T0) is free


def test_lease_end():
    assert a.lease_end(T0, 4) == T0 + timedelta(hours=4)
    assert a.lease_end(T0, 0) == T0
    assert a.lease_end(T0, 0.5) == T0 + timedelta(minutes=30)
    assert a.lease_free("tutor2", a.lease_end(T0, 4), "tutor1", T0 + timedelta(hours=3, minutes=59)) is False
    assert a.lease_free("tutor2", a.lease_end(T0, 4), "tutor1", T0 + timedelta(hours=4)) is True


# -- allocation -------------------------------------------------------------------------------------
def tutors_of(result):
    return [allocation.tutor for allocation in result]


def test_allocate_even_split_in_list_order():
    result = a.allocate([f"l{i}" for i in range(7)], ["ann", "bob", "cat"])
    assert result == [a.Allocation("l0", "ann"), a.Allocation("l1", "bob"), a.Allocation("l2", "cat"),
                      a.Allocation("l3", "ann"), a.Allocation("l4", "bob"), a.Allocation("l5", "cat"),
                      a.Allocation("l6", "ann")]
    assert [tutors_of(result).count(t) for t in ("ann", "bob", "cat")] == [3, 2, 2]


def test_allocate_list_order_not_alphabetical():
    assert tutors_of(a.allocate(["x", "y"], ["zoe", "amy"])) == ["zoe", "amy"]


def test_allocate_with_existing_loads():
    result = a.allocate(["l1", "l2", "l3", "l4"], ["ann", "bob", "cat"], {"ann": 3, "bob": 0, "cat": 1})
    assert tutors_of(result) == ["bob", "bob", "cat", "bob"]  # final loads 3/3/2
    assert tutors_of(a.allocate(["l1"], ["ann", "bob"], {"ann": 1})) == ["bob"]  # a missing load is 0
    # loads of tutors not in the list are ignored
    assert tutors_of(a.allocate(["l1", "l2"], ["ann", "bob"], {"zed": 0, "ann": 1, "bob": 1})) == ["ann", "bob"]


def test_allocate_a_second_round_keeps_the_split_even():
    first = a.allocate(["l1", "l2", "l3", "l4", "l5"], ["ann", "bob"])
    loads = {t: tutors_of(first).count(t) for t in ("ann", "bob")}
    assert loads == {"ann": 3, "bob": 2}
    assert tutors_of(a.allocate(["l6", "l7", "l8"], ["ann", "bob"], loads)) == ["bob", "ann", "bob"]


def test_allocate_ignores_duplicate_and_empty_tutors():
    result = a.allocate(["l1", "l2", "l3", "l4"], ["", "ann", None, "bob", "ann", "", "bob"])
    assert tutors_of(result) == ["ann", "bob", "ann", "bob"]


@pytest.mark.parametrize("tutors", [[], ["", None], ()])
def test_allocate_no_tutors(tutors):
    assert a.allocate(["l1", "l2"], tutors) == []  # pylint: disable=use-implicit-booleaness-not-comparison


def test_allocate_nothing_to_allocate():
    assert a.allocate([], ["ann"]) == []  # pylint: disable=use-implicit-booleaness-not-comparison


def test_allocation_is_a_value():
    allocation = a.Allocation("l1", "ann")
    assert allocation == a.Allocation("l1", "ann") and allocation != a.Allocation("l1", "bob")
    with pytest.raises(AttributeError):
        allocation.tutor = "bob"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=6),
       st.lists(st.text(min_size=1, max_size=6), max_size=60, unique=True),
       st.integers(0, 5))
def test_allocate_property(tutors, items, start):
    unique = list(dict.fromkeys(tutors))
    result = a.allocate(items, tutors + [""], {t: start for t in unique})
    assert [allocation.learner_id for allocation in result] == items  # each exactly once, in order
    assert {allocation.tutor for allocation in result} <= set(unique)
    loads = [start + tutors_of(result).count(t) for t in unique]
    assert max(loads) - min(loads) <= 1
    assert sum(loads) == start * len(unique) + len(items)
    # the earlier tutors in the list get the extra items
    assert loads == sorted(loads, reverse=True)


# -- words ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,count", [
    ("", 0), (None, 0), ("   ", 0), ("<p></p>", 0), ("<p>&nbsp;</p>", 0),
    ("one", 1), ("Three little words", 3), ("  spaced   out\n\ttext ", 3),
    ("Hello, world! Is this... counted?", 5),
    ("<p>Hello <strong>world</strong></p>", 2),
    ("<p>one</p><p>two</p>", 2),  # block tags separate words
    ("<h3>Title</h3><ul><li>first item</li><li>second</li></ul>", 4),
    ('<a href="https://example.org/some-long-path">link</a>', 1),  # attributes are not words
    ("<br/>a<br>b", 2),
    ("a&nbsp;b", 2), ("a&nbsp;&nbsp;b", 2), ("rock &amp; roll", 2), ("x &lt; y", 2), ("&amp;", 0),
    ("r&eacute;sum&eacute;", 1), ("caf&eacute; cr&egrave;me", 2),  # accented letters written as entities
    ("l&#39;OIT", 1), ("l&rsquo;OIT", 1),  # apostrophes written as entities
    ("« aujourd'hui »", 1), ("aujourd’hui", 1), ("l'OIT et l’OIM", 3),
    ("main-d'œuvre", 1), ("well-known", 1), ("a well-known, long-standing issue", 4),
    ("Migrants' rights", 2), ("'quoted'", 1), ("well - known", 2), ("well -- known", 2),
    ("word—word", 2),  # an em dash separates
    ("Les travailleurs migrants à l'étranger", 5),
    ("2026", 1), ("15 May 2026", 3), ("Conventions Nos 97, 143, 181 and 189", 7),
    ("3,000 words", 2), ("1.5 million", 2), ("60 %", 1), ("3 000 mots", 3),
    ("The end.Next", 3), ("in 2026. Then", 3),
    ("snake_case", 2), ("#hashtag @user", 2), ("ILO/IOM", 2),
])
def test_word_count(text, count):
    assert a.word_count(text) == count


def test_word_count_a_longer_text():
    html = "<p>Participants who successfully complete all assessments and the final assignment receive a " \
           "Certificate of Achievement.</p><p>Ce travail individuel, qui clôt la formation, consiste à " \
           "appliquer vos acquis.</p>"
    assert a.word_count(html) == 15 + 12


@pytest.mark.parametrize("count,minimum,maximum,problem", [
    (3001, 0, 3000, "The text has {count} words; the limit is {limit}."),
    (3000, 0, 3000, None),
    (0, 0, 3000, None),
    (99, 100, 0, "The text has {count} words; at least {limit} are expected."),
    (100, 100, 0, None),
    (10**6, 0, 0, None),  # 0 = no limit
    (0, 0, 0, None),
    (50, 100, 3000, "The text has {count} words; at least {limit} are expected."),
    (1500, 100, 3000, None),
    (3001, 100, 3000, "The text has {count} words; the limit is {limit}."),
    (5, None, None, None),
])
def test_words_problem(count, minimum, maximum, problem):
    assert a.words_problem(count, minimum, maximum) == problem


def test_words_problem_formats_with_count_and_limit():
    message = a.words_problem(3001, 0, 3000)
    assert message.format(count=3001, limit=3000) == "The text has 3001 words; the limit is 3000."
