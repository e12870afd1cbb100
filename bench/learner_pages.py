"""Learner pages: each BLMA block's student_view against drag-and-drop-v2's (and the poll's).

Blocks, all in the same workbench runtime and database, seen by one learner:
- blma_module: modules/pre_course/pre-01-history.xml (not yet done);
- blma_phase: modules/pre_course/phase.xml (the timeline, the learner's progress);
- blma_quiz, open: modules/pre_course/quiz.xml with an attempt started (15 questions drawn);
- blma_quiz, feedback: the same quiz after a submitted attempt (score and feedback on 15 questions);
- drag-and-drop-v2 (its default problem) and xblock-poll (its default poll): the peers.

Three paths, each timed on every block in turn within each run (so load from other processes
falls on all alike):
- view: the block's student_view method alone, on a loaded block;
- render: `runtime.render(block, "student_view")` and the fragment's HTML (head, body, foot), as
  the workbench's course page does; adds the runtime's wrapper and aside lookup;
- request: what one page request costs the block: a new WorkbenchRuntime for the learner, the block
  loaded from the store (`get_block`), then render as above.

Goal (the issue): every learner page no slower than drag-and-drop-v2's (ratio <= 1.0x).
"""
import sys

from _setup import (course_xml, django_ready, header, interleaved, median, ms, p90, quiz_answers, quiz_xml, ratio,
                    table, timed)

django_ready()
# pylint: disable=wrong-import-position  # Django is set up (a throw-away database) before these imports

from django.utils import translation  # noqa: E402

import peers  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
LANGUAGES = ("en", "fr")
STUDENT = "learner1"  # sees the module, the phase and an open attempt
FEEDBACK_STUDENT = "learner2"  # has submitted an attempt


def setup():
    from blma_xblocks.models import QuizAttempt
    ids = peers.build()
    pages = {
        "blma_module": (peers.parse(course_xml("pre_course/pre-01-history.xml")), STUDENT),
        "blma_phase": (peers.parse(course_xml("pre_course/phase.xml")), STUDENT),
        "blma_quiz (open attempt)": (peers.parse(quiz_xml()), STUDENT),
    }
    pages["blma_quiz (feedback)"] = (pages["blma_quiz (open attempt)"][0], FEEDBACK_STUDENT)
    pages["drag-and-drop-v2"] = (ids.dnd, STUDENT)
    pages["xblock-poll"] = (ids.poll, STUDENT)
    quiz_id = pages["blma_quiz (open attempt)"][0]
    for student in (STUDENT, FEEDBACK_STUDENT):
        block = peers.block_for(quiz_id, student)
        peers.handle(block, "start_attempt", {})
    block = peers.block_for(quiz_id, FEEDBACK_STUDENT)
    attempt = QuizAttempt.objects.get(learner_id=block.learner_id, submitted_at__isnull=True)
    peers.handle(block, "submit", {"answers": quiz_answers(block, attempt)})
    opened = QuizAttempt.objects.get(learner_id=peers.block_for(quiz_id, STUDENT).learner_id)
    assert len(opened.question_ids) == 15, opened.question_ids
    return pages


def page_html(fragment):
    return fragment.head_html() + fragment.body_html() + fragment.foot_html()


def measures_for(usage_id, student):
    block = peers.block_for(usage_id, student)

    def view():
        return timed(block.student_view, {})[0]

    def render():
        return timed(lambda: page_html(block.runtime.render(block, "student_view", {})))[0]

    def request():
        return timed(request_path, usage_id, student)[0]

    return {"view": view, "render": render, "request": request}


def request_path(usage_id, student):
    """One page request: new runtime, block loaded, rendered (one runtime, as the workbench does)."""
    block = peers.block_for(usage_id, student)
    return page_html(block.runtime.render(block, "student_view", {}))


def main():
    pages = setup()
    header(f"Learner pages: student_view, {RUNS} runs per path and language")
    paths = ("view", "render", "request")
    results = {}
    sizes = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            measures = {}
            for name, (usage_id, student) in pages.items():
                parts = measures_for(usage_id, student)
                for path in paths:
                    measures[(name, path)] = parts[path]
                sizes[(name, lang)] = len(request_path(usage_id, student).encode("utf-8"))
            samples = interleaved(measures, RUNS)
        for key, values in samples.items():
            results[key + (lang,)] = values

    print("Times: median (p90).")
    print()
    rows = []
    for lang in LANGUAGES:
        for name in pages:
            rows.append([name, lang] + [f"{ms(median(results[(name, p, lang)]))} ({ms(p90(results[(name, p, lang)]))})"
                                        for p in paths] + [f"{sizes[(name, lang)]:,}"])
    table(["page", "lang", "view method", "runtime.render", "page request", "page bytes"], rows)

    print("Ratio of medians to drag-and-drop-v2 (to xblock-poll in brackets); goal: <= 1.0x against "
          "drag-and-drop-v2 on every learner page.")
    print()
    rows = []
    verdicts = []
    for lang in LANGUAGES:
        for name in pages:
            if not name.startswith("blma"):
                continue
            cells = []
            for p in paths:
                ours = median(results[(name, p, lang)])
                cells.append(f"{ratio(ours, median(results[('drag-and-drop-v2', p, lang)]))} "
                             f"({ratio(ours, median(results[('xblock-poll', p, lang)]))})")
            met = all(median(results[(name, p, lang)]) <= median(results[("drag-and-drop-v2", p, lang)])
                      for p in ("render", "request"))
            verdicts.append(met)
            rows.append([name, lang] + cells + ["yes" if met else "**no**"])
    table(["page", "lang", "view method", "runtime.render", "page request", "goal met (render and request)"], rows)
    print(f"goal met on {sum(verdicts)} of {len(verdicts)} page/language pairs")


if __name__ == "__main__":
    main()
