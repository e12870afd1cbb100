"""A Django system check: the course files parse, or the workbench does not start.

`runserver` and every management command (`make run` runs `blma_demo` first) run the checks
before anything is served, so a damaged file under modules/ stops them with its file:line.
"""
from django.core import checks

from ..course import CourseError, parse_blocks, units


@checks.register("blma")
def course_files_parse(app_configs=None, **kwargs):
    try:
        parse_blocks()
        units()
    except CourseError as error:
        return [checks.Error(str(error), hint="Fix the file, then run `make run` again "
                             "(`blma validate modules` lists every problem).", id="blma.E001")]
    return []
