"""The course as authored under modules/: phases, their modules, and the workbench units.

One source of truth: the workbench scenarios, `blma validate` and
`blma build-course` all read the files through here.
"""
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from xblock.fields import ScopeIds
from xblock.plugin import PluginMissingError
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, Runtime

from . import registry
from .core.phases import PHASE_KINDS
from .core.text import N_
from .olx import OlxError, parse_file, read_bilingual, tag_of

# BLMA_COURSE_DIR points the workbench and the checks at another copy of the course (tests, previews).
COURSE_DIR = Path(os.environ.get("BLMA_COURSE_DIR") or Path(os.path.dirname(os.path.abspath(__file__))) / "modules")


@dataclass
class Source:
    """One content file: its block type, id and parsed root (with line numbers)."""
    path: Path
    root: object
    block_type: str
    ident: str
    title: dict = field(default_factory=dict)

    def xml(self):
        """The block's OLX as a string (without the XML declaration)."""
        return etree.tostring(self.root, encoding="unicode")


@dataclass
class Unit:
    """A page of the workbench course: a phase overview or a module."""
    slug: str
    kind: str
    phase_kind: str
    source: Source

    @property
    def title(self):
        return self.source.title


class CourseError(Exception):
    """A content mistake in a named file, at a line."""

    def __init__(self, path, error):
        self.path = path
        self.error = error
        super().__init__(f"{path}:{error.line or 1}: {error.render()}")


def read_source(path):
    try:
        root = parse_file(path)
    except OlxError as exc:
        raise CourseError(path, exc) from None
    block_type = tag_of(root)
    ident = (root.get(registry.IDENTS[block_type]) or "") if block_type in registry.IDENTS else ""
    if block_type == "blma_quiz" and not ident:  # files from before assessment ids
        ident = f"{root.get('phase') or path.parent.name}-quiz"
    ident = ident or root.get("url_name") or path.stem
    title = {}
    for child in root:
        if tag_of(child) == "title":
            try:
                title = read_bilingual(child)
            except OlxError as exc:
                raise CourseError(path, exc) from None
    return Source(path, root, block_type, ident, title)


def sources(course_dir=COURSE_DIR):
    """Every content file under the course folder, in path order; not the term base (<blma_terms>),
    which is no block: only `blma validate` reads it."""
    course_dir = Path(course_dir)
    found = [read_source(path) for path in sorted(course_dir.rglob("*.xml"))]
    return [source for source in found if source.block_type != registry.TERMS]


def units(course_dir=COURSE_DIR):
    """The course's pages in order: each phase overview, then its modules."""
    found = sources(course_dir)
    phases = {s.ident: s for s in found if s.block_type == "blma_phase"}
    modules = {s.ident: s for s in found if s.block_type == "blma_module"}
    assessments = [s for s in found if s.block_type in ("blma_quiz", "blma_assignment")]
    result = []
    for kind in PHASE_KINDS:
        phase = phases.get(kind)
        if phase is None:
            continue
        result.append(Unit(kind, "phase", kind, phase))
        for ref in phase.root.iter("module"):
            module_id = (ref.get("ref") or "").strip()
            if module_id not in modules:
                raise CourseError(phase.path, OlxError(N_("The phase lists module \"{module}\", but no file "
                                                          "defines it."), ref.sourceline, module=module_id))
            result.append(Unit(module_id, "module", kind, modules[module_id]))
        # the end-of-phase assessment closes the phase
        result += [Unit(a.ident, a.block_type[len("blma_"):], kind, a) for a in assessments
                   if a.root.get("phase") == kind]
    return result


def workbench_scenarios(course_dir=COURSE_DIR):
    """(description, xml) per unit, for the workbench; descriptions are unique slugs.

    Every file is parsed first. A mistake gives no scenario here (xblock-sdk loads scenarios while
    importing its views, where an exception turned every page into a 500); the workbench's system
    check (workbench/checks.py) reports it as file:line and stops `make run` before it serves.
    """
    try:
        parse_blocks(course_dir)
        return [(f"blma {unit.slug}", unit.source.xml()) for unit in units(course_dir)]
    except CourseError as error:
        logging.getLogger(__name__).error("course files: %s", error)
        return []


class _ParseRuntime(Runtime):
    """A bare in-memory runtime: enough to run the blocks' parse_xml on a file."""

    def __init__(self):
        ids = MemoryIdManager()
        super().__init__(ids, ids, services={"field-data": KvsFieldData(DictKeyValueStore())})

    def handler_url(self, *args, **kwargs):
        raise NotImplementedError

    def local_resource_url(self, *args, **kwargs):
        raise NotImplementedError

    def publish(self, *args, **kwargs):
        raise NotImplementedError

    def resource_url(self, *args, **kwargs):
        raise NotImplementedError


def parse_blocks(course_dir=COURSE_DIR):
    """Parse every file through its block class; a mistake is a CourseError naming file and line.

    parse_xml gets the file's own element, so the lines it reports are the file's.
    """
    runtime = _ParseRuntime()
    blocks = []
    for source in sources(course_dir):
        if source.block_type in registry.FORMATS:  # content whose block comes later: parsed as data
            try:
                blocks.append((source, registry.format_of(source.block_type)[0](source.root)))
            except OlxError as exc:
                raise CourseError(source.path, exc) from None
            continue
        try:
            block_class = runtime.load_block_type(source.block_type)
        except PluginMissingError:
            raise CourseError(source.path, OlxError(N_("Unknown block type <{tag}>."), source.root.sourceline,
                                                    tag=source.block_type)) from None
        def_id = runtime.id_generator.create_definition(source.block_type)
        keys = ScopeIds(None, source.block_type, def_id, runtime.id_generator.create_usage(def_id))
        try:
            blocks.append((source, block_class.parse_xml(source.root, runtime, keys)))
        except OlxError as exc:
            raise CourseError(source.path, exc) from None
    return blocks
