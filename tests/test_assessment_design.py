"""The assessment design is written once: the certificate rule, and the same words everywhere a learner reads it.

The rule in modules/follow_up/certificate.xml lists five requirements. Each must appear word for word,
in English and in French, in the three phase descriptions, the wrap-up module and the assignment
brief; and the settings of the blocks must say the same numbers (pass marks, attempts, due dates).
"""
import re

import pytest
from lxml import etree

from blma_xblocks.course import sources

from .conftest import MODULES

LANGS = ("en", "fr")
READERS = ["pre_course/phase.xml", "residential/phase.xml", "follow_up/phase.xml", "follow_up/fu-02-wrap-up.xml",
           "follow_up/assignment.xml"]


def plain(text):
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def texts_of(path, lang):
    root = etree.parse(str(MODULES / path)).getroot()
    return plain(" ".join(etree.tostring(node, encoding="unicode", method="text") for node in root.iter(lang)))


def requirements(lang):
    rule = texts_of("follow_up/certificate.xml", lang)
    parts = re.split(r"\(\d\) ", rule)
    assert len(parts) == 6, rule  # the lead-in, then five requirements
    return [p.strip().rstrip(";.").strip() for p in parts[1:]]


@pytest.mark.parametrize("lang", LANGS)
def test_the_certificate_rule_has_five_requirements_each_on_its_own(lang):
    found = requirements(lang)
    assert len(found) == 5
    assert any("70 %" in r for r in found) and any("8" in r and "10" in r for r in found)


@pytest.mark.parametrize("path", READERS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_learner_facing_text_states_the_same_requirements(path, lang):
    text = texts_of(path, lang)
    missing = [r for r in requirements(lang) if r not in text]
    assert missing == [], f"{path} ({lang}) does not state: {missing}"


def test_block_settings_say_what_the_rule_says():
    rule = texts_of("follow_up/certificate.xml", "en")
    blocks = {s.ident: s.root for s in sources(MODULES)}
    pre, res, capstone = blocks["pre_course-quiz"], blocks["residential-quiz"], blocks["capstone"]
    for quiz, due in ((pre, "2026-05-01T23:59:00+02:00"), (res, "2026-05-08T18:00:00+02:00")):
        assert (quiz.get("pass_mark"), quiz.get("attempts_allowed"), quiz.get("grading")) == ("70", "2", "best")
        assert quiz.get("due_date") == due
    assert capstone.get("pass_mark") == "60" and capstone.get("due_date") == "2026-05-15T23:59:00+02:00"
    assert "passed at 70 % (best of two attempts, by 1 May 2026, 23:59 Turin time)" in rule
    assert "passed at 70 % (best of two attempts, by 8 May 2026, 18:00 Turin time)" in rule
    assert "passed at 60 % (by 15 May 2026, 23:59 Turin time" in rule
    weights = {a.get("ref"): a.get("weight") for a in blocks["achievement"].iter("assessment")}
    assert weights == {"pre_course-quiz": "25", "residential-quiz": "25", "capstone": "50"}
