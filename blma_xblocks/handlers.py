"""The one guard every BLMA handler goes through: role, body, and errors in the user's language.

`@handler(role=..., fields=...)` on a block method `(self, data, suffix)`:
- the role: "learner" (anyone the runtime lets in), "staff" (course staff) or "author" (who may
  edit the block in Studio); others get 403;
- the body, before any parsing: POST only (405), at most `max_bytes` (413), JSON (400), nested
  at most MAX_DEPTH deep (400), an object with only the declared `fields`, each of its declared
  JSON type (`{"answers": dict}`; 400), and every string valid Unicode text without control
  characters (400, naming the field);
- errors raised by the method with `block.fail(...)` become `{"error": message}` with their status;
  anything else is left to the runtime (a 500 is a bug, which the fuzz tests hunt).

`@download(role=...)` guards GET handlers that return a file (CSV exports).
XBlock's own `json_handler` parses first and checks nothing: a 1,000-level body raised
RecursionError (500) there.
"""
import functools
import json

from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from .core.text import N_
from .core.validation import text_fault

MAX_BYTES = 256 * 1024
MAX_DEPTH = 16
ROLES = ("learner", "staff", "author")
FORBIDDEN = N_("Only course staff can do this.")
REFUSED = {"author": N_("Only the course's authors can change this, in Studio.")}  # others: FORBIDDEN


# The body's declared fields: name -> the JSON type it must have.
KIND_NAMES = {dict: N_("an object"), list: N_("a list"), str: N_("a text"), int: N_("a whole number"),
              bool: N_("true or false")}


def _is(value, kind):
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def json_response(status, body):
    return Response(json.dumps(body).encode("utf-8"), status=status, content_type="application/json",
                    charset="utf-8")


def depth_of(value):
    """How deeply lists and objects nest (iteratively: no recursion on hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
            if isinstance(item, dict):
                stack.extend((key, level + 1) for key in item)
    return deepest


def first_bad_text(data):
    """(top-level field, fault) for the first string that is not acceptable text, else None."""
    for name, value in data.items():
        stack = [name, value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                fault = text_fault(item)
                if fault:
                    return name, fault
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return None


def allowed(block, role):
    if role == "staff":
        return block.is_staff
    if role == "author":
        return block.can_edit()
    return True


def parse_body(block, request, fields, max_bytes):
    """The request's JSON object, or JsonHandlerError with the status that fits."""
    if request.method != "POST":
        raise JsonHandlerError(405, block.gettext("Use POST for this request."))
    if (request.content_length or 0) > max_bytes:
        raise JsonHandlerError(413, block.gettext("The request is too large."))
    raw = request.body_file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise JsonHandlerError(413, block.gettext("The request is too large."))
    try:
        data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise JsonHandlerError(400, block.gettext("The request is not valid JSON.")) from None
    if depth_of(data) > MAX_DEPTH:
        raise JsonHandlerError(400, block.gettext("The request is nested too deeply."))
    if not isinstance(data, dict):
        raise JsonHandlerError(400, block.gettext("The request must be a JSON object."))
    if fields is not None:
        extra = sorted(set(data) - set(fields), key=str)
        if extra:
            raise JsonHandlerError(400, block.gettext("Unexpected field \"{field}\".").format(
                field=extra[0].encode("utf-8", "replace").decode("utf-8")))
        for name, kinds in fields.items():
            if name in data and not _is(data[name], kinds):
                raise JsonHandlerError(400, block.gettext("Field \"{field}\" must be {kind}.").format(
                    field=name, kind=block.gettext(KIND_NAMES[kinds])))
    bad = first_bad_text(data)
    if bad:
        raise JsonHandlerError(400, block.gettext("{field}: {fault}").format(
            field=block.field_name_for_user(bad[0]), fault=block.gettext(bad[1])))
    return data


def handler(role="learner", fields=None, max_bytes=MAX_BYTES):
    """Guard a JSON handler; see the module docstring."""
    assert role in ROLES, role

    def decorate(func):
        @functools.wraps(func)
        def guarded(block, request, suffix=""):
            try:
                if not allowed(block, role):
                    raise JsonHandlerError(403, block.gettext(REFUSED.get(role, FORBIDDEN)))
                data = parse_body(block, request, fields, max_bytes)
                return json_response(200, func(block, data, suffix))
            except JsonHandlerError as error:
                return json_response(error.status_code, {"error": error.message})
        guarded.blma_role = role
        guarded.blma_fields = fields
        return XBlock.handler(guarded)
    return decorate


def raw(role="learner", methods=("POST",)):
    """Guard a handler that reads the request itself (a file upload, a download); refusals are JSON."""
    assert role in ROLES, role

    def decorate(func):
        @functools.wraps(func)
        def guarded(block, request, suffix=""):
            if request.method not in methods:
                return json_response(405, {"error": block.gettext("Use {method} for this request.").format(
                    method=methods[0])})
            if not allowed(block, role):
                return json_response(403, {"error": block.gettext(REFUSED.get(role, FORBIDDEN))})
            try:
                return func(block, request, suffix)
            except JsonHandlerError as error:  # block.fail() in a file handler: JSON, as in every handler
                return json_response(error.status_code, {"error": error.message})
        guarded.blma_role = role
        guarded.blma_fields = None
        return XBlock.handler(guarded)
    return decorate


def download(role="staff"):
    """Guard a GET handler that returns a file (CSV exports)."""
    return raw(role, ("GET", "HEAD"))


handler.raw = raw
