"""`blma validate` and `blma build-course`: file:line messages for each mistake, a course Studio imports."""
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from lxml import etree

from blma_xblocks import registry
from blma_xblocks.cli import main

from .conftest import MODULES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def course(tmp_path):
    copy = tmp_path / "modules"
    shutil.copytree(MODULES, copy)
    return copy


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_course_validates_with_full_french_coverage(capsys):
    code, out = run(capsys, "validate", str(MODULES))
    assert code == 0, out
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("OK: 24 modules")
    assert "pre_course-quiz: 32" in summary and "residential-quiz: 33" in summary
    assert "French coverage 100.0 %" in summary
    words = re.search(r"(\d+) words in English and (\d+) in French", summary)
    assert int(words.group(1)) > 12000 and int(words.group(2)) > 12000


def test_the_curriculum_meets_the_brief():
    from blma_xblocks.course import parse_blocks
    modules = [v for s, v in ((s, b.values()) for s, b in parse_blocks(MODULES) if s.block_type == "blma_module")]
    for values in modules:
        assert 3 <= len(values["objectives"]) <= 5, values["module_id"]
        for lang in ("en", "fr"):
            words = len(re.sub(r"<[^>]+>", " ", values["body"][lang]).split())
            assert 600 <= words <= 1200, (values["module_id"], lang, words)
        assert values["resources"]


CASES = [
    # (file, old, new, needle for the expected line, expected message part)
    ("pre_course/pre-02-types.xml", "<objectives>", "<objectives><oops>", None, "Malformed XML"),
    ("pre_course/pre-02-types.xml", 'estimated_minutes="240"', 'estimated_minutes="240" colour="red"',
     "colour=", 'Unknown attribute "colour"'),
    ("pre_course/pre-02-types.xml", "<objectives>", "<objectives><summary/>", "<summary/>",
     "Expected <objective> here, not <summary>"),
    ("pre_course/pre-02-types.xml", "<resources>", "<resources></resources><extras/><resources>", "<extras/>",
     "Unknown element <extras> in <blma_module>"),
    ("residential/quiz.xml", 'id="res-q01"', 'id="res-q02"', 'id="res-q02"', 'Question id "res-q02" is used twice'),
    ("residential/res-03-skills.xml", 'module_id="res-03-skills"', 'module_id="res-02-minimum-standards"',
     "<blma_module", 'Id "res-02-minimum-standards" is already used'),
    ("follow_up/certificate.xml", 'ref="residential-quiz"', 'ref="residential-exam"', 'ref="residential-exam"',
     'names the assessment "residential-exam", which does not exist'),
    ("residential/phase.xml", 'start_date="2026-05-04"', 'start_date="2026-04-30"', "<blma_phase",
     "Phase residential starts (2026-04-30) before phase pre_course ends (2026-05-01)"),
    ("pre_course/phase.xml", 'end_date="2026-05-01"', 'end_date="2026-04-01"', "<blma_phase",
     "ends (2026-04-01) before it starts"),
    ("pre_course/pre-01-history.xml", "<![CDATA[", "<![CDATA[<script>x()</script>", "<![CDATA[<script>",
     "HTML the sanitizer would strip: <script>"),
]


@pytest.mark.parametrize("name,old,new,needle,message", CASES)
def test_each_mistake_is_reported_as_file_and_line(course, capsys, name, old, new, needle, message):
    path = course / name
    edit(path, old, new)
    code, out = run(capsys, "validate", str(course))
    assert code == 1
    lines = [line for line in out.splitlines() if message in line]
    assert lines, out
    if needle:
        assert lines[0].startswith(f"{path}:{line_of(path, needle)}: "), (lines[0], line_of(path, needle))
    assert "Traceback" not in out


def test_an_unknown_block_type(course, capsys):
    path = course / "pre_course" / "extra.xml"
    path.write_text('<?xml version="1.0"?>\n<blma_modul module_id="x"/>\n', encoding="utf-8")
    code, out = run(capsys, "validate", str(course))
    assert code == 1 and f"{path}:2: Unknown block type <blma_modul>." in out


