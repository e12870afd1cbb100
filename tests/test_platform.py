"""The block platform: one declaration per field, one registry, the results ledger API."""
import pytest
from webob import Request, Response
from xblock.core import XBlock

from blma_xblocks import ledger, registry
from blma_xblocks.base import BlmaBlock, xml_of
from blma_xblocks.core.results import AssessmentResult
from blma_xblocks.core.validation import Problem
from blma_xblocks.declare import attribute, html, specs, text
from blma_xblocks.handlers import handler
from blma_xblocks.models import QuizAttempt, Result

from .conftest import call, render
from .test_quiz_block import QUIZ, right_answers

pytestmark = pytest.mark.django_db


def check_toy(values):
    return [] if values["capacity"] and values["capacity"] > 0 else [Problem("capacity", "Capacity must be > 0.")]


class ToyBlock(BlmaBlock, XBlock):
    """A new block: its fields, one declaration each, and its view. Nothing else."""

    check = staticmethod(check_toy)

    room = attribute(str, "Room", default="Sala A")
    capacity = attribute(int, "Capacity", default=20, legacy=("seats",))
    title = text("Title")
    notes = html("Notes (HTML)")

    def student_view(self, context=None):  # pylint: disable=unused-argument
        from web_fragments.fragment import Fragment
        return Fragment(f"<p>{self.localized(self.title).text} · {self.room} · {self.capacity}</p>")

    @handler.raw(methods=("GET",))
    def fetch(self, request, suffix=""):  # pylint: disable=unused-argument
        if suffix != "known":
            self.fail(404, "No such file.")
        return Response(body=b"content")


@pytest.fixture
def toy(runtime_for):
    runtime = runtime_for("tutor")

    def parse(xml):
        return runtime.get_block(runtime.parse_xml_string(xml))
    return parse


TOY = """<toy room="Sala B" seats="12"><title><en>Room</en><fr>Salle</fr></title>
  <notes><en><![CDATA[<p>Bring <script>x()</script>ID</p>]]></en><fr></fr></notes></toy>"""


@XBlock.register_temp_plugin(ToyBlock, "toy")
def test_a_new_block_is_its_declarations_round_trip_studio_and_validation(toy):
    block = toy(TOY)
    assert [name for name, _f, _s in specs(ToyBlock)] == ["room", "capacity", "title", "notes"]
    assert (block.room, block.capacity, block.title["fr"]) == ("Sala B", 12, "Salle")  # a legacy name read
    assert "<script>" not in block.notes["en"]  # HTML sanitized once, when parsed
    assert block.values() == {"room": "Sala B", "capacity": 12, "title": {"en": "Room", "fr": "Salle"},
                              "notes": block.notes}
    exported = xml_of(block)
    assert 'capacity="12"' in exported and "seats" not in exported and "<![CDATA[" in exported
    renamed = exported.replace("<block", "<toy", 1).replace("</block>", "</toy>")
    again = block.runtime.get_block(block.runtime.parse_xml_string(renamed))
    assert again.values() == block.values()
    rows = {row["name"]: row for row in block.studio_rows()}
    assert rows["capacity"]["kind"] == "number" and rows["title"]["kind"] == "pair" and rows["notes"]["label"]
    status, body = call(block, "studio_submit", {"capacity": "30", "title": {"en": "R", "fr": "S"}})
    assert status == 200 and block.capacity == 30 and block.room == "Sala B"
    status, body = call(block, "studio_submit", {"capacity": "0"})
    assert status == 400 and "Capacity must be > 0." in body["error"] and block.capacity == 30
    status, body = call(block, "studio_submit", {"capacity": "lots"})
    assert status == 400 and block.capacity == 30
    assert [m.text for m in block.validate().messages] == []
    block.capacity = -1
    assert ["Capacity must be > 0."] == [m.text for m in block.validate().messages]


@XBlock.register_temp_plugin(ToyBlock, "toy")
def test_unknown_olx_is_refused_with_its_line(toy):
    from blma_xblocks.olx import OlxError
    with pytest.raises(OlxError) as caught:
        toy('<toy>\n<extra/></toy>')
    assert caught.value.line == 2 and "Unknown element <extra>" in str(caught.value)
    with pytest.raises(OlxError):
        toy('<toy colour="red"/>')


def test_the_registry_is_the_entry_points_the_cli_and_the_course():
    from importlib.metadata import entry_points
    installed = {e.name: e.value for e in entry_points(group="xblock.v1") if e.name.startswith("blma_")}
    assert installed == registry.BLOCKS
    for block_type in registry.BLOCKS:
        assert registry.block_class(block_type) is XBlock.load_class(block_type)
        assert registry.check_of(block_type) is not None
    assert set(registry.COURSE_TYPES) >= set(registry.BLOCKS) | {"blma_assignment", "blma_certificate"}


def test_blocks_stay_small_and_use_at_most_three_mixins():
    import ast
    from pathlib import Path
    package = Path(__file__).parent.parent / "blma_xblocks"
    for name in ("phase.py", "module.py", "quiz.py", "base.py", "declare.py", "quiz_parts/attempts.py",
                 "quiz_parts/tutor.py", "quiz_parts/bank.py"):
        assert len((package / name).read_text().splitlines()) <= 300, name
    for path in package.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno < 50, (path.name, node.name)
    for block_type in registry.BLOCKS:
        cls = registry.block_class(block_type)
        mixins = [base for base in cls.__bases__ if base is not XBlock]
        assert len(mixins) <= 3 and cls.__bases__[-1] is XBlock, (block_type, cls.__bases__)


