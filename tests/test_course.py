"""The course under modules/: every file parses through its block; mistakes name file and line."""
import pytest

from blma_xblocks.course import CourseError, parse_blocks, units, workbench_scenarios

from .conftest import MODULES


def test_the_course_has_three_phases_with_the_real_dates_and_their_modules():
    found = units(MODULES)
    phases = {u.slug: u.source.root for u in found if u.kind == "phase"}
    assert [(k, r.get("start_date"), r.get("end_date")) for k, r in phases.items()] == [
        ("pre_course", "2026-04-13", "2026-05-01"),
        ("residential", "2026-05-04", "2026-05-08"),
        ("follow_up", "2026-05-11", "2026-05-15"),
    ]
    modules = [u for u in found if u.kind == "module"]
    assert len(modules) >= 3
    assert all(u.title["en"] and u.title["fr"] for u in found)


def test_every_file_parses_through_its_block_and_every_module_is_used():
    blocks = parse_blocks(MODULES)
    module_ids = {b.module_id for s, b in blocks if s.block_type == "blma_module"}
    listed = {m for s, b in blocks if s.block_type == "blma_phase" for m in b.modules}
    assert module_ids == listed
    assert all(s.path.stem == b.module_id for s, b in blocks if s.block_type == "blma_module")
    assert len(workbench_scenarios(MODULES)) == len(units(MODULES))


@pytest.mark.parametrize("content,line,message", [
    ('<blma_module module_id="a">\n  <title><en>x</en></title>\n  <oops/>\n</blma_module>', 3,
     "Unknown element <oops>"),
    ('<?xml version="1.0"?>\n<blma_module module_id="a"\n   colour="red"/>', 3, 'Unknown attribute "colour"'),
    ('<blma_module module_id="a">\n<title><en>x</title>\n</blma_module>', 2, "Malformed XML"),
    ('<blma_quizz/>', 1, "Unknown block type <blma_quizz>"),
])
def test_a_broken_file_is_reported_as_file_and_line(tmp_path, content, line, message):
    broken = tmp_path / "pre_course" / "broken.xml"
    broken.parent.mkdir()
    broken.write_text(content, encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        parse_blocks(tmp_path)
    assert str(caught.value).startswith(f"{broken}:{line}: "), str(caught.value)
    assert message in str(caught.value)


def test_a_phase_naming_a_missing_module_is_reported(tmp_path):
    (tmp_path / "phase.xml").write_text('<blma_phase kind="pre_course">\n<modules>\n<module ref="ghost"/>'
                                        '</modules></blma_phase>', encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        units(tmp_path)
    assert ':3: The phase lists module "ghost"' in str(caught.value)
