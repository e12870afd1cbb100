"""A user service for the workbench with the attribute names the Open edX LMS sets.

The workbench knows the learner only by ?student=; its own service never says
who is staff. This one reports the configured tutors as staff, so block code is
the same here and in the LMS.
"""
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from xblock.reference.user_service import UserService, XBlockUser


def anonymous_id(username, course_id):
    """Stable per course and user, like the LMS's anonymous_id_for_user."""
    raw = f"{settings.SECRET_KEY}|{course_id}|{username}".encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:32]


def staff_usernames():
    return set(getattr(settings, "BLMA_STAFF_USERS", ["tutor"]))


class WorkbenchUserService(UserService):
    """Built with no arguments by the workbench; the runtime is attached afterwards."""

    runtime = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._cache = {}

    def get_current_user(self):
        username = str(getattr(self.runtime, "user_id", None) or "anonymous")
        if username not in self._cache:
            self._cache[username] = self._build(username)
        return self._cache[username]

    def get_user_by_anonymous_id(self, uid=None):
        """As the LMS service does: the user behind an anonymous id (None when unknown)."""
        if uid is None:
            return self.get_current_user()
        if "_by_anonymous_id" not in self._cache:  # one query for the whole roster
            course_id = getattr(settings, "BLMA_WORKBENCH_COURSE_ID", "")
            names = set(get_user_model().objects.values_list("username", flat=True))
            names |= set(getattr(settings, "BLMA_DEMO_LEARNERS", [])) | staff_usernames()
            self._cache["_by_anonymous_id"] = {anonymous_id(n, course_id): n for n in names}
        username = self._cache["_by_anonymous_id"].get(uid)
        if username is None:
            return None
        if username not in self._cache:
            self._cache[username] = self._build(username)
        return self._cache[username]

    @staticmethod
    def _build(username):
        return WorkbenchUser(username)


_UNREAD = object()


class _Profile(dict):
    """`opt_attrs`: what the username gives is set at once; the database's entries on first use."""

    FROM_DATABASE = ("edx-platform.user_id", "edx-platform.is_authenticated")

    def __init__(self, user, **known):
        super().__init__(**known)
        self._user = user

    def _complete(self, key):
        if key in self.FROM_DATABASE and not dict.__contains__(self, key):
            row = self._user.row()
            self.update({"edx-platform.user_id": row.id if row else None,
                         "edx-platform.is_authenticated": row is not None})

    def __getitem__(self, key):
        self._complete(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._complete(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._complete(key)
        return super().get(key, default)


class WorkbenchUser(XBlockUser):
    """The user behind ?student=. The LMS has the user on the request; here the database row is read
    only when a name, an e-mail or the user id is asked for (a learner's page needs none of them)."""

    def __init__(self, username):  # pylint: disable=super-init-not-called  # its attributes are properties here
        self.is_current_user = True
        self.username = username
        self._row = _UNREAD
        course_id = getattr(settings, "BLMA_WORKBENCH_COURSE_ID", "")
        is_staff = username in staff_usernames()
        self.opt_attrs = _Profile(self, **{
            "edx-platform.username": username,
            "edx-platform.anonymous_user_id": anonymous_id(username, course_id),
            "edx-platform.user_is_staff": is_staff,
            "edx-platform.user_role": "staff" if is_staff else "student",
        })

    def row(self):
        if self._row is _UNREAD:
            self._row = (get_user_model().objects.filter(username=self.username)
                         .only("id", "first_name", "last_name", "email").first())
        return self._row

    @property
    def emails(self):
        row = self.row()
        return [row.email] if row and row.email else []

    @property
    def full_name(self):
        row = self.row()
        return (row.get_full_name() if row else "") or self.username


class WorkbenchStudioPermissions:
    """The `studio_user_permissions` service Studio gives blocks (can_write), for the workbench: its staff
    author. The workbench has no publish step, so a save is what learners see (`save_is_publish`)."""

    runtime = None  # attached by the workbench after building the service
    save_is_publish = True

    def can_write(self, course_key):  # pylint: disable=unused-argument  # one course in the workbench
        return str(getattr(self.runtime, "user_id", "")) in staff_usernames()
