"""Files attached to a capstone: checked while they stream in, stored under generated names.

The limit is enforced on the server while reading (the limit plus one byte is a 413); the type
is decided by the extension AND the file's own signature (an HTML file renamed .pdf is refused);
storage goes through Django's storage API (the LMS's configured storage, S3 for instance), under a
name the learner's file name never reaches.
"""
import re
import tempfile
import unicodedata
import uuid
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage

from ..core.text import N_

CHUNK = 64 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


class FileRefused(ValueError):
    """A file that is not accepted: status (400, 413) and an N_ message with params."""

    def __init__(self, status, message, **params):
        super().__init__(message)
        self.status, self.message, self.params = status, message, params


def clean_name(raw):
    """A display name: no path, no control characters, at most 120 characters (never used on disk)."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    return name[-120:] or "file"


def extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_limited(stream, limit):
    """The body into a temporary file, refusing (413) as soon as it passes `limit` bytes."""
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # pylint: disable=consider-using-with
    size = 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            spool.close()
            raise FileRefused(413, N_("The file is larger than {limit} MB."), limit=limit // (1024 * 1024))
        spool.write(chunk)
    spool.seek(0)
    return spool, size


def signature_kind(spool):
    """The type the file's own bytes say it is (pdf, docx, xlsx, pptx, odt), or None."""
    head = spool.read(8)
    spool.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(spool) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype" and archive.read("mimetype") == CONTENT_TYPES["odt"].encode():
                return "odt"
            if "[Content_Types].xml" in names:
                for kind, prefix in OOXML_PARTS.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except zipfile.BadZipFile:
        return None
    finally:
        spool.seek(0)
    return None


def receive(stream, raw_name, allowed, max_bytes, folder):
    """Check and store an upload; returns (display name, kind, size, storage name)."""
    name = clean_name(raw_name)
    kind = extension(name)
    if kind not in allowed:
        raise FileRefused(400, N_("Files of this type are not accepted; use one of: {types}."),
                          types=", ".join(allowed))
    spool, size = read_limited(stream, max_bytes)
    try:
        if size == 0:
            raise FileRefused(400, N_("The file is empty."))
        if signature_kind(spool) != kind:
            raise FileRefused(400, N_("The file's content is not a {kind} file."), kind=kind.upper())
        stored = default_storage.save(f"{folder}/{uuid.uuid4().hex}.{kind}", File(spool))
    finally:
        spool.close()
    return name, kind, size, stored
