"""The editors' admin in Chromium under the site's strict CSP: no refused script or style, and
the parts that need JavaScript (autocomplete, slug prefill, export field toggle) work."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from provisions.models import Argument, Provision

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def signed_in(live_atlas, page):
    User.objects.create_superuser("root", password=PASSWORD)
    page.goto(live_atlas.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    return live_atlas.url


def admin_pages():
    provision = Provision.objects.order_by("pk").first()
    argument = Argument.objects.order_by("pk").first()
    return [
        "/admin/",
        "/admin/provisions/provision/",
        f"/admin/provisions/provision/{provision.pk}/change/",
        "/admin/provisions/provision/add/",
        f"/admin/provisions/provision/{provision.pk}/history/",
        f"/admin/provisions/provision/{provision.pk}/history/compare/?since=published",
        f"/admin/provisions/provision/{provision.pk}/delete/",
        "/admin/provisions/provision/import/",
        "/admin/provisions/provision/export/",
        f"/admin/provisions/instrument/{provision.instrument_id}/change/",
        f"/admin/provisions/argument/{argument.pk}/change/",
        "/admin/provisions/argument/export/",
        "/admin/provisions/silence/",
        "/admin/comparisons/comparison/",
    ]


def test_admin_pages_run_under_the_strict_csp(signed_in, page, page_errors):
    for path in admin_pages():
        page_errors.clear()
        response = page.goto(signed_in + path)
        assert response.status == 200, path
        assert not page_errors, (path, page_errors)


def test_autocomplete_and_slug_prefill_work(signed_in, page, page_errors):
    page.goto(signed_in + "/admin/provisions/provision/add/")
    page.locator("#id_label").press_sequentially("Art. 9(1)")
    # The citation convention (provisions/slugs.py), no longer Django's URLify ("art-91").
    expect(page.locator("#id_slug")).to_have_value("art-9-1")
    page.locator(".field-topics .select2-selection").click()
    page.keyboard.type("doc")
    expect(page.locator(".select2-results__option").first).to_contain_text("Documentation")
    assert not page_errors


def test_export_select_all_toggle_works_without_inline_handlers(signed_in, page, page_errors):
    page.goto(signed_in + "/admin/provisions/provision/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() > 5
    page.locator("#select-all-toggle").uncheck()
    for i in range(fields.count()):
        expect(fields.nth(i)).not_to_be_checked()
    assert not page_errors


def test_a_slug_typed_by_hand_is_kept(signed_in, page, page_errors):
    page.goto(signed_in + "/admin/provisions/provision/add/")
    page.locator("#id_label").press_sequentially("Sec. 4.6(a)(i)")
    expect(page.locator("#id_slug")).to_have_value("sec-4-6-a-i")
    page.fill("#id_slug", "my-own-slug")
    page.locator("#id_slug").dispatch_event("input")
    page.locator("#id_label").press_sequentially(" more")
    page.wait_for_timeout(500)
    expect(page.locator("#id_slug")).to_have_value("my-own-slug")
    assert not page_errors


LISTS = [
    "/admin/",
    "/admin/provisions/provision/",
    "/admin/provisions/instrument/",
    "/admin/provisions/argument/",
    "/admin/provisions/source/",
    "/admin/provisions/silence/",
    "/admin/provisions/linkcheck/",
]


def test_admin_lists_show_every_column_at_1440_px(signed_in, page, page_errors):
    page.set_viewport_size({"width": 1440, "height": 900})
    for path in LISTS:
        assert page.goto(signed_in + path).status == 200, path
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('#result_list, .atlas-desk table')]
                .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1).length"""
        )
        assert clipped == 0, path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    assert not page_errors


def test_admin_reads_on_a_phone(signed_in, page, page_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    for path in LISTS:
        assert page.goto(signed_in + path).status == 200, path
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(signed_in + "/admin/")
    expect(page.locator(".atlas-desk h2")).to_have_text("The editors’ desk: what needs work")
    assert not page_errors
