"""Contracts with the Open edX LMS that the workbench cannot show (edx-platform can't be installed in CI).

The LMS mixes fields and methods into every block (settings.XBLOCK_MIXINS: LmsBlockMixin,
InheritanceMixin, XModuleMixin, EditInfoMixin) and edx-when stores `start`, `end` and `due` of
every block as datetimes at each publish. The names and field types below are read from
edx-platform master of late 2025 (commit b95b37e of a public copy):
lms/djangoapps/lms_xblock/mixin.py, xmodule/modulestore/inheritance.py, xmodule/x_module.py,
xmodule/modulestore/edit_info.py. A block field or method with one of these names broke access
checks, the staff debug markup and the course-structure cache (which pickles field values).
"""
import importlib.resources
import pickle
from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from xblock.core import XBlock, XBlockMixin
from xblock.exceptions import DisallowedFileError
from xblock.fields import Boolean, Date, Dict, Field, Float, Integer, List, Scope, String
from xblock.runtime import Mixologist

from blma_xblocks import registry
from blma_xblocks.course import parse_blocks, units
from blma_xblocks.models import Learner
from blma_xblocks.workbench.services import anonymous_id

from .conftest import MODULES, call, render

pytestmark = pytest.mark.django_db


class Timedelta(Field):
    """xmodule.fields.Timedelta: a timedelta stored as "N seconds"."""

    def from_json(self, value):
        return None if value is None else timedelta(seconds=float(str(value).split()[0]))

    def to_json(self, value):
        return None if value is None else f"{int(value.total_seconds())} seconds"


# InheritanceMixin + LmsBlockMixin + XModuleFields (display_name) + `end` (edx-when stores it).
LMS_FIELDS = {
    "graded": Boolean, "start": Date, "due": Date, "end": Date, "relative_weeks_due": Integer,
    "visible_to_staff_only": Boolean, "course_edit_method": String, "giturl": String, "xqa_key": String,
    "graceperiod": Timedelta, "group_access": Dict, "showanswer": String, "show_correctness": String,
    "rerandomize": String, "days_early_for_beta": Float, "static_asset_path": String,
    "use_latex_compiler": Boolean, "max_attempts": Integer, "matlab_api_key": String, "user_partitions": List,
    "video_speed_optimizations": Boolean, "video_auto_advance": Boolean, "video_bumper": Dict,
    "show_reset_button": Boolean, "edxnotes": Boolean, "edxnotes_visibility": Boolean,
    "in_entrance_exam": Boolean, "self_paced": Boolean, "hide_from_toc": Boolean, "format": String,
    "chrome": String, "default_tab": String, "source_file": String, "display_name": String,
}
# Methods and properties of the same mixins.
LMS_METHODS = {
    "merged_group_access", "validate", "publish_completion", "close_date", "is_past_due", "has_deadline_passed",
    "xmodule_runtime", "system", "course_id", "category", "location", "url_name", "display_name_with_default",
    "display_name_with_default_escaped", "tooltip_title", "xblock_kvs", "add_aside", "get_asides",
    "get_explicitly_set_fields_by_scope", "has_children_at_depth", "get_content_titles", "get_children",
    "get_child", "get_required_block_descriptors", "get_child_by", "get_icon_class", "has_dynamic_children",
    "get_score", "max_score", "get_progress", "bind_for_student", "non_editable_metadata_fields",
    "editable_metadata_fields", "public_view", "get_cds_init_args", "edited_by", "edited_on", "subtree_edited_by",
    "subtree_edited_on", "published_by", "published_on",
}
# Names a block shares with the LMS on purpose, and why (each is checked below).
SHARED_ON_PURPOSE = {
    "display_name": "Studio's name of the block: the block gives its own default",
    "max_score": "the LMS grades call it: the block says 100 (a raw percentage)",
    "validate": "Studio calls it; the block adds its messages to the LMS's through super()",
}

BLOCK_TYPES = tuple(registry.BLOCKS)  # every block of the registry
PUBLISHED = datetime(2026, 4, 1, tzinfo=timezone.utc)


def lms_mixin():
    """The LMS's fields as one mixin, typed as the LMS declares them (settings scope, inherited)."""
    attrs = {name: kind(scope=Scope.settings) for name, kind in LMS_FIELDS.items()}

    def validate(self):
        validation = super(LmsFields, self).validate()
        validation.lms_mixin_ran = True
        return validation
    attrs["validate"] = validate
    LmsFields = type("LmsFields", (XBlockMixin,), attrs)
    return LmsFields


