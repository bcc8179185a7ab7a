"""Shared test setup."""

import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Pages render {% static %} without a manifest (tests never run collectstatic)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Production's PBKDF2 costs half a second a password by design; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def production_server():
    """gunicorn with production settings on its own database, loaded with the fixtures."""
    from tests.prodlike import ProductionServer

    server = ProductionServer(database="atlas_prodlike_test")
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test rolls its data back, and with it the data version its cached pages are keyed
    on: a later test could reach the same version with other data. Start every test empty."""
    from django.core.cache import cache

    cache.clear()
