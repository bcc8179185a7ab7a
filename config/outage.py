"""When the database is unreachable, readers get a friendly 503 page, not a 500 or a traceback.

Two doors lead here: the middleware catches the error when a view raises it (the usual case),
and ``server_error`` (the project's handler500) catches it when a middleware raised it first
(a session or login lookup). Neither touches the database again, and the broken connection is
dropped so the next request reconnects: the site recovers by itself when the database is back.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# Seconds a reader (or a crawler) should wait before asking again.
RETRY_AFTER_SECONDS = 30


def is_database_outage(error: BaseException | None) -> bool:
    """Connection refused, timed out or lost: what Django wraps as Operational/InterfaceError."""
    return isinstance(error, (OperationalError, InterfaceError))


def unavailable(request) -> HttpResponse:
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": "unavailable", "detail": "The atlas is briefly unavailable."}, status=503
        )
    else:
        # No request context: context processors could reach for the database (user, session).
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            logger.warning("Database unavailable (%s): answered 503 to %s", exception, request.path)
            return unavailable(request)
        return None


@requires_csrf_token
def server_error(request):
    """handler500: a 503 for an outage that surfaced in a middleware, else the plain 500 page."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))
