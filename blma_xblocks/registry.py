"""The one list of the package's block types.

setup.py's entry points, `blma validate` and `blma build-course`, the course loader and the
workbench all read it. This module imports nothing, so setup.py can read it before the package's
dependencies are installed.
"""
import importlib

# OLX tag -> the class. The tag is the entry point name, which course teams type into Studio's
# "Advanced Module List": never rename one.
BLOCKS = {
    "blma_phase": "blma_xblocks.phase:PhaseBlock",
    "blma_module": "blma_xblocks.module:ModuleBlock",
    "blma_quiz": "blma_xblocks.quiz:QuizBlock",
    "blma_assignment": "blma_xblocks.assignment:AssignmentBlock",
}
# Course files whose block comes later: read as data by these parsers and checks (in formats.py and
# core/validation.py), until the block exists.
FORMATS = {
    "blma_certificate": ("parse_certificate", None),
}
TERMS = "blma_terms"  # the course's term base: a course file, not a block
# The attribute that names a file's id (the certificate policy and phases refer to files by it).
IDENTS = {"blma_phase": "kind", "blma_module": "module_id", "blma_quiz": "assessment_id",
          "blma_assignment": "assessment_id", "blma_certificate": "certificate_id"}
COURSE_TYPES = tuple(BLOCKS) + tuple(FORMATS)  # the types a course file may hold


def entry_points():
    return [f"{name} = {target}" for name, target in BLOCKS.items()]


def block_class(block_type):
    module, name = BLOCKS[block_type].split(":")
    return getattr(importlib.import_module(module), name)


def format_of(block_type):
    """(parse, check) functions for a file whose block comes later."""
    parse, check = FORMATS[block_type]
    formats = importlib.import_module("blma_xblocks.formats")
    validation = importlib.import_module("blma_xblocks.core.validation")
    return getattr(formats, parse), getattr(validation, check) if check else None


def check_of(block_type):
    """The core check of a course file's values."""
    if block_type in BLOCKS:
        return block_class(block_type).check
    return format_of(block_type)[1]
