"""The capstone's files through the workbench runtime: hostile zips, downloads by id, files gone from
storage, uploads into a submitted work, and the tutors' zip of every file built with bounded memory."""
import io
import os
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from blma_xblocks.models import AssignmentFile, AssignmentWork

from .conftest import call
from .test_assignment_block import PDF, assignment, clock, send, submit, upload  # noqa: F401  pylint: disable=unused-import

pytestmark = pytest.mark.django_db

ODT_TYPE = "application/vnd.oasis.opendocument.text"


def odt(flag=0, method=None, mimetype=ODT_TYPE):
    """An .odt (mimetype first), its "mimetype" member's flag bits or compression method patched."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "<office:document-content/>")
    data = bytearray(buffer.getvalue())
    for header, offset in ((data.index(b"PK\x03\x04"), 6), (data.index(b"PK\x01\x02"), 8)):
        struct.pack_into("<H", data, header + offset, flag)
        if method is not None:
            struct.pack_into("<H", data, header + offset + 2, method)
    return bytes(data)


def test_a_valid_odt_is_accepted(assignment):
    assert upload(assignment(), "report.odt", odt())[0] == 200


@pytest.mark.parametrize("name,data", [
    ("encrypted", odt(flag=0x1)),  # RuntimeError: a password is needed
    ("patched", odt(flag=0x20)),  # NotImplementedError: compressed patched data
    ("unknown compression", odt(method=99)),  # NotImplementedError
    ("truncated", odt()[:60]),
])
def test_an_unreadable_odt_is_a_translated_400_not_a_500(assignment, name, data):
    block = assignment()
    for lang, message in (("en", "The file's content is not a ODT file."),
                          ("fr", "Le contenu du fichier ne correspond pas à un fichier ODT.")):
        with translation.override(lang):
            status, body = upload(block, "report.odt", data)
        assert status == 400 and body["error"] == message, (name, body)
    assert not AssignmentFile.objects.exists()


def test_a_zip_bomb_mimetype_is_refused_unread(assignment):
    """200 MB of zeros compress to 200 KB: the member is refused by its declared size, never inflated."""
    block = assignment()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w") as member:
            for _ in range(200):
                member.write(ODT_TYPE.encode() + bytes(1024 * 1024 - len(ODT_TYPE)))
    tracemalloc.start()
    try:
        status, body = upload(block, "bomb.odt", bomb.getvalue())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert status == 400 and "not a ODT file" in body["error"]
    assert peak < 20 * 1024 * 1024, peak


def test_a_download_by_an_id_that_is_no_number_or_too_long_is_a_404(assignment):
    block = assignment()
    assert upload(block, "annex.pdf", PDF)[0] == 200
    for suffix in ("²", "١", "9" * 30, "1.0", "-1", "", "x"):
        response = send(block, "download", b"", method="GET", suffix=suffix)
        assert response.status_code == 404, suffix


def test_a_file_missing_from_storage_is_a_clear_404(assignment):
    block = assignment()
    assert upload(block, "annex.pdf", PDF)[0] == 200
    stored = AssignmentFile.objects.get()
    default_storage.delete(stored.storage_name)
    with translation.override("fr"):
        response = send(block, "download", b"", method="GET", suffix=str(stored.pk))
    assert response.status_code == 404 and "plus dans le stockage" in response.json["error"]


def test_a_download_streams_the_file_and_closes_it(assignment, monkeypatch):
    block = assignment()
    assert upload(block, "annex.pdf", PDF)[0] == 200
    stored = AssignmentFile.objects.get()
    opened, real_open = [], default_storage.open

    def spy(name, mode="rb"):
        opened.append(real_open(name, mode))
        return opened[-1]
    monkeypatch.setattr(default_storage, "open", spy)
    response = send(block, "download", b"", method="GET", suffix=str(stored.pk))
    assert b"".join(response.app_iter) == PDF and opened and all(handle.closed for handle in opened)


def test_an_upload_into_work_submitted_while_the_file_streamed_in_is_a_409(assignment, monkeypatch):
    from blma_xblocks.assignment_parts import files
    block = assignment()
    real = files.receive

    def submitted_meanwhile(*args):
        found = real(*args)
        assert submit(block)[0] == 200
        return found
    monkeypatch.setattr(files, "receive", submitted_meanwhile)
    call(block, "save_draft", {"text": "<p>" + "word " * 50 + "</p>"})
    status, body = upload(block, "late.pdf", PDF)
    assert status == 409 and "This work is submitted" in body["error"]
    assert not AssignmentFile.objects.exists() and AssignmentWork.objects.get().state == "submitted"
    assert not os.listdir(default_storage.path(block.file_folder()))  # the stored copy is removed too


def test_all_files_are_zipped_with_bounded_memory(assignment, as_user):
    """Three files of 4 MB: the zip is built in a temporary file and sent in chunks, never whole in memory."""
    sizes, first = [], assignment()
    for student in ("learner1", "learner2", "learner3"):
        block = as_user(first, student)
        data = PDF + os.urandom(4 * 1024 * 1024)  # random: deflate cannot shrink it
        assert upload(block, "big.pdf", data)[0] == 200
        assert submit(block)[0] == 200
        sizes.append(len(data))
    tutor = as_user(block, "tutor")
    tracemalloc.start()
    try:
        response = send(tutor, "download_all", b"", method="GET")
        received = io.BytesIO()
        for chunk in response.app_iter:
            received.write(chunk)
            del chunk
        peak = tracemalloc.get_traced_memory()[1] - received.getbuffer().nbytes
    finally:
        tracemalloc.stop()
    assert response.headers["Content-Type"] == "application/zip"
    assert int(response.headers["Content-Length"]) == received.getbuffer().nbytes
    assert peak < 4 * 1024 * 1024, peak  # before: the whole zip, a copy of it and a file (over 16 MB)
    with zipfile.ZipFile(received) as archive:
        assert sorted(info.file_size for info in archive.infolist()) == sorted(sizes)


def test_a_file_gone_from_storage_leaves_the_others_in_the_zip_and_says_so(assignment, as_user):
    block = assignment()
    assert upload(block, "kept.pdf", PDF)[0] == 200
    assert upload(block, "gone.pdf", PDF + b"2")[0] == 200
    assert submit(block)[0] == 200
    gone = AssignmentFile.objects.order_by("pk").last()
    default_storage.delete(gone.storage_name)
    response = send(as_user(block, "tutor"), "download_all", b"", method="GET")
    with zipfile.ZipFile(io.BytesIO(response.body)) as archive:
        names = archive.namelist()
        missing = archive.read("MISSING.txt").decode().strip()
        assert len(names) == 2 and missing.endswith(f"-{gone.pk}.pdf") and missing not in names
        assert archive.read(names[0]) == PDF  # the kept file