def block_classes():
    return {name: XBlock.load_class(name) for name in BLOCK_TYPES}


def own_names(cls):
    """Attributes the project's own classes define (fields, methods, handlers, properties)."""
    names = set()
    for klass in cls.__mro__:
        if klass.__module__.startswith("blma_xblocks"):
            names |= set(vars(klass))
    return names


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_no_block_defines_a_name_the_lms_mixes_in(block_type):
    cls = block_classes()[block_type]
    clashes = (own_names(cls) | set(cls.fields)) & (set(LMS_FIELDS) | LMS_METHODS)
    assert clashes - set(SHARED_ON_PURPOSE) == set(), f"{block_type} defines LMS names: {sorted(clashes)}"


@pytest.fixture
def lms_runtime(runtime_for):
    """The workbench runtime with the LMS's fields mixed into every block, as the LMS runtime does."""
    mixin = lms_mixin()

    def make(student="learner1"):
        runtime = runtime_for(student)
        runtime.mixologist = Mixologist([mixin])
        return runtime
    return make


def course_blocks(lms_runtime, student="learner1"):
    """Every unit of the real course parsed in the LMS-like runtime, dated as edx-when stores it."""
    runtime = lms_runtime(student)
    blocks = []
    for unit in units(MODULES):
        block = runtime.get_block(runtime.parse_xml_string(unit.source.xml()))
        block.start, block.end, block.due = PUBLISHED, PUBLISHED + timedelta(days=60), PUBLISHED + timedelta(days=30)
        block.save()
        blocks.append(block)
    return blocks


