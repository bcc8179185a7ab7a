from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "links"
    verbose_name = "Moved pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Renamed records leave redirects behind (links/renames.py).
        from links import renames  # noqa: F401
