from django.apps import AppConfig


class ProvisionsConfig(AppConfig):
    name = "provisions"
    verbose_name = "Curated data"

    def ready(self):
        # Renamed records leave redirects behind (provisions/renames.py); search's vocabulary
        # follows the published words (provisions/vocabulary.py).
        from provisions import renames, vocabulary  # noqa: F401
