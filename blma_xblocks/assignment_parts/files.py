"""Files attached to a capstone: checked while they stream in, stored under generated names.

The limit is enforced on the server while reading (the limit plus one byte is a 413); the type
is decided by the extension AND the file's own signature (an HTML file renamed .pdf is refused);
storage goes through Django's storage API (the LMS's configured storage, S3 for instance), under a
name the learner's file name never reaches.
"""
import re
import shutil
import tempfile
import unicodedata
import uuid
import zipfile
import zlib

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
MIMETYPE_MAX = 100  # an ODF "mimetype" member is one short line: a bigger one is refused unread (a zip bomb)
# What a hostile or broken zip raises while it is read: encrypted or unknown compression included.
ZIP_ERRORS = (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error, ValueError, OSError)


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
            if names and names[0] == "mimetype" and odf_mimetype(archive) == CONTENT_TYPES["odt"].encode():
                return "odt"
            if "[Content_Types].xml" in names:
                for kind, prefix in OOXML_PARTS.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except ZIP_ERRORS:
        return None  # not a file we can read, so not one we accept (a 400, as any other)
    finally:
        spool.seek(0)
    return None


def odf_mimetype(archive):
    """The first bytes of the "mimetype" member, read only when it is small and at most MIMETYPE_MAX of them."""
    info = archive.getinfo("mimetype")
    if info.file_size > MIMETYPE_MAX:
        return b""
    with archive.open(info) as member:
        return member.read(MIMETYPE_MAX)


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


class Chunks:
    """A response body read from an open file in chunks, closed once read or when the server closes the
    response (WSGI calls close()), so neither a big file nor the file handle stays behind."""

    def __init__(self, handle):
        self.handle = handle

    def __iter__(self):
        try:
            while True:
                chunk = self.handle.read(CHUNK)
                if not chunk:
                    break
                yield chunk
        finally:
            self.close()

    def close(self):
        self.handle.close()


def zip_of(members):
    """A zip of (name in the zip, storage name) pairs, in a temporary file: memory stays bounded whatever
    the files weigh (copied in chunks; the spool moves to disk past 1 MB). Returns it rewound, and its size."""
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # pylint: disable=consider-using-with
    missing = []
    try:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, storage_name in members:
                try:
                    source = default_storage.open(storage_name, "rb")
                except FileNotFoundError:  # one lost file must not cost the tutor all the others
                    missing.append(name)
                    continue
                with source, archive.open(name, "w") as target:
                    shutil.copyfileobj(source, target, CHUNK)
            if missing:
                archive.writestr("MISSING.txt", "\n".join(missing) + "\n")
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    return spool, size
