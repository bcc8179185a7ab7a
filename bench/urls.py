from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def trivial(request):
    """The floor: a Django view with no database, no template, through the full middleware."""
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *site]
