"""Every handler of every block, found by introspection, under hostile input (Hypothesis).

Whatever the body (deep, huge, wrong types, lone surrogates, NUL, not JSON, not UTF-8), a handler
answers below 500, and a refusal (4xx) changes nothing: neither the project's tables nor the
block's fields. A new handler is covered without editing this file.
"""
import hashlib
import json

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from webob import Request
from xblock.core import XBlock

from .conftest import MODULES

pytestmark = pytest.mark.django_db

COURSE_FILES = {"blma_phase": "pre_course/phase.xml", "blma_module": "pre_course/pre-01-history.xml",
                "blma_quiz": "pre_course/quiz.xml", "blma_assignment": "follow_up/assignment.xml"}
RAW = ("upload", "download", "export_results", "export_items", "export_grades", "download_all")  # not JSON
IDENTITIES = ("learner1", "tutor")


def handlers_of(block_type):
    cls = XBlock.load_class(block_type)
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


CASES = [(t, h) for t in COURSE_FILES for h in handlers_of(t)]


def test_introspection_finds_every_handler_and_each_declares_its_role():
    assert len(CASES) >= 11
    roles = {(t, h): getattr(getattr(XBlock.load_class(t), h), "blma_role", None) for t, h in CASES}
    assert None not in roles.values(), roles  # every handler goes through the one guard
    assert roles[("blma_quiz", "reset_attempts")] == "staff"
    assert roles[("blma_quiz", "export_results")] == "staff"
    assert {roles[(t, "studio_submit")] for t in COURSE_FILES} == {"author"}
    assert roles[("blma_quiz", "submit")] == "learner"


@pytest.fixture
def blocks(load, as_user, settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"
    made = {}
    for block_type, name in COURSE_FILES.items():
        xml = (MODULES / name).read_text(encoding="utf-8").split("?>", 1)[1]
        block = load(xml)
        made[block_type] = {who: as_user(block, who) for who in IDENTITIES}
    return made


def snapshot(block):
    """A digest of the project's tables and of the block's stored fields."""
    digest = hashlib.sha256()
    for model in apps.get_app_config("blma_xblocks").get_models():
        for row in model.objects.order_by("pk").values():
            digest.update(repr(sorted(row.items())).encode("utf-8", "surrogatepass"))
    for name, field in sorted(block.fields.items()):
        if field.is_set_on(block):
            digest.update(repr((name, field.read_json(block))).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def send(block, handler, body, method="POST"):
    request = Request.blank("/", method=method)
    request.body = body
    request.content_type = "application/json"
    return block.runtime.handle(block, handler, request)


def check(block, handler, body, method="POST"):
    before = snapshot(block)
    response = send(block, handler, body, method)
    assert response.status_code < 500, (handler, body[:200], response.body[:300])
    if response.status_code >= 400:
        assert snapshot(block) == before, (handler, body[:200], response.status_code)
        if response.content_type == "application/json":
            assert isinstance(json.loads(response.body)["error"], str)
    return response


# Text with everything a hostile client can send: lone surrogates, NUL, controls, any plane.
TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | TEXT
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=20)
FIELD_NAMES = st.sampled_from(["answers", "learner_id", "title", "weight", "questions", "modules", "start_date",
                               "kind", "body", "estimated_minutes", "due_date", "open_date", "x", "text", "confirm",
                               "file_id", "revision", "levels", "feedback", "note", "action", "page", "query",
                               "state", "sort", "until", "rubric"])
BODIES = st.one_of(
    st.dictionaries(FIELD_NAMES, JSON, max_size=5),  # plausible shapes with hostile values
    JSON,  # anything at all
)


def dumps(value):
    return json.dumps(value, allow_nan=True).encode("utf-8")  # lone surrogates become \ud800 escapes


@pytest.mark.parametrize("block_type,handler", CASES)
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(body=BODIES, who=st.sampled_from(IDENTITIES))
def test_no_body_makes_a_handler_fail_or_change_state_on_refusal(blocks, block_type, handler, body, who):
    method = "GET" if handler.startswith(("export_", "download")) else "POST"
    check(blocks[block_type][who], handler, dumps(body), method)


HOSTILE = {
    "deep list": b"[" * 1000 + b"]" * 1000,
    "deep object": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "deep in a field": b'{"answers":' + b"[" * 200 + b"]" * 200 + b"}",
    "huge": b'{"answers": "' + b"x" * (300 * 1024) + b'"}',
    "not utf-8": b'{"answers": "\xff\xfe"}',
    "not json": b"{answers:",
    "a lone surrogate": b'{"title": {"en": "\\ud800", "fr": "x"}}',
    "a NUL": b'{"title": {"en": "a\\u0000b", "fr": "x"}}',
    "a lone surrogate key": b'{"\\udfff": 1}',
    "a list": b"[1, 2]",
    "a number": b"1e400",
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("block_type,handler", CASES)
def test_hostile_bodies_are_refused_or_harmless(blocks, block_type, handler, name):
    for who in IDENTITIES:
        response = check(blocks[block_type][who], handler, HOSTILE[name], "POST")
        if name in ("deep list", "deep object", "deep in a field", "not json", "not utf-8") and handler not in RAW:
            assert response.status_code in (400, 403), (handler, name, response.status_code)
        if name == "huge" and handler not in RAW:
            assert response.status_code in (403, 413), (handler, response.status_code)


def test_parallel_hostile_requests_never_fail(blocks):
    """Handlers run side by side in one process (threads), as a busy LMS worker would."""
    from concurrent.futures import ThreadPoolExecutor
    quiz = blocks["blma_quiz"]["learner1"]
    bodies = list(HOSTILE.values()) * 2

    def one(body):
        return send(quiz, "save_answers", body).status_code
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(one, bodies))
    assert max(statuses) < 500 and len(statuses) == len(bodies)
