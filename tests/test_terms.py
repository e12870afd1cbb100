"""The term base (modules/terms.xml): matching rules, checks, `blma validate` output, and the course."""
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from blma_xblocks.cli import main, validate
from blma_xblocks.core.terms import (Term, Variant, check_pairs, check_term_base, check_text, duplicate_stems,
                                     find_phrase, newlines_before, plain_text, similarity, stem_key)
from blma_xblocks.formats import parse_terms
from blma_xblocks.olx import OlxError, parse_string

from .conftest import MODULES

DATA = Path(__file__).resolve().parent / "data"


def term(term_id="t", en=("labour migration",), fr=("migrations de main-d'œuvre",), avoid=(), paired=False):
    return Term(term_id, {"en": tuple(en), "fr": tuple(fr)},
                tuple(Variant(lang, phrase) if isinstance(phrase, str) else Variant(lang, *phrase)
                      for lang, phrase in avoid), paired)


LABOUR = term("labour-migration", avoid=[("fr", "migration de main-d'œuvre")])
BLMA = term("blma", ["bilateral labour migration agreement"], ["accord bilatéral sur les migrations de main-d'œuvre"],
            [("fr", "accord bilatéral de migration de main-d'œuvre"), ("fr", "accord bilatéral de main-d'œuvre")])
FEES = term("recruitment-fees", ["recruitment fees and related costs"],
            ["commissions de recrutement et frais connexes"],
            [("en", "recruitment fees and costs"), ("fr", "marchandage")])


def found(text, lang="fr", terms=(LABOUR, BLMA), html=False):
    return [p.params["found"] for p in check_text(text, lang, list(terms), html)]


# -- matching ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "la migration de main-d'œuvre",
    "LA MIGRATION DE MAIN-D'ŒUVRE",
    "la migration de main-d’œuvre",          # typographic apostrophe
    "la migration de main-dʼœuvre",
    "la migration de main-d'oeuvre",         # oe for œ
    "la migration de main d'œuvre",          # space for hyphen
    "la migration\u00a0de\nmain-d'œuvre",    # non-breaking space, line break
    "la migration  de   main‑d'œuvre",       # several spaces, non-breaking hyphen
])
def test_a_variant_matches_whatever_the_case_apostrophe_ligature_or_spacing(text):
    assert len(found(text)) == 1, text


@pytest.mark.parametrize("phrase,text,expected", [
    ("accord type", "des accords types", ["accords types"]),
    ("accord bilatéral", "les accords bilatéraux", ["accords bilatéraux"]),
    ("bureau", "les bureaux", ["bureaux"]),
    ("agency", "recruitment agencies", ["agencies"]),
    ("marchandage", "les marchandages", ["marchandages"]),
    ("accord type", "raccord type", []),               # not inside a word
    ("accord type", "accord typewriter", []),
    ("marchandage", "marchandageux", []),
    ("de", "des accords", []),                          # words under 3 letters take no plural
])
def test_phrases_match_on_word_boundaries_and_tolerate_plurals(phrase, text, expected):
    assert [text[s:e] for s, e in find_phrase(text, phrase)] == expected


def test_an_exact_variant_takes_no_plural():
    exact = term("x", avoid=[("fr", ("accord type", True))])
    assert found("un accord type", terms=[exact]) == ["accord type"]
    assert found("des accords types", terms=[exact]) == []


def test_a_variant_inside_the_preferred_form_does_not_fire():
    # "migration de main-d'œuvre" matches "migrations de main-d'œuvre" as a plural: the preferred form masks it
    assert found("les migrations de main-d'œuvre") == []
    assert found("les migrations de main-d’oeuvre") == []
    assert found("la migration de main-d'œuvre") == ["migration de main-d'œuvre"]
    nested = term("gov", ["migration governance"], ["gouvernance des migrations de main-d'œuvre"],
                  [("fr", "migrations de main-d'œuvre")])
    assert found("la gouvernance des migrations de main-d'œuvre", terms=[nested]) == []
    assert found("les migrations de main-d'œuvre", terms=[nested]) == ["migrations de main-d'œuvre"]


def test_preferred_forms_of_other_terms_mask_too():
    assert found("les accords bilatéraux sur les migrations de main-d'œuvre") == []


