"""Shared test setup."""

import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Pages render {% static %} without a manifest (tests never run collectstatic)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
