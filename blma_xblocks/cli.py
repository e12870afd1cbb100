"""Command line for course designers: `blma validate [PATH]` and `blma build-course [--out FILE]`.

Every mistake in a content file is printed as `file:line: message`, never a traceback.
Messages follow LANGUAGE / LANG (en or fr).
"""
import argparse
import io
import json
import os
import re
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import registry
from .core.phases import PHASE_KINDS, parse_date, utc_stamp
from .core.terms import check_pairs, check_term_base, check_text, duplicate_stems, newlines_before
from .core.text import LANGUAGES, N_, has_text, normalize_language
from .core.validation import check_certificate, check_schedule, check_workload
from .formats import parse_terms
from .olx import OlxError, elements, inner_text, tag_of
from .sanitize import stripped_parts

HTML_ELEMENTS = ("body", "description", "intro", "brief")
ORG, COURSE, RUN = "ITCILO", "A9718838", "2026"


def _gettext():
    from .i18n import catalogue  # the package catalogue, without Django settings
    return catalogue(normalize_language(os.environ.get("LANGUAGE") or os.environ.get("LANG", "en"))).gettext


@dataclass
class Report:
    """Problems as (path, line, message), and what the course holds."""
    problems: list = field(default_factory=list)
    modules: int = 0
    words: dict = field(default_factory=lambda: {lang: 0 for lang in LANGUAGES})
    banks: dict = field(default_factory=dict)
    texts: int = 0
    french: int = 0
    broken: set = field(default_factory=set)

    def add(self, path, line, message):
        path = Path(path)
        try:
            path = path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            pass
        self.problems.append((str(path), line or 1, message))

    @property
    def coverage(self):
        return 100.0 if not self.texts else round(100.0 * self.french / self.texts, 1)


# -- reading --------------------------------------------------------------------------------
def _django():
    """The blocks' modules need Django settings; outside a project, a minimal set does."""
    from django.conf import settings
    if not settings.configured:
        settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "blma_xblocks"],
                           USE_I18N=True, USE_TZ=True, DATABASES={})
        import django
        django.setup()


def _parse_runtime():
    _django()
    from .course import _ParseRuntime
    return _ParseRuntime()


def _parse(source, runtime):
    """The block's field values (dict) from its file, through the block class or the format parser."""
    from xblock.fields import ScopeIds

    if source.block_type in registry.FORMATS:
        return registry.format_of(source.block_type)[0](source.root)
    block_class = runtime.load_block_type(source.block_type)
    def_id = runtime.id_generator.create_definition(source.block_type)
    block = block_class.parse_xml(source.root, runtime,
                                  ScopeIds(None, source.block_type, def_id, runtime.id_generator.create_usage(def_id)))
    return block.values()


def _line(root, problem):
    """The line of the element a problem is about (the root's when nothing closer is known)."""
    params = problem.params
    name = problem.field.split("[")[0].split(" ")[0]
    index = re.search(r"\[(\d+)\]", problem.field)
    ident = params.get("question") or params.get("value")
    if problem.field == "requires" and ident:
        return next((n.sourceline for n in root.iter("assessment") if n.get("ref") == ident), root.sourceline)
    if ident:
        for tag in ("question", "criterion"):
            for node in root.iter(tag):
                if node.get("id") == ident:
                    return node.sourceline
    first_word = problem.field.split(" ")[0]
    for node in root.iter("question", "criterion"):
        if node.get("id") == first_word:
            return node.sourceline
    if index:
        items = list(root.iter({"objectives": "objective", "resources": "resource"}.get(name, name)))
        position = int(index.group(1)) - 1
        if 0 <= position < len(items):
            return items[position].sourceline
    for node in root:
        if tag_of(node) == name:
            return node.sourceline
    return root.sourceline


def _count_texts(root, report):
    for node in root.iter():
        children = [tag_of(c) for c in elements(node)] if isinstance(node.tag, str) else []
        if "en" in children or "fr" in children:
            values = {tag_of(c): inner_text(c) for c in elements(node) if tag_of(c) in LANGUAGES}
            if has_text(values.get("en")):
                report.texts += 1
                report.french += 1 if has_text(values.get("fr")) else 0


def _words(html):
    return len(re.sub(r"<[^>]+>", " ", html or "").split())