def test_a_hit_inside_a_longer_hit_is_reported_once_as_the_longer_one():
    assert found("les accords bilatéraux de migration de main-d'œuvre et la migration de main-d'œuvre") == [
        "accords bilatéraux de migration de main-d'œuvre", "migration de main-d'œuvre"]


def test_variants_are_checked_in_their_own_language_only():
    assert found("recruitment fees and costs", "en", [FEES]) == ["recruitment fees and costs"]
    assert found("recruitment fees and costs", "fr", [FEES]) == []
    assert found("le marchandage", "en", [FEES]) == []
    assert found("recruitment fees and related costs", "en", [FEES]) == []


def test_html_tags_are_not_text():
    assert found("<p>la migration de <strong>main-d'œuvre</strong></p>", html=True) == ["migration de main-d'œuvre"]
    assert found("<p>des accord<em>s</em> bilatéraux de main-d'œuvre</p>", html=True) == [
        "accords bilatéraux de main-d'œuvre"]
    assert found("<td>la migration de</td><td>main-d'œuvre</td>", html=True) == ["migration de main-d'œuvre"]
    assert found('<a title="la migration de main-d\'œuvre" href="x">lien</a>', html=True) == []
    assert found("<!-- la migration de main-d'œuvre --><p>rien</p>", html=True) == []
    assert found("<p>la migration de main-d&rsquo;&oelig;uvre</p>", html=True) == ["migration de main-d’œuvre"]


def test_plain_text_maps_each_character_back_to_the_source():
    source = "<p>a&amp;b</p>\n<p><em>c</em></p>"
    plain, offsets = plain_text(source, html=True)
    assert plain == " a&b \n c "
    assert [source[offsets[i]] for i, ch in enumerate(plain) if ch not in " \n"] == ["a", "&", "b", "c"]
    assert plain_text("x < y", html=False) == ("x < y", range(5))


def test_the_offset_gives_the_line_of_a_hit_in_a_multi_line_text():
    body = "\n<h3>Titre</h3>\n<p>Rien ici.</p>\n<p>Puis le\nmarchandage, enfin.</p>\n"
    problems = check_text(body, "fr", [FEES], html=True)
    assert [p.params["found"] for p in problems] == ["marchandage"]
    assert newlines_before(body, problems[0].params["offset"]) == 4
    assert body[problems[0].params["offset"]:].startswith("marchandage")
    assert newlines_before("one line", 3) == 0


def test_the_message_names_the_preferred_form_the_found_text_and_the_term():
    problem = check_text("Le Marchandage", "fr", [FEES])[0]
    assert problem.field == "fr"
    assert problem.render() == ('Terminology: write "commissions de recrutement et frais connexes" in French, not '
                                '"Marchandage" (term "recruitment-fees").')
    english = check_text("Recruitment fees  and\ncosts", "en", [FEES])[0]
    assert english.render() == ('Terminology: write "recruitment fees and related costs" in English, not '
                                '"Recruitment fees and costs" (term "recruitment-fees").')


def test_a_variant_can_name_the_form_to_suggest():
    rights = Term("rights", {"en": ("maintenance of acquired rights",), "fr": ("conservation des droits acquis",)},
                  (Variant("fr", "maintien des droits en cours d'acquisition",
                           use="conservation des droits en cours d'acquisition"),))
    assert check_text("le maintien des droits en cours d'acquisition", "fr", [rights])[0].params["preferred"] == \
        "conservation des droits en cours d'acquisition"


def test_a_paired_term_the_french_drops_is_reported():
    needs = term("needs-based", ["needs-based"], ["fondée sur les besoins", "fondé sur les besoins"], paired=True)
    missing = check_pairs({"en": "Position-based and needs-based negotiation",
                           "fr": "Négociation sur positions et négociation raisonnée"}, [needs])
    assert [(p.field, p.render()) for p in missing] == [("fr", (
        'Terminology: the English text says "needs-based", so the French text should say "fondée sur les besoins" '
        '(term "needs-based").'))]
    assert check_pairs({"en": "needs-based approaches", "fr": "les approches fondées sur les besoins"}, [needs]) == []
    assert check_pairs({"en": "needs-based approaches", "fr": ""}, [needs]) == []  # reported as missing French
    assert check_pairs({"en": "interest-based", "fr": "fondée sur les intérêts"}, [needs]) == []
    assert check_pairs({"en": "<p>needs-<em>based</em></p>", "fr": "<p>rien</p>"}, [needs], html=True)
    unpaired = term("needs-based", ["needs-based"], ["fondée sur les besoins"])
    assert check_pairs({"en": "needs-based", "fr": "raisonnée"}, [unpaired]) == []


