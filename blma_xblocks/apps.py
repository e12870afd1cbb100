"""Django app of the package: an Open edX plugin app, so the LMS and Studio load its models."""
from django.apps import AppConfig


class BlmaXBlocksConfig(AppConfig):
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