def validate(course_dir):
    """Check every file under course_dir; returns (Report, parsed {ident: (source, values)})."""
    from .course import read_source, CourseError
    g = _gettext()
    report = Report()
    runtime = _parse_runtime()
    parsed = []
    terms = []
    for path in sorted(Path(course_dir).rglob("*.xml")):
        try:
            source = read_source(path)
        except CourseError as exc:
            report.add(path, exc.error.line, exc.error.render(g))
            report.broken.add(path.stem)  # a module's file is named by its id
            continue
        if source.block_type == registry.TERMS:
            terms += _read_terms(source, report, g)
            continue
        if source.block_type not in registry.COURSE_TYPES:
            report.add(path, source.root.sourceline,
                       g(N_("Unknown block type <{tag}>.")).format(tag=source.block_type))
            continue
        try:
            values = _parse(source, runtime)
        except OlxError as exc:
            report.add(path, exc.line, exc.render(g))
            report.broken.add(source.ident)  # reported once here, not again as "missing" elsewhere
            continue
        parsed.append((source, values))
        _count_texts(source.root, report)
        for node in source.root.iter(*HTML_ELEMENTS):
            for child in elements(node):
                removed = stripped_parts(inner_text(child, html=True))
                if removed:
                    report.add(path, child.sourceline, g(N_("HTML the sanitizer would strip: {parts}")).format(
                        parts=", ".join(removed)))
    _check_each(parsed, report, g)
    _check_course(parsed, report, g)
    _check_terms(parsed, terms, report, g)
    _check_stems(parsed, Path(course_dir), report, g)
    return report, parsed


# -- the term base (modules/terms.xml) and quiz stems: docs/terms.md ------------------------------------
def _read_terms(source, report, g):
    try:
        terms = parse_terms(source.root)
    except OlxError as exc:
        report.add(source.path, exc.line, exc.render(g))
        return []
    for problem in check_term_base(terms):
        report.add(source.path, problem.params.get("line"), problem.render(g))
    return terms


def _raw_text(node):
    """An <en>/<fr> element's content as written (not stripped), so offsets count the file's lines."""
    return (node.text or "") + "".join(etree.tostring(child, encoding="unicode", with_tail=True) for child in node)


def _bilingual_nodes(root):
    """(element, {lang: <en>/<fr> child}) for every bilingual element of a content file."""
    for node in root.iter():
        if isinstance(node.tag, str):
            langs = {tag_of(child): child for child in elements(node) if tag_of(child) in LANGUAGES}
            if langs:
                yield node, langs


def _check_terms(parsed, terms, report, g):
    if not terms:
        return
    for source, _values in parsed:
        for node, langs in _bilingual_nodes(source.root):
            raw = {lang: _raw_text(child) for lang, child in langs.items()}
            html = tag_of(node) in HTML_ELEMENTS or any(len(elements(child)) for child in langs.values())
            for lang, child in langs.items():
                for problem in check_text(raw[lang], lang, terms, html):
                    line = child.sourceline + newlines_before(raw[lang], problem.params["offset"])
                    report.add(source.path, line, problem.render(g))
            for problem in check_pairs(raw, terms, html):
                report.add(source.path, langs[problem.field].sourceline, problem.render(g))


def _check_stems(parsed, course_dir, report, g):
    """A question stem already in another bank (quiz file)."""
    banks, lines, paths = [], {}, {}
    for source, _values in parsed:
        if source.block_type != "blma_quiz":
            continue
        try:
            bank = source.path.relative_to(course_dir).as_posix()
        except ValueError:
            bank = source.path.name
        paths[bank] = source.path
        questions = []
        for question in source.root.iter("question"):
            stem = next((child for child in elements(question) if tag_of(child) == "stem"), None)
            langs = {tag_of(c): c for c in elements(stem) if tag_of(c) in LANGUAGES} if stem is not None else {}
            questions.append((question.get("id"), {lang: _raw_text(child) for lang, child in langs.items()}))
            for lang, child in langs.items():
                lines[(bank, question.get("id"), lang)] = child.sourceline
        banks.append((bank, questions))
    for problem in duplicate_stems(banks):
        params = problem.params
        report.add(paths[params["bank"]], lines.get((params["bank"], params["question"], params["lang"])),
                   problem.render(g))