# -- the term base itself ---------------------------------------------------------------------
def test_the_term_base_checks_itself():
    base = [term("a", avoid=[("fr", "migration de main-d'œuvre")]),
            term("a", fr=()),
            term("b", avoid=[("fr", "migrations de main-d’oeuvre")]),
            Term("c", {"en": ("x",), "fr": ("y",)}, (Variant("fr", "marchandage", use="marchandage habile"),))]
    assert [p.render() for p in check_term_base(base)] == [
        'Term "a" is defined twice.',
        'Term "a" needs a preferred form in English and in French.',
        'Term "b": the variant "migrations de main-d’oeuvre" is a preferred form ("migrations de main-d\'œuvre"), '
        'so it would never be reported.',
        'Term "c": the suggested form "marchandage habile" contains the variant "marchandage".',
    ]


def test_parse_terms_reads_forms_variants_and_flags():
    terms = parse_terms(parse_string(
        '<blma_terms>\n'
        '  <term id="x" paired="true"><note>why</note><en>model agreement</en>'
        '<fr>accord type</fr><fr>accord-type</fr>\n'
        '    <avoid lang="fr" exact="true" use="accord type">  modèle\n d\'accord </avoid></term>\n'
        '</blma_terms>'))
    assert terms == [Term("x", {"en": ("model agreement",), "fr": ("accord type", "accord-type")},
                          (Variant("fr", "modèle d'accord", True, 3, "accord type"),), True, 2)]


@pytest.mark.parametrize("xml,line,message", [
    ('<blma_terms>\n<term id="x">\n<avoid>y</avoid></term></blma_terms>', 3, '<avoid> needs lang="en" or lang="fr".'),
    ('<blma_terms>\n<term id="x">\n<avoid lang="de">y</avoid></term></blma_terms>', 3,
     '<avoid> needs lang="en" or lang="fr".'),
    ('<blma_terms>\n<term>\n<en>y</en></term></blma_terms>', 2, "A <term> needs an id."),
    ('<blma_terms>\n<term id="x">\n<en> </en></term></blma_terms>', 3, "<en> is empty."),
    ('<blma_terms>\n<term id="x">\n<en>a <b>b</b></en></term></blma_terms>', 3, "<en> holds plain text only."),
    ('<blma_terms>\n<term id="x">\n<synonym>y</synonym></term></blma_terms>', 3,
     "Unknown element <synonym> in <term>."),
    ('<blma_terms>\n<word id="x"/></blma_terms>', 2, "Unknown element <word> in <blma_terms>."),
    ('<blma_terms>\n<term id="x" paired="yes"/></blma_terms>', 2,
     'Attribute "paired" must be true or false, not "yes".'),
    ('<blma_terms>\n<term id="x">\n<avoid lang="fr" case="no">y</avoid></term></blma_terms>', 3,
     'Unknown attribute "case" on <avoid>.'),
])
def test_mistakes_in_the_term_base_carry_their_line(xml, line, message):
    with pytest.raises(OlxError) as caught:
        parse_terms(parse_string(xml))
    assert (caught.value.line, caught.value.render()) == (line, message)


# -- quiz stems -------------------------------------------------------------------------------
def test_stem_key_ignores_case_punctuation_spacing_apostrophes_and_markup():
    assert stem_key("Which  ILO instrument, adopted in 1949?") == stem_key("which ILO instrument adopted in 1949")
    assert stem_key("Qu’est-ce que l'accord ?") == stem_key("QU'EST-CE QUE L’ACCORD")
    assert stem_key("<p>Put the <strong>four</strong> phases</p>") == "put the four phases"
    assert stem_key("main-d'œuvre") == stem_key("main d'oeuvre")
    assert stem_key("Which instrument?") != stem_key("Which instruments?")


