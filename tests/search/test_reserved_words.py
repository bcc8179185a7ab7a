"""The words a jurisdiction code may not take (RESERVED_CODES, a DB constraint) are the first path
segments of the URLconf: a jurisdiction's page lives at /<code>/, so a code equal to a route's
first segment would hide one of the two pages."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from provisions.models.taxonomy import RESERVED_CODES

# Reserved though no route of ours starts with them, each for its reason.
NOT_ROUTES = {
    "static": "STATIC_URL: whitenoise answers it before the URLconf",
    "media": "the usual MEDIA_URL, kept free for uploaded files",
    "topics": "reserved since the first commit; no page, kept rather than loosen the constraint",
}


def first_segments() -> set[str]:
    """The literal first segment of every route: "timeline" from "timeline/", "sitemap" from
    "sitemap.xml"; routes that start with a converter (``<slug:jurisdiction>/``) name none."""
    found = set()

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver) and not route:
                walk(p.url_patterns, route)  # an include at the root: its routes are top-level
                continue
            assert isinstance(p, URLResolver | URLPattern)
            word = route.split("/")[0].split(".")[0]
            if word and not word.startswith(("<", "^")):
                found.add(word)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_first_segment_of_the_urlconf_is_reserved():
    assert settings.ADMIN_URL == "admin/"  # the default; a secret admin path is not listable
    assert first_segments() - RESERVED_CODES == set()


def test_every_reserved_word_is_a_route_or_named_with_its_reason():
    assert RESERVED_CODES - first_segments() == set(NOT_ROUTES)