def _check_each(parsed, report, g):
    for source, values in parsed:
        check = registry.check_of(source.block_type)
        for problem in check(values) if check else []:
            report.add(source.path, _line(source.root, problem), problem.render(g))
        if source.block_type == "blma_module":
            report.modules += 1
            for lang in LANGUAGES:
                report.words[lang] += _words(values["body"].get(lang))
            if values["module_id"] and source.path.stem != values["module_id"]:
                report.add(source.path, source.root.sourceline, g(N_("The file name must be the module id "
                                                                     "\"{value}\".")).format(value=values["module_id"]))
        if source.block_type == "blma_quiz":
            report.banks[source.ident] = len(values["questions"])


def _check_course(parsed, report, g):
    """What no single file can tell: ids, the phases' modules, schedule, workload, the certificate."""
    by_type = {}
    for source, values in parsed:
        by_type.setdefault(source.block_type, []).append((source, values))
    _check_ids(parsed, report, g)
    modules = {values["module_id"]: (source, values) for source, values in by_type.get("blma_module", [])}
    minutes_by_phase = _check_phase_modules(by_type.get("blma_phase", []), modules, report, g)
    _check_assessments(by_type.get("blma_quiz", []) + by_type.get("blma_assignment", []), modules,
                       minutes_by_phase, report, g)
    _check_calendar(by_type.get("blma_phase", []), minutes_by_phase, report, g)
    assessments = {s.ident for s, _v in by_type.get("blma_quiz", []) + by_type.get("blma_assignment", [])}
    assessments |= report.broken
    for source, values in by_type.get("blma_certificate", []):
        for problem in check_certificate(values, assessments):
            report.add(source.path, _line(source.root, problem), problem.render(g))


def _check_ids(parsed, report, g):
    seen = {}
    for source, _values in parsed:
        if source.block_type in ("blma_phase", "blma_certificate"):
            continue
        if source.ident in seen:
            report.add(source.path, source.root.sourceline, g(N_("Id \"{value}\" is already used by {other}.")).format(
                value=source.ident, other=seen[source.ident]))
        seen[source.ident] = source.path.name


def _check_phase_modules(phases, modules, report, g):
    """Each phase's modules exist and each module is listed; returns the minutes of each phase
    (None where a broken module file leaves it unknown)."""
    listed, minutes_by_phase = set(), {}
    for source, values in phases:
        for ref in source.root.iter("module"):
            module_id = (ref.get("ref") or "").strip()
            listed.add(module_id)
            if module_id in report.broken:
                minutes_by_phase[values["kind"]] = None  # unknown until the module parses
            elif module_id not in modules:
                report.add(source.path, ref.sourceline, g(N_("The phase lists module \"{module}\", but no file "
                                                             "defines it.")).format(module=module_id))
            elif minutes_by_phase.get(values["kind"], 0) is not None:
                minutes_by_phase[values["kind"]] = (minutes_by_phase.get(values["kind"], 0)
                                                    + modules[module_id][1]["estimated_minutes"])
    for module_id, (source, _values) in modules.items():
        if module_id not in listed:
            report.add(source.path, source.root.sourceline,
                       g(N_("No phase lists module \"{module}\".")).format(module=module_id))
    return minutes_by_phase


def _check_assessments(assessments, modules, minutes_by_phase, report, g):
    """An assessment's time counts in its phase; a question names a module that exists."""
    for source, values in assessments:
        extra = values.get("time_limit") or values.get("estimated_minutes") or 0
        if minutes_by_phase.get(values["phase"], 0) is not None:
            minutes_by_phase[values["phase"]] = minutes_by_phase.get(values["phase"], 0) + extra
        for node in source.root.iter("question"):
            if node.get("module") and node.get("module") not in modules and node.get("module") not in report.broken:
                report.add(source.path, node.sourceline, g(N_("Question {question} names module \"{module}\", "
                                                              "which does not exist.")).format(
                    question=node.get("id"), module=node.get("module")))


def _check_calendar(phases, minutes_by_phase, report, g):
    """Phases in order without overlap, and each phase's workload within its weekly hours."""
    schedule = []
    for _source, values in phases:
        try:
            schedule.append((values["kind"], parse_date(values["start_date"]), parse_date(values["end_date"])))
        except ValueError:
            pass
    phase_sources = {values["kind"]: (source, values) for source, values in phases}
    for problem in check_schedule(schedule):
        source = phase_sources[problem.params["second"]][0]
        report.add(source.path, source.root.sourceline, problem.render(g))
    for kind, (source, values) in phase_sources.items():
        if minutes_by_phase.get(kind, 0) is None:
            continue
        for problem in check_workload(kind, values["weekly_hours"], parse_date(values["start_date"]),
                                      parse_date(values["end_date"]), minutes_by_phase.get(kind, 0)):
            report.add(source.path, source.root.sourceline, problem.render(g))


