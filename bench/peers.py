"""The peer XBlocks the benchmarks compare against, built in the same workbench runtime and process.

- drag-and-drop-v2 (the Open edX drag-and-drop problem): its default problem, 5 items and 3 zones,
  in standard mode (each drop is graded: `drop_item`) and in assessment mode (the learner places
  everything, then `do_attempt` grades the whole attempt and publishes the grade);
- xblock-poll: its default poll (4 answers); its staff results (`get_results`) and its per-learner
  report (`generate_report_data`, what the LMS's "problem responses" report calls).

Both are parsed from OLX with `WorkbenchRuntime.parse_xml_string`, as the blocks' own
workbench_scenarios do, and stored in the same database as the BLMA blocks. `make bench`
installs them (requirements/bench.in); `make test` never needs them.
"""
import json
import time
from dataclasses import dataclass

from webob import Request

DND_XML = "<drag-and-drop-v2/>"  # standard mode: every drop is graded and publishes the grade
DND_ASSESSMENT_XML = '<drag-and-drop-v2 mode="assessment"/>'  # max_attempts unset: unlimited attempts
POLL_XML = "<poll/>"
SCENARIO = "bench"


def require_peers():
    missing = []
    for module, package in (("drag_and_drop_v2", "xblock-drag-and-drop-v2"), ("poll", "xblock-poll")):
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        raise SystemExit(f"peer XBlocks not installed: {', '.join(missing)}; run `make bench` "
                         "(or .venv/bin/pip install -c requirements/constraints.txt -r requirements/bench.in)")


@dataclass
class Peers:
    """The peers' usage ids in the workbench's store."""
    dnd: str             # usage id, standard mode
    dnd_assessment: str  # usage id, assessment mode
    poll: str            # usage id


def runtime_for(student):
    from workbench.runtime import WorkbenchRuntime
    runtime = WorkbenchRuntime(student)
    runtime.id_generator.set_scenario(SCENARIO)
    return runtime


def parse(xml, student="author"):
    """Parse OLX into the workbench's store; the usage id (the same in every runtime of the process)."""
    return runtime_for(student).parse_xml_string(xml)


def build():
    require_peers()
    return Peers(dnd=parse(DND_XML), dnd_assessment=parse(DND_ASSESSMENT_XML), poll=parse(POLL_XML))


def block_for(usage_id, student):
    """The block as a request for `student` loads it: a new runtime, fields read from the store."""
    return runtime_for(student).get_block(usage_id)


def dnd_drops(block):
    """The drops that place every item of a drag-and-drop problem in a right zone."""
    drops = []
    for item in block.data["items"]:
        zones = block.get_item_zones(item["id"])
        if zones:
            drops.append({"val": item["id"], "zone": zones[0]})
    return drops


# -- calling handlers ---------------------------------------------------------------------------
def handle(block, name, payload, expect=200):
    """A JSON POST through runtime.handle, as the workbench's handler view calls it: (seconds, JSON)."""
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode("utf-8"))
    request.content_type = "application/json"
    started = time.perf_counter()
    response = block.runtime.handle(block, name, request)
    elapsed = time.perf_counter() - started
    assert response.status_code == expect, (name, response.status_code, response.body[:300])
    return elapsed, json.loads(response.body.decode("utf-8")) if response.body else None


def http(client, usage_id, name, student, payload, expect=200):
    """The same POST through the whole workbench request path (URL routing, middleware, the
    handler view that builds a runtime and loads the block): (seconds, JSON)."""
    started = time.perf_counter()
    response = client.post(f"/handler/{usage_id}/{name}/?student={student}", data=json.dumps(payload),
                           content_type="application/json")
    elapsed = time.perf_counter() - started
    assert response.status_code == expect, (name, response.status_code, response.content[:300])
    return elapsed, json.loads(response.content.decode("utf-8")) if response.content else None
