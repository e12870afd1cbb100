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
        course_id = getattr(settings, "BLMA_WORKBENCH_COURSE_ID", "")
        user = get_user_model().objects.filter(username=username).only("id", "first_name", "last_name", "email").first()
        is_staff = username in staff_usernames()
        xuser = XBlockUser(
            is_current_user=True,
            emails=[user.email] if user and user.email else [],
            full_name=(user.get_full_name() if user else "") or username,
        )
        xuser.opt_attrs.update({
            "edx-platform.username": username,
            "edx-platform.user_id": user.id if user else None,
            "edx-platform.anonymous_user_id": anonymous_id(username, course_id),
            "edx-platform.user_is_staff": is_staff,
            "edx-platform.user_role": "staff" if is_staff else "student",
            "edx-platform.is_authenticated": user is not None,
        })
        return xuser