def print_report(report, out=None):
    out = out or sys.stdout
    g = _gettext()
    for path, line, message in sorted(report.problems, key=lambda p: (p[0], p[1])):
        print(f"{path}:{line}: {message}", file=out)
    if report.problems:
        print(g(N_("{count} problem(s) found.")).format(count=len(report.problems)), file=out)
        return
    banks = ", ".join(f"{name}: {count}" for name, count in sorted(report.banks.items())) or "-"
    print(g(N_("OK: {modules} modules, {en} words in English and {fr} in French; questions per bank: {banks}; "
               "French coverage {coverage} %.")).format(modules=report.modules, en=report.words["en"],
                                                        fr=report.words["fr"], banks=banks,
                                                        coverage=report.coverage), file=out)


# -- building -----------------------------------------------------------------------------------
def _xml(node):
    return etree.tostring(node, encoding="utf-8", xml_declaration=False, pretty_print=True)


def _english(values, key="title"):
    return (values.get(key) or {}).get("en") or ""


class _Export:
    """The files of a course export being built: path -> bytes."""

    def __init__(self):
        self.files = {}

    def unit(self, url_name, display_name, source, graded_as=None):
        """A sequential holding one vertical holding the block inline; url_names are unique per level."""
        block = etree.fromstring(etree.tostring(source.root))
        block.set("url_name", url_name)
        vertical = etree.Element("vertical", display_name=display_name)
        vertical.append(block)
        self.files[f"vertical/unit-{url_name}.xml"] = _xml(vertical)
        sequential = etree.Element("sequential", display_name=display_name)
        if graded_as:
            sequential.set("graded", "true")
            sequential.set("format", graded_as)
        etree.SubElement(sequential, "vertical", url_name=f"unit-{url_name}")
        self.files[f"sequential/seq-{url_name}.xml"] = _xml(sequential)
        return f"seq-{url_name}"

    def chapter(self, kind, phase, by_ident, certificate, policy_types):
        """A phase's chapter: its overview, modules, assessments (and the certificate last)."""
        source, values = phase
        # the LMS releases a chapter at its `start` (enforced for learners): the phase's local midnight
        start = utc_stamp(parse_date(values["start_date"]), values["timezone"])
        chapter = etree.Element("chapter", display_name=_english(values), start=start)
        sequentials = [self.unit(f"{kind}-overview", _english(values), source)]
        for module_id in values["modules"]:
            module_source, module_values = by_ident[("blma_module", module_id)]
            sequentials.append(self.unit(module_id, _english(module_values), module_source))
        for (block_type, ident), (other, other_values) in sorted(by_ident.items()):
            if block_type in ("blma_quiz", "blma_assignment") and other_values.get("phase") == kind:
                graded = policy_types.get(ident, {}).get("type")
                sequentials.append(self.unit(ident, _english(other_values), other, graded))
        # a unit only for a block the LMS can load: the certificate is policy data until its block exists
        # (the LMS answered 500 on the unit's /xblock/ page and showed learners an empty unit)
        if kind == "follow_up" and certificate and certificate[0].block_type in registry.BLOCKS:
            sequentials.append(self.unit(certificate[0].ident, _english(certificate[1]), certificate[0]))
        for url_name in sequentials:
            etree.SubElement(chapter, "sequential", url_name=url_name)
        self.files[f"chapter/{kind}.xml"] = _xml(chapter)
        return start, utc_stamp(parse_date(values["end_date"]), values["timezone"], end_of_day=True)

    def pack(self, out):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w:gz") as archive:
            for name, data in sorted(self.files.items()):
                info = tarfile.TarInfo(f"course/{name}")
                info.size = len(data)
                info.mtime = 0  # the same content gives the same archive
                archive.addfile(info, io.BytesIO(data))


