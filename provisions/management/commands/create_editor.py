"""Create a staff account in the Editors (or Reviewers) group, asking for its password."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create an editor account for the admin. Asks for the user name and password; for "
        "scripts, pass --username and set ATLAS_EDITOR_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--reviewer", action="store_true", help="Also put the account in Reviewers."
        )

    def handle(self, *args, username=None, email="", reviewer=False, **options):
        User = get_user_model()
        username = username or input("User name: ").strip()
        if not username:
            raise CommandError("A user name is needed.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        password = os.environ.get("ATLAS_EDITOR_PASSWORD") or self.ask_password()
        user = User(username=username, email=email, is_staff=True)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if Group.objects.filter(name__in=["Editors", "Reviewers"]).count() != 2:
            call_command("setup_groups", stdout=self.stdout)
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name="Editors"))
            if reviewer:
                user.groups.add(Group.objects.get(name="Reviewers"))
        role = "reviewer" if reviewer else "editor"
        self.stdout.write(f"Created {role} {username}. Sign in at /admin/.")

    def ask_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
