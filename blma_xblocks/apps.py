"""Django app of the package: an Open edX plugin app, so the LMS and Studio load its models."""
from django.apps import AppConfig


class BlmaXBlocksConfig(AppConfig):
    """The package as a Django app: its models, migrations and the LMS/Studio plugin settings."""
    name = "blma_xblocks"
    label = "blma_xblocks"
    verbose_name = "BLMA course XBlocks"
    default_auto_field = "django.db.models.BigAutoField"

    # edx-django-utils plugin convention: without it the LMS never installs the app.
    plugin_app = {
        "settings_config": {
            "lms.djangoapp": {"common": {"relative_path": "settings"}},
            "cms.djangoapp": {"common": {"relative_path": "settings"}},
        },
    }

    def ready(self):
        try:  # edx-platform only: the modulestore's publish signal
            from xmodule.modulestore.django import SignalHandler  # pylint: disable=import-error
        except Exception:  # pylint: disable=broad-except
            # not edx-platform, or edx-platform under another Django project (`blma validate` inside an
            # Open edX image configures a minimal one, where importing the modulestore fails)
            return
        from .signals import store_course_phases
        SignalHandler.course_published.connect(store_course_phases, dispatch_uid="blma_store_course_phases")
