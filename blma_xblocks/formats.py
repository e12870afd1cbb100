"""OLX read as data: the rubric's criteria (the assignment block's codec uses them), the certificate
policy (its block comes later; `blma validate` checks it today) and the term base. The assignment's
own fields are read by its block (base.BlmaBlock.parse_xml), the one parser. Errors carry the line (OlxError).
"""
from . import registry
from .core.terms import Term, Variant
from .core.text import LANGUAGES, N_
from .olx import OlxError, check_attributes, elements, int_attribute, read_bilingual, tag_of, unknown_element


def parse_criterion(node):
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


def _flag(node, name):
    raw = (node.get(name) or "false").strip().lower()
    if raw not in ("true", "false"):
        raise OlxError(N_("Attribute \"{name}\" must be true or false, not \"{value}\"."), node.sourceline,
                       name=name, value=node.get(name))
    return raw == "true"


def _phrase(node):
    if len(elements(node)):
        raise OlxError(N_("<{tag}> holds plain text only."), node.sourceline, tag=tag_of(node))
    text = " ".join((node.text or "").split())
    if not text:
        raise OlxError(N_("<{tag}> is empty."), node.sourceline, tag=tag_of(node))
    return text


def parse_terms(node):
    """The term base (a list of core.terms.Term) from <blma_terms> (docs/terms.md)."""
    check_attributes(node, ())
    terms = []
    for child in elements(node):
        if tag_of(child) != "term":
            raise unknown_element(child, registry.TERMS)
        check_attributes(child, ("id", "paired"))
        term_id = (child.get("id") or "").strip()
        if not term_id:
            raise OlxError(N_("A <term> needs an id."), child.sourceline)
        forms = {lang: [] for lang in LANGUAGES}
        avoid = []
        for part in elements(child):
            tag = tag_of(part)
            if tag in LANGUAGES:
                check_attributes(part, ())
                forms[tag].append(_phrase(part))
            elif tag == "avoid":
                check_attributes(part, ("lang", "exact", "use"))
                lang = (part.get("lang") or "").strip()
                if lang not in LANGUAGES:
                    raise OlxError(N_("<avoid> needs lang=\"en\" or lang=\"fr\"."), part.sourceline)
                avoid.append(Variant(lang, _phrase(part), _flag(part, "exact"), part.sourceline,
                                     " ".join((part.get("use") or "").split())))
            elif tag != "note":
                raise unknown_element(part, "term")
        terms.append(Term(term_id, {lang: tuple(values) for lang, values in forms.items()}, tuple(avoid),
                          _flag(child, "paired"), child.sourceline))
    return terms
