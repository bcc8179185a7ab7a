from django.apps import AppConfig


class ProvisionsConfig(AppConfig):
    name = "provisions"
    verbose_name = "Curated data"

    def ready(self):
        # Renamed records leave redirects behind (provisions/renames.py).
        from provisions import renames  # noqa: F401
