import os

from config.startup import configure

# A web server answers in seconds: the database deadlines apply (config/settings.py).
os.environ.setdefault("ATLAS_SERVING", "web")
configure()

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
