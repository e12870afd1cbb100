"""Open edX plugin settings hook (edx-django-utils calls plugin_settings(settings))."""


def plugin_settings(settings):
    """Nothing to add yet: the blocks read their configuration from their fields."""
