"""The workbench add-on as a Django app (for its management command); label apart from xblock-sdk's."""
from django.apps import AppConfig


class BlmaWorkbenchConfig(AppConfig):
    """The workbench's own app: its demo command, templates and system checks (never in the LMS)."""
    name = "blma_xblocks.workbench"
    label = "blma_workbench"
    verbose_name = "BLMA workbench"

    def ready(self):
        from . import checks  # noqa: F401  pylint: disable=unused-import
