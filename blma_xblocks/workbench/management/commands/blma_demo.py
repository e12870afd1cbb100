"""Create the demo users and store the course's phase schedule (so each phase shows the timeline)."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from blma_xblocks import storage
from blma_xblocks.core.phases import PhaseInfo, parse_date
from blma_xblocks.course import units
from blma_xblocks.olx import read_bilingual, tag_of
from blma_xblocks.workbench.services import staff_usernames


class Command(BaseCommand):
    """`django-admin blma_demo`: the demo users and the phase schedule, for `make run` and the tests."""
    help = "Create learner1..learner3 and the tutor, and store the phase schedule of the course."

    def handle(self, *args, **options):
        user_model = get_user_model()
        for username in list(settings.BLMA_DEMO_LEARNERS) + sorted(staff_usernames()):
            user, created = user_model.objects.get_or_create(username=username,
                                                             defaults={"email": f"{username}@example.org"})
            if created:
                user.set_unusable_password()
                user.save()
        phases = [u for u in units() if u.kind == "phase"]
        for unit in phases:
            storage.store_phase(settings.BLMA_WORKBENCH_COURSE_ID, phase_info(unit.source.root))
        self.stdout.write(f"demo users ready; {len(phases)} phases scheduled")


def phase_info(root):
    """The schedule entry of a phase file, as its block computes it."""
    title = next((read_bilingual(c) for c in root if tag_of(c) == "title"), {})
    return PhaseInfo(root.get("kind"), parse_date(root.get("start_date") or root.get("start")),
                     parse_date(root.get("end_date") or root.get("end")),
                     root.get("mode") or "online", title)