def test_a_broken_module_is_reported_once(course, capsys):
    edit(course / "pre_course" / "pre-02-types.xml", "<objectives>", "<objectives><oops>")
    code, out = run(capsys, "validate", str(course))
    assert code == 1 and len(out.strip().splitlines()) == 2, out  # the problem and the count


def test_a_question_with_no_correct_answer(course, capsys):
    path = course / "pre_course" / "quiz.xml"
    text = path.read_text(encoding="utf-8")
    start = text.index('<question id="pre-q01"')
    end = text.index("</question>", start)
    path.write_text(text[:start] + text[start:end].replace(' correct="true"', "") + text[end:], encoding="utf-8")
    code, out = run(capsys, "validate", str(course))
    assert code == 1
    line = line_of(path, 'id="pre-q01"')
    assert f"{path}:{line}: Question pre-q01: exactly one option must be correct" in out


@pytest.mark.parametrize("lang,expected", [("fr", "le texte français manque"), ("en", "the English text is missing")])
def test_missing_french_or_english(course, capsys, lang, expected, monkeypatch):
    path = course / "pre_course" / "pre-03-trends.xml"
    text = path.read_text(encoding="utf-8")
    other = "fr" if lang == "en" else "en"
    title = re.search(r"<title>\s*<en>(.*?)</en>\s*<fr>(.*?)</fr>", text, re.S)
    keep = title.group(1) if other == "en" else title.group(2)
    path.write_text(text.replace(title.group(0), f"<title><{other}>{keep}</{other}><{lang}></{lang}>"), "utf-8")
    monkeypatch.setenv("LANGUAGE", "fr" if lang == "fr" else "en")
    code, out = run(capsys, "validate", str(course))
    assert code == 1 and f"{path}:{line_of(path, '<title>')}: title" in out and expected in out


def test_no_such_folder(capsys, tmp_path):
    code, out = run(capsys, "validate", str(tmp_path / "nope"))
    assert code == 2 and "no such folder" in out


def test_build_refuses_a_broken_course(course, capsys, tmp_path):
    edit(course / "pre_course" / "pre-02-types.xml", "<objectives>", "<objectives><oops>")
    code, out = run(capsys, "build-course", "--path", str(course), "--out", str(tmp_path / "c.tar.gz"))
    assert code == 1 and "Malformed XML" in out and not (tmp_path / "c.tar.gz").exists()


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "blma-course.tar.gz"
    lines = []
    from blma_xblocks.cli import build_course
    report = build_course(MODULES, out, progress=lines.append)
    assert not report.problems
    target = out.parent / "unpacked"
    with tarfile.open(out) as archive:
        archive.extractall(target, filter="data")
    return out, target / "course", lines


def test_build_shows_progress_and_the_archive_has_the_course(export):
    out, course, lines = export
    assert [line.split("]")[0] for line in lines] == ["[1/5", "[2/5", "[3/5", "[4/5", "[5/5"]
    assert (course / "course.xml").read_text().strip() == '<course url_name="2026" org="ITCILO" course="A9718838"/>'
    root = (course / "course" / "2026.xml").read_text()
    assert [m for m in re.findall(r'chapter url_name="(\w+)"', root)] == ["pre_course", "residential", "follow_up"]
    policy = json.loads((course / "policies" / "2026" / "policy.json").read_text())["course/2026"]
    assert 'language="en"' in root
    # local midnight in Turin (UTC+2 in spring) is 22:00 UTC the day before; the LMS releases chapters then
    assert (policy["start"], policy["end"]) == ("2026-04-12T22:00:00Z", "2026-05-15T21:59:00Z")
    chapter = (course / "chapter" / "residential.xml").read_text()
    assert 'start="2026-05-03T22:00:00Z"' in chapter
    assert set(policy["advanced_modules"]) == set(registry.BLOCKS)  # installed types only


