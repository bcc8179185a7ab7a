from django.http import HttpResponsePermanentRedirect

from provisions.models import MovedPath


class MovedPathFallbackMiddleware:
    """A 404 at a path that moved becomes a 301 to where the page is now (query kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        # PostgreSQL text cannot hold NUL; no page ever moved from such a path (hostile input).
        if "\x00" in request.path:
            return response
        moved = MovedPath.objects.filter(old_path=request.path).first()
        if moved is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(moved.new_path + (f"?{query}" if query else ""))