def test_a_stem_in_two_banks_is_reported_on_the_second_naming_the_first():
    banks = [("pre_course/quiz.xml", [("p1", {"en": "Which ILO instrument contains the model agreement?",
                                              "fr": "Quel instrument ?"}),
                                      ("p2", {"en": "Same bank twice.", "fr": "x"}),
                                      ("p3", {"en": "Same bank twice!", "fr": "y"})]),
             ("residential/quiz.xml", [("r1", {"en": "which ILO instrument contains the model agreement",
                                               "fr": "Autre"}),
                                       ("r2", {"en": "Another question", "fr": "QUEL instrument"}),
                                       ("r3", {"en": "Unrelated", "fr": "Sans rapport"})])]
    problems = duplicate_stems(banks)
    assert [(p.params["bank"], p.params["question"], p.params["lang"], p.render()) for p in problems] == [
        ("residential/quiz.xml", "r1", "en",
         "Question r1: the same stem is already in pre_course/quiz.xml, question p1."),
        ("residential/quiz.xml", "r2", "fr",
         "Question r2: the same stem is already in pre_course/quiz.xml, question p1."),
    ]


def test_a_reworded_copy_of_a_stem_is_reported_as_almost_the_same():
    first = "Put the four phases of the BLMA cycle, as set out in the ILO/IOM Global Guidance, in the correct order."
    second = "Put the four phases of the BLMA cycle described in the ILO/IOM Global Guidance in the right order."
    assert similarity(stem_key(first), stem_key(second)) > 0.6
    problems = duplicate_stems([("a.xml", [("q1", {"en": first})]), ("b.xml", [("q2", {"en": second})])])
    assert [p.render() for p in problems] == ["Question q2: the stem is almost the same as in a.xml, question q1."]
    other = "Which four phases does the ILO/IOM Global Guidance describe for monitoring an agreement?"
    assert duplicate_stems([("a.xml", [("q1", {"en": first})]), ("b.xml", [("q2", {"en": other})])]) == []
    short = [("a.xml", [("q1", {"en": "Define a BLMA quickly."})]), ("b.xml", [("q2", {"en": "Define a BLMA."})])]
    assert duplicate_stems(short) == []  # short stems count only when identical


# -- the real term base -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_terms():
    return parse_terms(etree.parse(str(MODULES / "terms.xml")).getroot())


def test_the_real_term_base_is_sound_and_covers_the_review(real_terms):
    assert check_term_base(real_terms) == []
    assert {t.id for t in real_terms} == {
        "blma", "labour-migration", "mou", "acquired-rights", "recruitment-fees", "bargaining", "model-agreement",
        "needs-based", "gender-parity", "whole-of-government", "remittances", "womens-human-rights",
        "end-of-pre-course", "brief-interpreters"}


def test_every_real_variant_fires_on_itself_and_no_preferred_form_fires(real_terms):
    for item in real_terms:
        for variant in item.avoid:
            assert [p.params["term"] for p in check_text(variant.phrase, variant.lang, real_terms)] == [item.id], \
                variant
        for lang, forms in item.forms.items():
            for form in forms:
                assert check_text(form, lang, real_terms) == [], form


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "les accords bilatéraux de migration de main-d’œuvre (ABMM)",
     "accords bilatéraux de migration de main-d’œuvre"),
    ("fr", "les accords bilatéraux de main-d'œuvre", "accords bilatéraux de main-d'œuvre"),
    ("fr", "les accords bilatéraux sur les migrations de main-d'œuvre (ABMM)", None),
    ("fr", "la gouvernance de la migration de main-d'œuvre", "migration de main-d'œuvre"),
    ("fr", "la gouvernance des migrations de main-d'œuvre", None),
    ("fr", "les protocoles d'accord", "protocoles d'accord"),
    ("fr", "les protocoles d'entente", None),
    ("fr", "le maintien des droits acquis", "maintien des droits acquis"),
    ("fr", "la conservation des droits acquis et des droits en cours d'acquisition", None),
    ("fr", "aucuns frais de recrutement ni coûts connexes", ["frais de recrutement", "coûts connexes"]),
    ("fr", "sans frais ni coûts connexes", "coûts connexes"),
    ("fr", "ni commissions de recrutement ni frais connexes", None),
    ("fr", "Stade 5 : le marchandage", "marchandage"),
    ("fr", "Stade 5 : la négociation proprement dite", None),
    ("fr", "le modèle d'accord annexé à la recommandation n° 86", "modèle d'accord"),
    ("fr", "l'accord type annexé à la recommandation n° 86", None),
    ("fr", "Une équipe paritaire aide", "équipe paritaire"),
    ("fr", "une commission mixte paritaire", None),
    ("fr", "une approche pangouvernementale", "pangouvernementale"),
    ("fr", "les transferts de fonds", "transferts de fonds"),
    ("fr", "les envois de fonds", None),
    ("fr", "les droits fondamentaux des femmes", "droits fondamentaux des femmes"),
    ("fr", "Évaluation de fin de phase préalable", "fin de phase préalable"),
    ("fr", "Évaluation de fin de la phase préalable", None),
    ("fr", "Briefer les interprètes", "Briefer"),
    ("fr", "lors du débriefing", None),
    ("en", "no recruitment fees and associated costs", "recruitment fees and associated costs"),
    ("en", "no recruitment fees or related costs are charged", None),
])
def test_the_real_term_base_on_the_review_examples(real_terms, lang, text, expected):
    expected = [expected] if isinstance(expected, str) else expected or []
    assert [p.params["found"] for p in check_text(text, lang, real_terms)] == expected


