"""Database down: a friendly 503 page from every door, fast, and recovery without a restart.

The production-like server shows this over real HTTP (test_production.py); these tests cover the
two doors in-process: an outage raised by a view, and one raised by a middleware.
"""

import contextlib
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, override_settings


@contextlib.contextmanager
def database_down():
    saved = dict(connection.settings_dict)
    connection.close()
    # Nothing listens on port 1: the connection is refused, as when the server is down.
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def assert_friendly_503(response, elapsed):
    assert response.status_code == 503
    assert elapsed < 2
    body = response.content.decode()
    assert "The atlas is briefly unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


def timed_get(client, path, **headers):
    started = time.monotonic()
    response = client.get(path, headers=headers)
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("htmx", [False, True])
def test_outage_in_a_view_answers_503_then_recovers(htmx):
    editor = User.objects.create_superuser("outage-editor", password="x" * 20)
    client = Client()
    client.force_login(editor)
    headers = {"HX-Request": "true"} if htmx else {}
    with database_down():
        # The admin reads the session and the user from the database.
        response, elapsed = timed_get(client, "/admin/", **headers)
        assert_friendly_503(response, elapsed)
    response = client.get("/admin/", headers=headers)
    assert response.status_code == 200


class UserTouchingMiddleware:
    """Stands for any middleware that reads the user (a session lookup) before the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user.is_authenticated  # noqa: B018 - forces the session and user lookup
        return self.get_response(request)


@pytest.mark.django_db(transaction=True)
def test_outage_in_a_middleware_answers_503_too(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.UserTouchingMiddleware"]
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("outage-reader", password="x" * 20))
    with database_down():
        response, elapsed = timed_get(client, "/")
        assert_friendly_503(response, elapsed)
    assert client.get("/").status_code == 200


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF="tests.web.test_outage")
def test_api_paths_answer_json_during_an_outage():
    client = Client()
    with database_down():
        response = client.get("/api/probe")
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


def api_probe(request):
    from django.http import JsonResponse

    return JsonResponse({"users": User.objects.count()})


def _urls():
    from django.urls import path

    return [path("api/probe", api_probe)]


urlpatterns = _urls()


@pytest.mark.django_db
def test_other_errors_answer_the_plain_500_page(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.BrokenMiddleware"]
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


class BrokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise RuntimeError("a bug, not an outage")
