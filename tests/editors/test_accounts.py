"""Editors' accounts: throttled logins, strong passwords, an admin path the operator chooses."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.prodlike import database_url

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple 7"


def login(client, username, password):
    return client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": username, "password": password, "next": f"/{settings.ADMIN_URL}"},
    )


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_out_even_with_the_right_password():
    User.objects.create_superuser("editor", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "editor", "wrong guess")
        assert response.status_code == 200  # the form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()

    response = login(client, "editor", "wrong guess")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()

    # Locked: even the right password is refused, and no session is opened.
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 302

    # Another person from another address is not locked out by the attack on "editor".
    User.objects.create_superuser("reviewer", password=PASSWORD)
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert login(other, "reviewer", PASSWORD).status_code == 302


PROXY = "10.0.0.1"  # every request through the documented TLS proxy comes from its address


@pytest.mark.django_db
def test_bad_logins_through_the_proxy_lock_out_that_name_only_not_every_editor(settings):
    # The documented deployment: a TLS proxy, its X-Forwarded-For not declared trusted.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    User.objects.create_superuser("editor", password=PASSWORD)
    User.objects.create_superuser("reviewer", password=PASSWORD)
    attacker = Client(REMOTE_ADDR=PROXY)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "editor", "wrong guess")
    assert login(attacker, "editor", PASSWORD).status_code == 429
    # Another editor behind the same proxy still signs in.
    assert login(Client(REMOTE_ADDR=PROXY), "reviewer", PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("proxy_sets_it", [True, False])
def test_the_forwarded_address_counts_only_when_the_proxy_is_said_to_set_it(
    settings, proxy_sets_it
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PROXY_SETS_X_FORWARDED_FOR = proxy_sets_it
    User.objects.create_superuser("editor", password=PASSWORD)

    def through_proxy(client_address, forged="203.0.113.9"):
        # A client may send its own header; the proxy appends the address it saw.
        return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{forged}, {client_address}")

    for n in range(settings.AXES_FAILURE_LIMIT):
        login(through_proxy("198.51.100.1", forged=f"203.0.113.{n}"), "editor", "wrong guess")
    assert login(through_proxy("198.51.100.1"), "editor", PASSWORD).status_code == 429
    # The editor at another address: told apart only when the header is trusted; a forged
    # first entry never changes whose address it is.
    other = login(through_proxy("198.51.100.2"), "editor", PASSWORD)
    assert other.status_code == (302 if proxy_sets_it else 429)


@pytest.mark.django_db
def test_a_lockout_is_lifted_by_an_administrator():
    from django.core.management import call_command

    User.objects.create_superuser("editor", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor", "wrong guess")
    assert login(client, "editor", PASSWORD).status_code == 429
    call_command("axes_reset_username", "editor", verbosity=0)
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == f"/{settings.ADMIN_URL}"  # into the admin, not the form
    assert "_auth_user_id" in client.session  # logged in, not merely redirected


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count():
    User.objects.create_superuser("editor", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "editor", "typo")
    assert login(client, "editor", PASSWORD).status_code == 302
    client.logout()
    # A fresh allowance: one more typo does not lock the editor out.
    login(client, "editor", "typo")
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == f"/{settings.ADMIN_URL}"
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "complaint"),
    [
        ("short-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("918273645546372819", "This password is entirely numeric."),
        ("anna.editor.1", "The password is too similar to the username."),
    ],
)
def test_weak_passwords_are_refused_when_an_account_is_created(admin_client, password, complaint):
    response = admin_client.post(
        f"/{settings.ADMIN_URL}auth/user/add/",
        {
            "username": "anna.editor.1",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert complaint in response.content.decode()
    assert not User.objects.filter(username="anna.editor.1").exists()


@pytest.mark.django_db(transaction=True)
def test_the_admin_lives_where_the_operator_puts_it():
    probe = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/back-office-7f3a/').status_code, c.get('/back-office-7f3a/').url, "
        "c.get('/admin/').status_code)"
    )
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_ADMIN_URL": "back-office-7f3a/",
        "DATABASE_URL": database_url(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # The new path leads to its login page; the usual /admin/ is no admin at all.
    assert result.stdout.splitlines()[-1].split() == [
        "302",
        "/back-office-7f3a/login/?next=/back-office-7f3a/",
        "404",
    ]