# -- blma validate ------------------------------------------------------------------------------
def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def replace(path, pattern, new):
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, new, text, count=1, flags=re.S)
    assert count == 1, pattern
    path.write_text(changed, encoding="utf-8")


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A copy of the course whose term base is tests/data/terms.xml (variants the course never uses)."""
    monkeypatch.setenv("LANGUAGE", "en")
    copy = tmp_path / "modules"
    shutil.copytree(MODULES, copy)
    shutil.copy(DATA / "terms.xml", copy / "terms.xml")
    return copy


def findings(out):
    return [line for line in out.splitlines()
            if "Terminolog" in line or "stem" in line or "énoncé" in line or "terms.xml" in line]


def test_the_copy_has_no_finding_before_the_mistakes(course, capsys):
    _code, out = run(capsys, "validate", str(course))
    assert [line for line in findings(out) if "fair-recruitment" in line or "migrant-worker" in line] == []


def test_a_variant_in_a_multi_line_body_is_reported_at_its_own_line(course, capsys):
    path = course / "pre_course" / "pre-02-types.xml"
    replace(path, r"(<en><!\[CDATA\[\s*<h3>[^<]*</h3>)",
            r"\1\n<p>First added line.</p>\n<p>Second added line about a\n<em>guest</em>  worker scheme.</p>")
    replace(path, r"(<fr><!\[CDATA\[\s*<h3>[^<]*</h3>)", r"\1\n<p>Un recrutement loyal.</p>")
    code, out = run(capsys, "validate", str(course))
    assert code == 1
    en_line = line_of(path, "<em>guest</em>")
    fr_line = line_of(path, "Un recrutement loyal.")
    assert en_line != line_of(path, "<en><![CDATA[")  # the hit's own line, not the element's
    assert findings(out) == [
        f'{path}:{en_line}: Terminology: write "migrant worker" in English, not "guest worker" '
        f'(term "migrant-worker").',
        f'{path}:{fr_line}: Terminology: write "recrutement équitable" in French, not "recrutement loyal" '
        f'(term "fair-recruitment").',
    ]


def test_a_variant_in_a_title_objective_or_option_is_reported_at_its_element(course, capsys, monkeypatch):
    module = course / "residential" / "res-03-skills.xml"
    replace(module, r"(<title>\s*<en>)", r"\1Guest workers: ")
    replace(module, r"(<objective>\s*<en>[^<]*<\/en>\s*<fr>)", r"\1Le travailleur invité : ")
    quiz = course / "residential" / "quiz.xml"
    replace(quiz, r'(<question id="res-q05".*?<option [^>]*>\s*<text>\s*<en>)', r"\1Honest recruitment: ")
    monkeypatch.setenv("LANGUAGE", "fr")
    code, out = run(capsys, "validate", str(course))
    assert code == 1
    assert findings(out) == [
        f'{quiz}:{line_of(quiz, "Honest recruitment: ")}: Terminologie : écrivez « fair recruitment » en anglais, '
        f'et non « Honest recruitment » (terme « fair-recruitment »).',
        f'{module}:{line_of(module, "Guest workers: ")}: Terminologie : écrivez « migrant worker » en anglais, '
        f'et non « Guest workers » (terme « migrant-worker »).',
        f'{module}:{line_of(module, "Le travailleur invité : ")}: Terminologie : écrivez « travailleur migrant » en '
        f'français, et non « travailleur invité » (terme « migrant-worker »).',
    ]


def test_a_paired_term_is_reported_at_the_french_element(course, capsys):
    shutil.copy(MODULES / "terms.xml", course / "terms.xml")
    path = course / "residential" / "res-10-positions-and-needs.xml"
    replace(path, r"<title>\s*<en>[^<]*</en>\s*<fr>[^<]*</fr>",
            "<title>\n    <en>Position-based and needs-based negotiation</en>\n"
            "    <fr>Négociation sur positions et négociation sur intérêts</fr>")
    _code, out = run(capsys, "validate", str(course))
    assert (f'{path}:{line_of(path, "sur intérêts")}: Terminology: the English text says "needs-based", so the '
            f'French text should say "fondée sur les besoins" (term "needs-based").') in out


def test_a_stem_copied_into_the_other_bank_is_reported(course, capsys):
    pre = course / "pre_course" / "quiz.xml"
    res = course / "residential" / "quiz.xml"
    source = etree.parse(str(pre)).getroot()
    stem = next(q for q in source.iter("question") if q.get("id") == "pre-q01").find("stem")
    english = stem.findtext("en").upper().replace(",", "").replace("?", " ?")
    french = next(q for q in source.iter("question") if q.get("id") == "pre-q02").find("stem").findtext("fr")
    replace(res, r'(<question id="res-q05".*?<stem>\s*<en>)[^<]*', lambda m: m.group(1) + english)
    replace(res, r'(<question id="res-q06".*?<stem>\s*<en>[^<]*</en>\s*<fr>)[^<]*',
            lambda m: m.group(1) + french.replace("'", "’"))
    code, out = run(capsys, "validate", str(course))
    assert code == 1
    en_line = line_of(res, english)
    fr_line = line_of(res, french.replace("'", "’"))
    lines = findings(out)
    assert f"{res}:{en_line}: Question res-q05: the same stem is already in pre_course/quiz.xml, question pre-q01." \
        in lines
    assert f"{res}:{fr_line}: Question res-q06: the same stem is already in pre_course/quiz.xml, question pre-q02." \
        in lines
    assert not any("pre_course/quiz.xml:" in line.split(" ")[0] for line in lines)  # the first one is not reported


def test_a_broken_term_base_is_reported_as_file_and_line(course, capsys):
    terms = course / "terms.xml"
    terms.write_text('<?xml version="1.0"?>\n<blma_terms>\n  <term id="x">\n    <avoid>labor</avoid>\n'
                     '  </term>\n</blma_terms>\n', encoding="utf-8")
    code, out = run(capsys, "validate", str(course))
    assert code == 1 and f'{terms}:4: <avoid> needs lang="en" or lang="fr".' in out
    assert "Unknown block type <blma_terms>" not in out
    terms.write_text('<?xml version="1.0"?>\n<blma_terms>\n  <term id="x"><en>a</en><fr>b</fr></term>\n'
                     '  <term id="x"><en>a</en><fr>b</fr></term>\n</blma_terms>\n', encoding="utf-8")
    _code, out = run(capsys, "validate", str(course))
    assert f'{terms}:4: Term "x" is defined twice.' in out


def test_the_workbench_and_the_export_ignore_the_term_base():
    from blma_xblocks.course import sources, units, workbench_scenarios
    assert (MODULES / "terms.xml").exists()
    assert all(s.block_type != "blma_terms" for s in sources(MODULES))
    assert all(u.source.block_type != "blma_terms" for u in units(MODULES))
    assert not any("blma_terms" in xml for _name, xml in workbench_scenarios(MODULES))


def test_the_real_course_has_no_terminology_or_duplicate_stem_finding(monkeypatch):
    """The course validates clean against its own term base (the content editors fix what this lists)."""
    monkeypatch.setenv("LANGUAGE", "en")
    report, _parsed = validate(MODULES)
    assert [f"{path}:{line}: {message}" for path, line, message in report.problems
            if message.startswith(("Terminology", "Term ")) or " stem " in message or path.endswith("terms.xml")] == []