def test_with_lms_fields_dated_every_block_renders_and_every_handler_answers(lms_runtime, as_user, settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"
    blocks = course_blocks(lms_runtime)
    assert {b.scope_ids.block_type for b in blocks} == set(BLOCK_TYPES)
    for block in blocks:
        # the LMS compares these with datetimes (access checks, staff debug markup, course-structure cache)
        assert isinstance(block.start, datetime) and isinstance(block.due, datetime) and isinstance(block.end, datetime)
        for lang in ("en", "fr"):
            assert "blma" in render(block, lang=lang)
        tutor = as_user(block, "tutor")
        tutor.runtime.mixologist = block.runtime.mixologist
        assert "blma" in render(tutor, "studio_view")
        for name in handler_names(type(block)):
            method = "GET" if name.startswith("export_") else "POST"
            for who in (block, tutor):
                status, body = call(who, name, {}, method=method)
                assert status < 500, (block.scope_ids.block_type, name, status, body)


def handler_names(cls):
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


def test_names_shared_on_purpose_behave(lms_runtime):
    blocks = {b.scope_ids.block_type: b for b in course_blocks(lms_runtime)}
    quiz = blocks["blma_quiz"]
    assert quiz.max_score() == 100
    assert type(quiz).fields["display_name"] is XBlock.load_class("blma_quiz").fields["display_name"]
    for block in blocks.values():
        assert getattr(block.validate(), "lms_mixin_ran", False), block.scope_ids.block_type


def test_the_quiz_does_not_inherit_the_courses_maximum_attempts(lms_runtime):
    quiz = next(b for b in course_blocks(lms_runtime) if b.scope_ids.block_type == "blma_quiz")
    quiz.max_attempts = 1  # what a course's "Maximum Attempts" advanced setting flows down as
    assert quiz.attempts_allowed == 2  # modules/*/quiz.xml: the quiz's own limit, part of the certificate rule
    assert "2 attempts" in render(quiz)


def test_every_field_value_of_every_course_block_pickles():
    """The LMS's course-structure cache pickles field values; a method or a lambda there loses grades."""
    checked = 0
    for _source, block in parse_blocks(MODULES):
        if not isinstance(block, XBlock):
            continue  # content whose block comes later (parsed as data)
        for name in block.fields:
            pickle.loads(pickle.dumps(getattr(block, name)))
            checked += 1
    assert checked > 100


def test_with_lms_fields_the_whole_field_set_pickles(lms_runtime):
    for block in course_blocks(lms_runtime):
        values = {name: getattr(block, name) for name in block.fields}
        assert pickle.loads(pickle.dumps(values))["start"] == PUBLISHED


def collectable_root(cls):
    """What edx-platform's XBlock static finder publishes: <package one level up>/<resources_dir>."""
    package = cls.__module__.rsplit(".", 1)[0]
    return importlib.resources.files(package) / cls.get_resources_dir()


def walk(folder):
    for item in folder.iterdir():
        if item.is_dir():
            yield from walk(item)
        else:
            yield item


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_only_public_assets_are_collectable(block_type):
    cls = block_classes()[block_type]
    files = [f for f in walk(collectable_root(cls)) if f.suffix not in (".py", ".pyc", ".scss")]
    names = sorted(f.name for f in files)
    assert "blma.css" in names and "common.js" in names
    for item in files:
        assert item.suffix not in (".xml", ".html", ".po", ".mo", ".py", ".json"), item  # no course file, template,
        # catalogue or code; the vendored editor's LICENSE and README may be public
        assert "correct=" not in item.read_text(encoding="utf-8", errors="replace"), item


@pytest.mark.parametrize("uri", ["static/../modules/pre_course/quiz.xml", "static/../../modules/pre_course/quiz.xml",
                                 "templates/quiz.html", "modules/pre_course/quiz.xml",
                                 "translations/fr/LC_MESSAGES/text.po"])
def test_course_files_are_not_served(uri):
    with pytest.raises((DisallowedFileError, FileNotFoundError, OSError)):
        XBlock.load_class("blma_quiz").open_local_resource(uri).read()


def test_the_workbench_still_serves_the_same_asset_urls(client):
    response = client.get("/resource/blma_quiz/static/js/quiz.js")
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    assert response.status_code == 200 and b"start_attempt" in body


# -- tutors see people, not anonymous ids ------------------------------------------------------------
class DjangoUserLookups:
    """The LMS's user service answers get_user_by_anonymous_id with a Django User (one query each)."""

    def __init__(self, service):
        self.service = service
        self.calls = 0

    def __getattr__(self, name):
        return getattr(self.service, name)

    def get_user_by_anonymous_id(self, uid=None):
        self.calls += 1
        found = self.service.get_user_by_anonymous_id(uid)
        if found is None or uid is None:
            return found
        return get_user_model().objects.get(username=found.opt_attrs["edx-platform.username"])


QUIZ = """<blma_quiz phase="pre_course" attempts_allowed="2" pass_mark="50">
  <title><en>Q</en><fr>Q</fr></title>
  <question id="q1" type="true_false"><stem><en>True?</en><fr>Vrai ?</fr></stem>
    <option id="true" correct="true"><text><en>True</en><fr>Vrai</fr></text></option>
    <option id="false"><text><en>False</en><fr>Faux</fr></text></option></question>
</blma_quiz>"""


def cohort(load, as_user, settings, size, prefix=""):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"
    settings.BLMA_DEMO_LEARNERS = [f"{prefix}person{i}" for i in range(size)]
    users = get_user_model().objects
    for i in range(size):
        users.create(username=f"{prefix}person{i}", first_name="Amina", last_name=f"Diallo{i}")
    block = load(QUIZ, f"{prefix}person0")
    for i in range(size):
        mine = as_user(block, f"{prefix}person{i}")
        # the LMS's current user is an XBlockUser whose full_name comes from the profile
        call(mine, "start_attempt")
        call(mine, "submit", {"answers": {}})
    tutor = as_user(block, "tutor")
    service = tutor.runtime._services["user"]  # pylint: disable=protected-access
    tutor.runtime._services["user"] = DjangoUserLookups(service)  # pylint: disable=protected-access
    return tutor


def roster_queries(tutor):
    with CaptureQueriesContext(connection) as queries:
        html = render(tutor)
    return html, [q["sql"] for q in queries]


def test_tutor_view_and_csv_show_full_names_and_usernames_the_same_queries_at_any_size(load, as_user, settings):
    counts = []
    for size in (3, 12):
        get_user_model().objects.all().delete()
        Learner.objects.all().delete()
        tutor = cohort(load, as_user, settings, size, prefix=f"s{size}-")
        html, queries = roster_queries(tutor)
        assert f"Amina Diallo1 (s{size}-person1)" in html
        assert f"Amina Diallo{size - 1} (s{size}-person{size - 1})" in html
        # names come with the page of the roster, joined in the database: never one query per learner
        assert not [q for q in queries if "auth_user" in q and "'tutor'" not in q]
        assert tutor.runtime._services["user"].calls == 0  # pylint: disable=protected-access
        counts.append(len(queries))
        status, text = call(tutor, "export_results", method="GET")
        assert text.splitlines()[0].startswith("\ufeffFull name,Username,Anonymous id")
        assert f"\nAmina Diallo0,s{size}-person0," in text
    assert counts[0] == counts[1], counts


def test_learners_never_recorded_are_named_through_the_user_service(load, as_user, settings):
    tutor = cohort(load, as_user, settings, 4)
    Learner.objects.all().delete()  # attempts made before names were kept
    html = render(tutor)
    assert "Amina Diallo2 (person2)" in html
    assert tutor.runtime._services["user"].calls == 4  # pylint: disable=protected-access


def test_an_unknown_learner_shows_the_id_prefix(load, as_user, settings):
    tutor = cohort(load, as_user, settings, 1)
    Learner.objects.all().delete()
    get_user_model().objects.filter(username="person0").delete()
    settings.BLMA_DEMO_LEARNERS = []
    html = render(tutor)
    learner_id = anonymous_id("person0", settings.BLMA_WORKBENCH_COURSE_ID)
    assert f"<th scope=\"row\">{learner_id[:12]}</th>" in html and "Amina" not in html


def test_a_course_exported_by_0_1_still_imports_and_exports_the_new_names(load):
    from lxml import etree
    phase = load("""<blma_phase kind="residential" start="2026-05-04" end="2026-05-08" mode="residential"
        weekly_hours="30-40"><title><en>T</en><fr>T</fr></title></blma_phase>""")
    assert (phase.start_date, phase.end_date) == ("2026-05-04", "2026-05-08")
    quiz = load(QUIZ.replace('attempts_allowed="2"', 'max_attempts="3"'))
    assert quiz.attempts_allowed == 3
    for block, new, old in ((phase, ("start_date", "end_date"), ("start", "end")),
                            (quiz, ("attempts_allowed",), ("max_attempts",))):
        node = etree.Element("x")
        block.add_xml_to_node(node)
        assert all(node.get(n) for n in new) and not any(node.get(o) for o in old)


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_hide_from_learners_and_access_groups_survive_an_export_and_import(lms_runtime, block_type):
    """Studio's "Hide from learners" and group access are LMS fields set on the block: XBlock's default
    OLX writes every set field as an attribute, and so must the blocks' own (course export, re-import)."""
    from blma_xblocks.base import xml_of
    source = next(u for u in units(MODULES) if u.source.block_type == block_type).source.xml()
    runtime = lms_runtime("tutor")
    block = runtime.get_block(runtime.parse_xml_string(source))
    block.visible_to_staff_only, block.group_access = True, {"50": [1, 2]}
    block.due = PUBLISHED
    exported = xml_of(block)
    assert 'visible_to_staff_only="true"' in exported
    again = runtime.get_block(runtime.parse_xml_string(exported))
    assert again.visible_to_staff_only is True and again.group_access == {"50": [1, 2]} and again.due == PUBLISHED
    with pytest.raises(Exception, match="not valid"):
        runtime.parse_xml_string(exported.replace('visible_to_staff_only="true"', 'visible_to_staff_only="{"'))


def test_in_the_lms_nobody_edits_and_only_a_publish_changes_the_timeline(lms_runtime, as_user):
    """The LMS gives no Studio permissions service and its content is read-only: course staff there get a
    403, not a failed write. In the workbench (its own service, no publish step) a save is the publish."""
    from blma_xblocks import storage
    source = next(u for u in units(MODULES) if u.source.block_type == "blma_phase").source.xml()
    runtime = lms_runtime("tutor")
    block = runtime.get_block(runtime.parse_xml_string(source))
    form = {row["name"]: row["value"] for row in block.studio_rows()}
    form["start_date"] = "2026-04-06"
    del runtime._services["studio_user_permissions"]  # pylint: disable=protected-access  # as in the LMS
    status, body = call(block, "studio_submit", form)
    assert block.is_staff and status == 403 and "in Studio" in body["error"]
    assert storage.phase_schedules(block.course_run) == []
    workbench = as_user(block, "tutor")
    assert call(workbench, "studio_submit", form)[0] == 200
    assert [str(p.start) for p in storage.phase_schedules(block.course_run)] == ["2026-04-06"]
    assert call(as_user(block, "learner1"), "studio_submit", form)[0] == 403
