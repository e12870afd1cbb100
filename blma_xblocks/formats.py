"""OLX of the assignment brief and rubric, and of the certificate policy.

Their blocks come later; these parsers are what those blocks' parse_xml will use, and
what `blma validate` checks today. Errors carry the line (OlxError).
"""
from .core.text import N_
from .olx import OlxError, check_attributes, elements, int_attribute, read_bilingual, tag_of, unknown_element

ASSIGNMENT_ATTRIBUTES = ("assignment_id", "phase", "due_date", "pass_mark", "estimated_minutes", "max_words",
                         "max_files", "max_file_mb")


def parse_assignment(node):
    """The assignment's fields (a dict) from <blma_assignment>."""
    check_attributes(node, ASSIGNMENT_ATTRIBUTES)
    values = {
        "assignment_id": (node.get("assignment_id") or "").strip(),
        "phase": (node.get("phase") or "").strip(),
        "due_date": (node.get("due_date") or "").strip(),
        "pass_mark": int_attribute(node, "pass_mark", 60),
        "estimated_minutes": int_attribute(node, "estimated_minutes", 0),
        "max_words": int_attribute(node, "max_words", 3000),
        "max_files": int_attribute(node, "max_files", 3),
        "max_file_mb": int_attribute(node, "max_file_mb", 10),
        "title": {}, "brief": {}, "rubric": [],
    }
    for child in elements(node):
        tag = tag_of(child)
        if tag == "title":
            values["title"] = read_bilingual(child)
        elif tag == "brief":
            values["brief"] = read_bilingual(child, html=True)
        elif tag == "rubric":
            values["rubric"] = [_criterion(c) for c in elements(child)]
        else:
            raise unknown_element(child, "blma_assignment")
    return values


def _criterion(node):
    if tag_of(node) != "criterion":
        raise unknown_element(node, "rubric")
    check_attributes(node, ("id", "weight"))
    criterion = {"id": (node.get("id") or "").strip(), "weight": int_attribute(node, "weight", 0),
                 "name": {}, "levels": [], "line": node.sourceline}
    for child in elements(node):
        tag = tag_of(child)
        if tag == "name":
            criterion["name"] = read_bilingual(child)
        elif tag == "level":
            check_attributes(child, ("points",))
            level = {"points": int_attribute(child, "points", 0), "name": {}, "descriptor": {}}
            for part in elements(child):
                if tag_of(part) not in ("name", "descriptor"):
                    raise unknown_element(part, "level")
                level[tag_of(part)] = read_bilingual(part)
            criterion["levels"].append(level)
        else:
            raise unknown_element(child, "criterion")
    return criterion


def parse_certificate(node):
    """The certificate policy (a dict) from <blma_certificate>."""
    check_attributes(node, ("certificate_id",))
    values = {"certificate_id": (node.get("certificate_id") or "").strip(), "title": {}, "rule": {},
              "requires": []}
    for child in elements(node):
        tag = tag_of(child)
        if tag in ("title", "rule"):
            values[tag] = read_bilingual(child)
        elif tag == "requires":
            for item in elements(child):
                if tag_of(item) != "assessment":
                    raise unknown_element(item, "requires")
                check_attributes(item, ("ref", "type", "weight"))
                values["requires"].append({"ref": (item.get("ref") or "").strip(),
                                           "type": (item.get("type") or "").strip(),
                                           "weight": int_attribute(item, "weight", 0), "line": item.sourceline})
        else:
            raise unknown_element(child, "blma_certificate")
    if not values["requires"]:
        raise OlxError(N_("The certificate policy requires no assessment."), node.sourceline)
    return values


def assignment_score(rubric, points):
    """0-100: for each criterion, weight x points / the criterion's top points."""
    total = 0.0
    for criterion in rubric:
        top = max((level["points"] for level in criterion["levels"]), default=0)
        if top:
            total += criterion["weight"] * points.get(criterion["id"], 0) / top
    return round(total, 2)
