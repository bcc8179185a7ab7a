import os
import sys


def configure() -> None:
    """Load settings, or stop with the one-line reason instead of a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except ImproperlyConfigured as error:
        sys.exit(f"Openness Atlas cannot start: {error}")
