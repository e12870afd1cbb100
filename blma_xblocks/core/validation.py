"""Checks on authored content, shared by Studio's validate(), studio_submit and the CLI.

Each check returns Problems whose message is an English msgid with {named}
placeholders: the adapter translates it, then formats it with params.
"""
import re
from dataclasses import dataclass, field as dataclass_field

from .phases import MODES, PHASE_KINDS, parse_date, parse_weekly_hours
from .text import LANGUAGES, N_, missing_languages

ERROR, WARNING = "error", "warning"
MODULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_TEXT = 200_000  # characters in one authored text: a body far longer is a paste mistake
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class Problem:
    """One finding on a named field: an English msgid with {named} params, an error or a warning."""
    field: str
    message: str
    params: dict = dataclass_field(default_factory=dict)
    severity: str = ERROR

    def render(self, gettext=lambda s: s, label=str):
        """The message in the reader's language. A {field} param is a field name: `label` turns it into
        what the reader knows it by (Studio's label; a file's author knows the attribute name)."""
        params = dict(self.params, field=label(self.params["field"])) if "field" in self.params else self.params
        return gettext(self.message).format(**params)


def _each_once(items, problems, field, message, placeholder):
    """Each item with its id ("?" when it has none); an id used twice adds a problem on `field`."""
    seen = set()
    for data in items:
        ident = data.get("id") or "?"
        if ident in seen:
            problems.append(Problem(field, message, {placeholder: ident}))
        seen.add(ident)
        yield ident, data


def _language_problems(name, texts, required=True):
    problems = []
    for lang in missing_languages(texts):
        if lang == "en":
            if required:
                problems.append(Problem(name, N_("{field}: the English text is missing."), {"field": name}))
        else:
            problems.append(Problem(name, N_("{field}: the French text is missing (English is shown instead)."),
                                    {"field": name}, WARNING))
    for lang in LANGUAGES:
        value = (texts or {}).get(lang) or ""
        if len(value) > MAX_TEXT:
            problems.append(Problem(name, N_("{field}: the text is longer than {limit} characters."),
                                    {"field": name, "limit": MAX_TEXT}))
    return problems


# Lone surrogates cannot be encoded (a page showing one answered 500); control characters other
# than newline and tab have no place in authored text.
_BAD_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def text_fault(text):
    """Why a string is not acceptable text (an N_ message), or None when it is."""
    found = _BAD_TEXT.search(text)
    if found is None:
        return None
    if "\ud800" <= found.group() <= "\udfff":
        return N_("the text is not valid Unicode (a lone surrogate).")
    return N_("the text holds a control character (only line breaks and tabs are allowed).")


def check_phase(values):
    """Problems in a phase's fields (a dict as the block stores them)."""
    problems = []
    if values.get("kind") not in PHASE_KINDS:
        problems.append(Problem("kind", N_("Unknown phase kind \"{value}\"; use one of {allowed}."),
                                {"value": values.get("kind"), "allowed": ", ".join(PHASE_KINDS)}))
    if values.get("mode") not in MODES:
        problems.append(Problem("mode", N_("Unknown mode \"{value}\"; use one of {allowed}."),
                                {"value": values.get("mode"), "allowed": ", ".join(MODES)}))
    dates = {}
    for name in ("start_date", "end_date"):
        try:
            dates[name] = parse_date(values.get(name))
        except ValueError:
            problems.append(Problem(name, N_("{field}: \"{value}\" is not a date (YYYY-MM-DD)."),
                                    {"field": name, "value": values.get(name)}))
            continue
        if dates[name] is None:
            problems.append(Problem(name, N_("{field}: a date is required."), {"field": name}))
    if dates.get("start_date") and dates.get("end_date") and dates["end_date"] < dates["start_date"]:
        problems.append(Problem("end_date", N_("The phase ends ({end}) before it starts ({start})."),
                                {"start": dates["start_date"].isoformat(), "end": dates["end_date"].isoformat()}))
    try:
        parse_weekly_hours(values.get("weekly_hours"))
    except ValueError:
        problems.append(Problem("weekly_hours", N_("Weekly hours \"{value}\" must look like 5 or 5-10."),
                                {"value": values.get("weekly_hours")}))
    for name in ("title", "venue", "description"):
        problems += _language_problems(name, values.get(name), required=name != "venue")
    seen = set()
    for module_id in values.get("modules") or []:
        if not isinstance(module_id, str) or not MODULE_ID.match(module_id):
            problems.append(Problem("modules", N_("\"{value}\" is not a valid module id."), {"value": module_id}))
        elif module_id in seen:
            problems.append(Problem("modules", N_("Module \"{value}\" is listed twice."), {"value": module_id}))
        seen.add(module_id)
    return problems