def test_every_content_file_lands_in_the_export(export):
    from blma_xblocks.course import sources
    _out, course, _lines = export
    verticals = "\n".join(p.read_text() for p in (course / "vertical").glob("*.xml"))
    for source in sources(MODULES):
        if source.block_type not in registry.BLOCKS:  # policy data (the certificate): no unit
            assert f'<{source.block_type} ' not in verticals
            continue
        assert f'<{source.block_type} ' in verticals
        assert (f'url_name="{source.ident}"' in verticals
                or f'url_name="{source.ident}-overview"' in verticals), source.path


def test_grading_policy_agrees_with_the_certificate_policy(export):
    from blma_xblocks.course import parse_blocks
    _out, course, _lines = export
    grading = json.loads((course / "policies" / "2026" / "grading_policy.json").read_text())
    certificate = next(v for s, v in parse_blocks(MODULES) if s.block_type == "blma_certificate")
    assert [(g["type"], g["weight"]) for g in grading["GRADER"]] == [
        (r["type"], r["weight"] / 100) for r in certificate["requires"]]
    assert sum(g["weight"] for g in grading["GRADER"]) == pytest.approx(1.0)
    graded = {}
    for path in (course / "sequential").glob("*.xml"):
        match = re.search(r'format="([^"]+)"', path.read_text())
        if match:
            graded[path.stem.removeprefix("seq-")] = match.group(1)
    assert graded == {r["ref"]: r["type"] for r in certificate["requires"]}


def test_a_certificate_always_means_a_course_pass(export):
    """Every learner who passes each required assessment at its own mark passes the Open edX grade."""
    from hypothesis import given, settings, strategies as st
    from blma_xblocks.course import parse_blocks
    _out, course, _lines = export
    grading = json.loads((course / "policies" / "2026" / "grading_policy.json").read_text())
    parsed = {s.ident: v for s, v in parse_blocks(MODULES)}
    certificate = next(v for v in parsed.values() if isinstance(v, dict) and "requires" in v)
    marks = [parsed[r["ref"]]["pass_mark"] if isinstance(parsed[r["ref"]], dict) else parsed[r["ref"]].pass_mark
             for r in certificate["requires"]]
    weights = [g["weight"] for g in grading["GRADER"]]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.floats(0, 100), min_size=len(marks), max_size=len(marks)))
    def check(scores):
        if all(s >= m for s, m in zip(scores, marks)):
            assert sum(w * s / 100 for w, s in zip(weights, scores)) >= grading["GRADE_CUTOFFS"]["Pass"] - 1e-9
    check()


def test_olxcleaner_finds_no_error_but_our_own_tags(export):
    _out, course, _lines = export
    cleaner = Path(sys.executable).parent / "edx-cleaner"
    result = subprocess.run([str(cleaner), "-c", "course.xml"], cwd=course, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert "Loaded from course.xml" in output, output
    findings = re.findall(r"^(ERROR|WARNING) (\w+) \((.*?)\): (.*)$", output, re.M)
    assert findings, output  # our own tags are reported, so the checker did run
    for level, name, _where, text in findings:
        assert name == "UnexpectedTag", (level, name, text)
        assert re.search(r"A <blma_\w+> tag was unexpectedly found", text), text


def test_every_block_in_the_export_is_one_the_lms_can_load(export):
    """A unit whose block type is not installed imports as an empty block and its page is a 500 in the LMS."""
    _out, course, _lines = export
    structure = {"course", "chapter", "sequential", "vertical"}
    tags = {etree.parse(str(path)).getroot().tag for path in course.rglob("*.xml")
            if path.parent.name not in ("policies", "about", "info", "static")}
    tags |= {child.tag for path in (course / "vertical").glob("*.xml") for child in etree.parse(str(path)).getroot()}
    assert tags - structure <= set(registry.BLOCKS), sorted(tags - structure - set(registry.BLOCKS))
    assert "blma_certificate" not in registry.BLOCKS  # the certificate is policy data until its block exists