def build_course(course_dir, out, progress=print):
    """Write an Open edX course export (.tar.gz) of the course; returns the validation report."""
    g = _gettext()
    steps = 5
    progress(g(N_("[{step}/{steps}] Validating the course files")).format(step=1, steps=steps))
    report, parsed = validate(course_dir)
    if report.problems:
        return report
    by_ident = {(s.block_type, s.ident): (s, v) for s, v in parsed}
    phases = {v["kind"]: (s, v) for s, v in parsed if s.block_type == "blma_phase"}
    certificate = next(((s, v) for s, v in parsed if s.block_type == "blma_certificate"), None)
    policy_types = {item["ref"]: item for item in (certificate[1]["requires"] if certificate else [])}
    export = _Export()

    progress(g(N_("[{step}/{steps}] Writing one chapter per phase")).format(step=2, steps=steps))
    course = etree.Element("course", display_name="Developing, negotiating and implementing bilateral labour "
                                                  "migration agreements", language="en")
    dates = [export.chapter(kind, phases[kind], by_ident, certificate, policy_types)
             for kind in PHASE_KINDS if kind in phases]
    for kind in (k for k in PHASE_KINDS if k in phases):
        etree.SubElement(course, "chapter", url_name=kind)
    export.files[f"course/{RUN}.xml"] = _xml(course)
    export.files["course.xml"] = _xml(etree.Element("course", url_name=RUN, org=ORG, course=COURSE))

    progress(g(N_("[{step}/{steps}] Writing the policies and the grading policy")).format(step=3, steps=steps))
    export.files[f"policies/{RUN}/policy.json"] = json.dumps({f"course/{RUN}": {
        "start": min(d[0] for d in dates) if dates else None,
        "end": max(d[1] for d in dates) if dates else None,
        "advanced_modules": list(registry.BLOCKS),  # installed block types only: Studio offers each one
        "cert_html_view_enabled": False,
        "course_image": "",
    }}, indent=2).encode("utf-8")
    export.files[f"policies/{RUN}/grading_policy.json"] = json.dumps(
        grading_policy(certificate[1] if certificate else {"requires": []}, by_ident), indent=2).encode("utf-8")
    export.files["policies/assets.json"] = b"{}"

    progress(g(N_("[{step}/{steps}] Packing {count} files")).format(step=4, steps=steps, count=len(export.files)))
    export.pack(out)
    progress(g(N_("[{step}/{steps}] Wrote {path}")).format(step=5, steps=steps, path=out))
    return report


def grading_policy(policy, by_ident):
    """Open edX grading policy from the certificate policy: one assignment type per required assessment,
    the same weights; the cutoff is the weighted pass marks, so a certificate always means a course pass."""
    graders, cutoff = [], 0.0
    for item in policy["requires"]:
        pass_mark = next((v.get("pass_mark", 0) for (t, i), (_s, v) in by_ident.items()
                          if i == item["ref"] and t in ("blma_quiz", "blma_assignment")), 0)
        graders.append({"type": item["type"], "short_label": "".join(w[0] for w in item["type"].split()).upper(),
                        "min_count": 1, "drop_count": 0, "weight": item["weight"] / 100})
        cutoff += item["weight"] * pass_mark / 10000
    return {"GRADER": graders, "GRADE_CUTOFFS": {"Pass": round(cutoff, 4)}}


def default_course_dir():
    local = Path.cwd() / "modules"
    if local.is_dir():
        return local
    from .course import COURSE_DIR
    return COURSE_DIR


def main(argv=None):
    g = _gettext()
    parser = argparse.ArgumentParser(prog="blma", description=g(N_("Course tools for the BLMA course.")))
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help=g(N_("Check the course files and print file:line problems.")))
    check.add_argument("path", nargs="?", default=None)
    build = commands.add_parser("build-course", help=g(N_("Build an Open edX course export (.tar.gz).")))
    build.add_argument("--out", default="dist/blma-course.tar.gz")
    build.add_argument("--path", default=None)
    args = parser.parse_args(argv)
    course_dir = Path(args.path) if args.path else default_course_dir()
    if not course_dir.exists():
        print(g(N_("{path}: no such folder.")).format(path=course_dir), file=sys.stderr)
        return 2
    if args.command == "validate":
        report, _parsed = validate(course_dir)
        print_report(report)
        return 1 if report.problems else 0
    report = build_course(course_dir, args.out)
    if report.problems:
        print_report(report)
        return 1
    print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
