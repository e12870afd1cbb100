"""The shared tutor pieces: names of learners for a table, spreadsheet-safe CSV."""
import csv
import io

import pytest

from blma_xblocks.tutor import LearnerName, csv_cell, csv_response, person_of


@pytest.mark.parametrize("value,expected", [
    ("", ""), (None, None), (0, 0), (-5.5, -5.5), ("plain", "plain"), ("=SUM(A1)", "'=SUM(A1)"),
    ("+33 1", "'+33 1"), ("-x", "'-x"), ("@cmd", "'@cmd"), ("\t=1", "'\t=1"), ("a=1", "a=1"),
])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised_and_nothing_else(value, expected):
    assert csv_cell(value) == expected


def test_csv_has_no_stray_quote_in_empty_cells_and_reads_back():
    response = csv_response("x.csv", ["Name", "Score"], [["", 1], ["=evil()", ""], ["Élodie", None]])
    text = response.body.decode("utf-8")
    assert text.startswith("\ufeff") and response.content_disposition == 'attachment; filename="x.csv"'
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["Name", "Score"], ["", "1"], ["'=evil()", ""], ["Élodie", ""]]


@pytest.mark.parametrize("name,label", [
    (LearnerName("a" * 32, "amina", "Amina Diallo"), "Amina Diallo (amina)"),
    (LearnerName("a" * 32, "amina", "amina"), "amina"),
    (LearnerName("a" * 32, "amina", ""), "amina"),
    (LearnerName("a" * 32, "", "Amina Diallo"), "Amina Diallo"),
    (LearnerName("abcdef0123456789"), "abcdef012345"),
])
def test_labels_prefer_people_and_fall_back_to_the_id(name, label):
    assert name.label == label


class Profile:
    name = "Amina Diallo"


class DjangoLikeUser:
    username = "amina"
    profile = Profile()

    def get_full_name(self):
        return "ignored when the profile has a name"


class XBlockLikeUser:
    full_name = "Amina D."
    opt_attrs = {"edx-platform.username": "amina"}


def test_person_of_reads_both_kinds_of_user():
    assert person_of(DjangoLikeUser()) == ("amina", "Amina Diallo")
    assert person_of(XBlockLikeUser()) == ("amina", "Amina D.")
    assert person_of(None) == ("", "")