def test_the_ledger_api_writes_one_row_per_learner_and_reads_by_assessment_id(load, as_user, settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"
    block = load(QUIZ.format(n=0, attempts=2, due="2026-05-01T23:59:00+02:00", limit=45, reveal="after_attempt")
                 .replace('phase="pre_course"', 'assessment_id="pre_course-quiz" phase="pre_course"'))
    events = []
    block.runtime.publish = lambda b, name, data: events.append((name, data))
    call(block, "start_attempt")
    call(block, "submit", {"answers": right_answers(block)})
    other = as_user(block, "learner2")
    call(other, "start_attempt")
    call(other, "submit", {"answers": {}})
    assert events == [("grade", {"value": 100.0, "max_value": 100})]
    mine = ledger.results_for(block.course_run, block.learner_id)
    assert list(mine) == ["pre_course-quiz"]
    result = mine["pre_course-quiz"]
    assert isinstance(result, AssessmentResult) and result.passed and result.percent == 100.0
    assert (result.phase, result.kind, result.block_id) == ("pre_course", "quiz", str(block.scope_ids.usage_id))
    everyone = ledger.results_for_course(block.course_run)
    assert len(everyone) == 2 and not everyone[other.learner_id]["pre_course-quiz"].passed
    assert Result.objects.count() == 2


def test_results_are_read_in_one_query_whatever_the_cohort(django_assert_num_queries):
    from blma_xblocks import storage
    for i in range(30):
        storage.record_result("c", "b", f"l{i}", assessment_id="capstone", phase="follow_up", kind="assignment",
                              score=60, max_score=100, passed=True)
    with django_assert_num_queries(1):
        assert len(ledger.results_for_course("c")) == 30
    with django_assert_num_queries(1):
        assert ledger.results_for("c", "l3")["capstone"].score == 60


def test_a_lost_race_publishes_nothing(load, settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"
    block = load(QUIZ.format(n=0, attempts=2, due="2026-05-01T23:59:00+02:00", limit=45, reveal="after_attempt"))
    events = []
    block.runtime.publish = lambda b, name, data: events.append(name)
    assert ledger.publish_result(block, kind="quiz", score=50, passed=False, write=lambda: False) is False
    assert events == [] and not Result.objects.exists() and not QuizAttempt.objects.exists()


def test_the_course_quizzes_name_their_assessment_and_the_policy_finds_them():
    from blma_xblocks.course import sources
    from .conftest import MODULES
    found = {s.ident: s for s in sources(MODULES) if s.block_type == "blma_quiz"}
    assert set(found) == {"pre_course-quiz", "residential-quiz"}
    assert all(s.root.get("assessment_id") == ident for ident, s in found.items())


def test_validate_warns_of_a_missing_assessment_id(load):
    block = load(QUIZ.format(n=0, attempts=2, due="", limit=0, reveal="never"))
    assert any("assessment id" in m.text for m in block.validate().messages)


def test_views_are_rendered_with_the_catalogue_merged_once(load, module_xml, monkeypatch):
    """Rendering many translated strings merges the block's catalogue once per language, not per string."""
    from django.utils.translation import trans_real
    merges = []
    original = trans_real.DjangoTranslation.merge
    monkeypatch.setattr(trans_real.DjangoTranslation, "merge",
                        lambda self, other: (merges.append(1), original(self, other)))
    block = load(module_xml)
    render(block, lang="fr")
    render(block, lang="en")
    first = len(merges)
    for _ in range(20):
        html_ = render(block, lang="fr")
    assert len(merges) == first  # making the translation merges Django's catalogues; rendering merges none
    assert "Marquer comme terminé" in html_ and "avril" not in html_
    assert "Mark as done" in render(block, lang="en")


@XBlock.register_temp_plugin(ToyBlock, "toy")
def test_a_refusal_inside_a_file_handler_is_a_json_error_not_a_500(toy):
    block = toy(TOY)
    assert call(block, "fetch", method="GET")[0] == 404 and call(block, "fetch", method="GET")[1] == {
        "error": "No such file."}
    request_ok = block.runtime.handle(block, "fetch", Request.blank("/", method="GET"), "known")
    assert request_ok.status_code == 200 and request_ok.body == b"content"


@XBlock.register_temp_plugin(ToyBlock, "toy")
def test_the_display_name_is_edited_in_studio_and_exported(toy):
    block = toy(TOY)
    rows = block.studio_rows()
    assert rows[0]["name"] == "display_name" and rows[0]["label"] == "Display name"
    values = {"room": "Sala C", "capacity": "5", "title": {"en": "R", "fr": "S"}, "notes": {"en": "", "fr": ""}}
    assert call(block, "studio_submit", dict(values, display_name="  Salle de réunion  "))[0] == 200
    assert block.display_name == "Salle de réunion" and 'display_name="Salle de réunion"' in xml_of(block)
    assert call(block, "studio_submit", dict(values, capacity="6"))[0] == 200
    assert block.display_name == "Salle de réunion" and block.capacity == 6  # not sent: kept
    status, body = call(block, "studio_submit", dict(values, display_name=["x"], capacity="7"))
    assert status == 400 and "Display name" in body["error"] and block.capacity == 6  # nothing saved
    assert call(block, "studio_submit", dict(values, display_name="x" * 300))[0] == 200
    assert len(block.display_name) == 255
