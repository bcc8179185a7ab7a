"""The withdrawal page (410) and the editors' preview meet the same bars as public pages."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from provisions.models import EditorialState, Provision

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase"


def test_the_withdrawal_page_is_accessible_and_reads_at_320_px(
    live_atlas, page, page_errors, axe_violations
):
    provision = Provision.objects.get(slug="art-53-2", instrument__slug="ai-act")
    provision.state = EditorialState.WITHDRAWN
    provision.withdrawal_reason = "A test withdrawal."
    provision.save()
    response = page.goto(live_atlas.url + provision.get_absolute_url())
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("Withdrawn: AI Act Art. 53(2)")
    violations, report = axe_violations(page)
    assert not violations, report
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert [e for e in page_errors if "410" not in e] == []


def test_the_preview_is_accessible_and_runs_under_the_csp(
    live_atlas, page, page_errors, axe_violations
):
    User.objects.create_superuser("root", password=PASSWORD)
    provision = Provision.objects.get(slug="art-53-2", instrument__slug="ai-act")
    provision.state = EditorialState.DRAFT
    provision.save()
    page.goto(live_atlas.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    response = page.goto(live_atlas.url + f"/admin/provisions/provision/{provision.pk}/preview/")
    assert response.status == 200
    expect(page.locator(".preview-banner")).to_contain_text("Preview — not published")
    violations, report = axe_violations(page)
    assert not violations, report
    assert not page_errors