def check_module(values):
    """Problems in a module's fields."""
    problems = []
    module_id = values.get("module_id")
    if not isinstance(module_id, str) or not MODULE_ID.match(module_id):
        problems.append(Problem("module_id", N_("\"{value}\" is not a valid module id (lower case letters, "
                                                "digits, - and _)."), {"value": module_id}))
    minutes = values.get("estimated_minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 < minutes <= MAX_MINUTES:
        problems.append(Problem("estimated_minutes", N_("Estimated minutes must be a whole number from 1 to "
                                                        "{limit}."), {"limit": MAX_MINUTES}))
    problems += _language_problems("title", values.get("title"))
    problems += _language_problems("body", values.get("body"))
    objectives = values.get("objectives") or []
    for i, objective in enumerate(objectives, 1):
        problems += _language_problems(f"objectives[{i}]", objective)
    for i, resource in enumerate(values.get("resources") or [], 1):
        problems += _language_problems(f"resources[{i}]", (resource or {}).get("title"))
        if not safe_url(str((resource or {}).get("url") or "")):
            problems.append(Problem(f"resources[{i}]", N_("Resource {index}: the link must start with http://, "
                                                          "https:// or mailto:."), {"index": i}))
    return problems


def safe_url(url):
    """An absolute http(s) or mailto link, as resources require."""
    return bool(re.match(r"^(https?://[^\s<>\"']+|mailto:[^\s<>\"']+)$", url.strip()))


def errors(problems):
    return [p for p in problems if p.severity == ERROR]


MAX_WEIGHT = 100


def _weight_problems(weight):
    """The LMS multiplies the percentage by the weight: a finite number above 0, at most 100."""
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= MAX_WEIGHT:
        # NaN fails every comparison, so it lands here too
        return [Problem("weight", N_("Weight must be a number above 0 and at most {high}."), {"high": MAX_WEIGHT})]
    return []


def check_quiz(values):
    """Problems in a quiz: settings, and each question of the bank."""
    from . import quiz as q  # local: keeps this module importable on its own

    problems = []
    problems += _phase_problems(values)
    problems += assessment_id_problems(values.get("assessment_id"))
    for name, low, high in (("questions_per_attempt", 0, 500), ("attempts_allowed", 0, 100), ("pass_mark", 0, 100),
                            ("time_limit", 0, 24 * 60)):
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(Problem(name, N_("{field} must be a whole number from {low} to {high}."),
                                    {"field": name, "low": low, "high": high}))
    if values.get("grading") not in (q.BEST, q.LAST):
        problems.append(Problem("grading", N_("Grading must be \"best\" or \"last\".")))
    if values.get("reveal") not in q.REVEAL_RULES:
        problems.append(Problem("reveal", N_("Unknown reveal rule \"{value}\"; use one of {allowed}."),
                                {"value": values.get("reveal"), "allowed": ", ".join(q.REVEAL_RULES)}))
    problems += _due_date_problems(values)
    problems += _weight_problems(values.get("weight", 1.0))
    problems += _language_problems("title", values.get("title"))
    questions = values.get("questions") or []
    twice = N_("Question id \"{question}\" is used twice.")
    for qid, data in _each_once(questions, problems, "questions", twice, "question"):
        problems += _question_problems(q, data, qid)
    wanted = values.get("questions_per_attempt") or 0
    if isinstance(wanted, int) and wanted > len(questions):
        problems.append(Problem("questions_per_attempt", N_("The bank has {count} questions, fewer than the "
                                                            "{wanted} drawn per attempt."),
                                {"count": len(questions), "wanted": wanted}))
    if not questions:
        problems.append(Problem("questions", N_("The quiz has no question.")))
    return problems


def _question_problems(q, data, qid):
    problems = []
    kind = data.get("kind")
    options = data.get("options") or []
    if kind not in q.KINDS:
        return [Problem("questions", N_("Question {question}: unknown type \"{value}\"."),
                        {"question": qid, "value": kind})]
    if not isinstance(data.get("points"), int) or data.get("points") < 1:
        problems.append(Problem("questions", N_("Question {question}: points must be a whole number above 0."),
                                {"question": qid}))
    problems += _language_problems(f"{qid} stem", data.get("stem"))
    if data.get("feedback"):
        problems += _language_problems(f"{qid} feedback", data.get("feedback"), required=False)
    ids = [o.get("id") for o in options]
    if len(set(ids)) != len(ids) or not all(ids):
        problems.append(Problem("questions", N_("Question {question}: option ids must be present and unique."),
                                {"question": qid}))
    correct = sum(1 for o in options if o.get("correct"))
    for option in options:
        label = f"{qid}/{option.get('id')}"
        problems += _language_problems(f"{label} text", option.get("text"))
        if option.get("feedback"):
            problems += _language_problems(f"{label} feedback", option.get("feedback"), required=False)
        if kind == q.MATCHING:
            problems += _language_problems(f"{label} match", option.get("match"))
    if kind in (q.SINGLE, q.TRUE_FALSE) and correct != 1:
        problems.append(Problem("questions", N_("Question {question}: exactly one option must be correct "
                                                "(found {count})."), {"question": qid, "count": correct}))
    if kind == q.MULTIPLE and correct < 1:
        problems.append(Problem("questions", N_("Question {question} has no correct answer."), {"question": qid}))
    if kind in (q.ORDERING, q.MATCHING, q.SINGLE, q.MULTIPLE) and len(options) < 2:
        problems.append(Problem("questions", N_("Question {question}: it needs at least two options."),
                                {"question": qid}))
    if kind == q.TRUE_FALSE and sorted(ids) != ["false", "true"]:
        problems.append(Problem("questions", N_("Question {question}: a true/false question has the options "
                                                "\"true\" and \"false\"."), {"question": qid}))
    return problems


def parse_datetime(value):
    """An ISO datetime with its offset (a due date must say which time zone it means)."""
    from datetime import datetime
    parsed = datetime.fromisoformat(str(value).strip())
    if parsed.tzinfo is None:
        raise ValueError(value)
    return parsed


def check_assignment(values):
    """Problems in the capstone brief and rubric."""
    problems = []
    if not MODULE_ID.match(values.get("assignment_id") or ""):
        problems.append(Problem("assignment_id", N_("\"{value}\" is not a valid assignment id."),
                                {"value": values.get("assignment_id")}))
    problems += _phase_problems(values)
    if not 0 <= (values.get("pass_mark") or 0) <= 100:
        problems.append(Problem("pass_mark", N_("{field} must be a whole number from {low} to {high}."),
                                {"field": "pass_mark", "low": 0, "high": 100}))
    problems += _due_date_problems(values)
    problems += _assignment_limit_problems(values)
    problems += _language_problems("title", values.get("title"))
    problems += _language_problems("brief", values.get("brief"))
    rubric = values.get("rubric") or []
    if not 4 <= len(rubric) <= 6:
        problems.append(Problem("rubric", N_("The rubric has {count} criteria; use 4 to 6."), {"count": len(rubric)}))
    if sum(c.get("weight") or 0 for c in rubric) != 100:
        problems.append(Problem("rubric", N_("The criteria weights add up to {total}, not 100."),
                                {"total": sum(c.get("weight") or 0 for c in rubric)}))
    twice = N_("Criterion id \"{value}\" is used twice.")
    for cid, criterion in _each_once(rubric, problems, "rubric", twice, "value"):
        problems += _language_problems(f"{cid} name", criterion.get("name"))
        levels = criterion.get("levels") or []
        points = [level.get("points") for level in levels]
        if len(levels) != 4 or points != sorted(set(points)):
            problems.append(Problem("rubric", N_("Criterion {value}: it needs 4 levels with increasing points."),
                                    {"value": cid}))
        for level in levels:
            problems += _language_problems(f"{cid} level {level.get('points')} name", level.get("name"))
            problems += _language_problems(f"{cid} level {level.get('points')} descriptor", level.get("descriptor"))
    return problems


FILE_TYPES = ("pdf", "docx", "odt", "xlsx", "pptx")


def _assignment_limit_problems(values):
    """Limits a learner can meet: numbers in range, the minimum under the maximum, known file types."""
    problems = []
    for name, low, high in (("max_files", 0, 20), ("max_file_mb", 1, 100), ("max_words", 0, 20000),
                            ("min_words", 0, 20000), ("revision_days", 0, 90), ("lease_hours", 1, 168)):
        value = values.get(name)
        if name not in values:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(Problem(name, N_("{field} must be a whole number from {low} to {high}."),
                                    {"field": name, "low": low, "high": high}))
    if isinstance(values.get("min_words"), int) and isinstance(values.get("max_words"), int) and \
            values["max_words"] and values["min_words"] > values["max_words"]:
        problems.append(Problem("min_words", N_("The minimum of words ({low}) is above the maximum ({high})."),
                                {"low": values["min_words"], "high": values["max_words"]}))
    unknown = [t for t in str(values.get("file_types", "")).replace(",", " ").split() if t not in FILE_TYPES]
    if unknown:
        problems.append(Problem("file_types", N_("Unknown file type \"{value}\"; use some of {allowed}."),
                                {"value": unknown[0], "allowed": ", ".join(FILE_TYPES)}))
    if "weight" in values:
        problems += _weight_problems(values.get("weight"))
    return problems


def check_certificate(values, assessments):
    """Problems in the certificate policy; `assessments` are the ids defined in the course."""
    problems = _language_problems("title", values.get("title")) + _language_problems("rule", values.get("rule"))
    refs = [item.get("ref") for item in values.get("requires") or []]
    for item in values.get("requires") or []:
        if item.get("ref") not in assessments:
            problems.append(Problem("requires", N_("The policy names the assessment \"{value}\", which does not "
                                                   "exist (known: {allowed})."),
                                    {"value": item.get("ref"), "allowed": ", ".join(sorted(assessments)) or "-"}))
        if not item.get("type"):
            problems.append(Problem("requires", N_("Assessment \"{value}\" needs a type (its grading policy "
                                                   "name)."), {"value": item.get("ref")}))
    if len(set(refs)) != len(refs):
        problems.append(Problem("requires", N_("The policy names an assessment twice.")))
    total = sum(item.get("weight") or 0 for item in values.get("requires") or [])
    if total != 100:
        problems.append(Problem("requires", N_("The assessment weights add up to {total}, not 100."),
                                {"total": total}))
    return problems


def check_schedule(phases):
    """Phases in course order must not overlap or run backwards: [(kind, start, end)]."""
    problems = []
    order = {kind: i for i, kind in enumerate(PHASE_KINDS)}
    ordered = sorted(phases, key=lambda p: order.get(p[0], 99))
    for (kind_a, _start_a, end_a), (kind_b, start_b, _end_b) in zip(ordered, ordered[1:]):
        if end_a and start_b and start_b <= end_a:
            problems.append(Problem("start", N_("Phase {second} starts ({start}) before phase {first} ends "
                                                "({end})."), {"first": kind_a, "second": kind_b,
                                                              "start": start_b.isoformat(),
                                                              "end": end_a.isoformat()}))
    return problems


def check_workload(kind, weekly_hours, start, end, minutes):
    """The phase's estimated minutes against its promised weekly hours."""
    try:
        low, high = parse_weekly_hours(weekly_hours)
    except ValueError:
        return []
    if not start or not end:
        return []
    weeks = max(1, -(-((end - start).days + 1) // 7))
    per_week = minutes / 60 / weeks
    if not low <= per_week <= high:
        return [Problem("weekly_hours", N_("Phase {phase}: its content takes {hours} hours a week, outside the "
                                           "promised {weekly} hours."),
                        {"phase": kind, "hours": round(per_week, 1), "weekly": weekly_hours})]
    return []


def assessment_id_problems(value):
    """The name a certificate policy uses for an assessment: an id, and set (a warning until it is)."""
    if not value:
        return [Problem("assessment_id", N_("Set an assessment id: a certificate policy finds an assessment by it."),
                        severity=WARNING)]
    if not isinstance(value, str) or not MODULE_ID.match(value):
        return [Problem("assessment_id", N_("\"{value}\" is not a valid assessment id (lower case letters, digits, "
                                            "- and _)."), {"value": value})]
    return []


def _phase_problems(values):
    """An assessment's phase must be one of the course's."""
    if values.get("phase") in PHASE_KINDS:
        return []
    return [Problem("phase", N_("Unknown phase kind \"{value}\"; use one of {allowed}."),
                    {"value": values.get("phase"), "allowed": ", ".join(PHASE_KINDS)})]


def _due_date_problems(values):
    """The opening and due dates, when set, are ISO datetimes with their offset, in that order."""
    problems, parsed = [], {}
    for name, message in (("open_date", N_("Opening date \"{value}\" must look like 2026-05-04T00:00:00+02:00.")),
                          ("due_date", N_("Due date \"{value}\" must look like 2026-05-01T23:59:00+02:00."))):
        if not values.get(name):
            continue
        try:
            parsed[name] = parse_datetime(values[name])
        except ValueError:
            problems.append(Problem(name, message, {"value": values[name]}))
    if len(parsed) == 2 and parsed["due_date"] <= parsed["open_date"]:
        problems.append(Problem("due_date", N_("The quiz is due ({due}) before it opens ({opens})."),
                                {"due": values["due_date"], "opens": values["open_date"]}))
    return problems
