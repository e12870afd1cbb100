"""What tutor views share: learner names for a whole table at once, and spreadsheet-safe CSV.

Names: a learner's own requests carry their username and full name, which the blocks record
(`storage.remember_learner`); a tutor table reads them in one query. Ids never recorded (work
from before names were kept) are looked up once more in a batch: the LMS's anonymous-id table
when it is installed, else the runtime's user service, which in the LMS returns Django users
and in the workbench XBlockUsers.
"""
import csv
import io
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldError
from webob import Response

from . import storage

# A cell starting with one of these runs as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class LearnerName:
    """How a tutor table names a learner: the anonymous id, with username and full name when known."""
    learner_id: str
    username: str = ""
    full_name: str = ""

    @property
    def label(self):
        """"Full Name (username)", the username alone, or the id when the person is unknown."""
        if self.full_name and self.username and self.full_name != self.username:
            return f"{self.full_name} ({self.username})"
        return self.username or self.full_name or self.learner_id[:12]


def learner_names(block, learner_ids):
    """{anonymous id: LearnerName} for every id given; one query when every learner has acted."""
    wanted = list(dict.fromkeys(learner_ids))
    found = {i: LearnerName(i, *pair) for i, pair in storage.learner_names(block.course_run, wanted).items()}
    found.update(_looked_up(block, [i for i in wanted if i not in found]))
    return {i: found.get(i) or LearnerName(i) for i in wanted}


def _looked_up(block, learner_ids):
    """Ids the learner table does not name: the LMS's anonymous-id table, then the user service."""
    found = {}
    for lookup in (_from_lms_table, lambda ids: _from_user_service(block, ids)):
        missing = [i for i in dict.fromkeys(learner_ids) if i not in found]
        if not missing:
            break
        found.update(lookup(missing))
    return found


def name_rows(block, rows):
    """Rows that carry `learner_id`, `username` and `full_name` (joined in SQL) get a `name` label;
    ids the join did not name are looked up once for all the rows, past the learner table."""
    found = _looked_up(block, [r["learner_id"] for r in rows if not (r.get("username") or r.get("full_name"))])
    for row in rows:
        known = found.get(row["learner_id"]) or LearnerName(row["learner_id"], row.get("username") or "",
                                                            row.get("full_name") or "")
        row["username"], row["full_name"], row["name"] = known.username, known.full_name, known.label
    return rows


def person_of(user):
    """(username, full name) of a user object from either runtime's user service."""
    if user is None:
        return "", ""
    attrs = getattr(user, "opt_attrs", None)
    if attrs is not None:  # an XBlockUser (current user everywhere; lookups in the workbench)
        return attrs.get("edx-platform.username") or "", getattr(user, "full_name", "") or ""
    profile = getattr(user, "profile", None)  # the LMS keeps the full name on UserProfile
    full_name = getattr(profile, "name", "") or (user.get_full_name() if hasattr(user, "get_full_name") else "")
    return getattr(user, "username", "") or "", full_name or ""


def _from_lms_table(learner_ids):
    try:
        model = apps.get_model("student", "AnonymousUserId")
    except LookupError:  # not the LMS
        return {}
    rows = model.objects.filter(anonymous_user_id__in=learner_ids)
    try:
        rows = list(rows.select_related("user__profile"))
    except FieldError:
        rows = list(rows.select_related("user"))
    return {row.anonymous_user_id: LearnerName(row.anonymous_user_id, *person_of(row.user)) for row in rows}


def _from_user_service(block, learner_ids):
    service = block.runtime.service(block, "user")
    lookup = getattr(service, "get_user_by_anonymous_id", None)
    if lookup is None:
        return {}
    names = {}
    for learner_id in learner_ids:
        username, full_name = person_of(lookup(learner_id))
        if username or full_name:
            names[learner_id] = LearnerName(learner_id, username, full_name)
    return names


def csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename, header, rows):
    """A CSV download (UTF-8 with a BOM, so spreadsheets read accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(c) for c in header])
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return Response(body=("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv", charset="utf-8",
                    content_disposition=f'attachment; filename="{filename}"')
