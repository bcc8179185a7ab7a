"""The review loop in Chromium, every step from the buttons on the record's form: an editor
submits, a reviewer sends it back with a comment, the editor finds it under "sent back", edits
and submits again, the reviewer publishes; the history names who did each step."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from provisions.models import EditorialState
from tests.builders import drafts as make

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase"


def sign_in(browser, base: str, user: User):
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_context().new_page()
    page.set_default_timeout(8_000)
    page.goto(base + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    return page


def test_submit_send_back_resubmit_publish_from_the_form(
    live_server, transactional_db, browser, axe_violations
):
    edith, rita = make.staff("Editors", "edith"), make.staff("Reviewers", "rita")
    instrument = make.instrument(state=EditorialState.PUBLISHED, **make.SOURCED)
    draft = make.provision(instrument=instrument, summary="First words.", **make.SOURCED)
    form = f"{live_server.url}/admin/provisions/provision/{draft.pk}/change/"
    editor, reviewer = (
        sign_in(browser, live_server.url, edith),
        sign_in(browser, live_server.url, rita),
    )

    # The editor edits and submits.
    editor.goto(form)
    expect(editor.locator("#atlas-workflow-title")).to_have_text("Editorial state: Draft")
    expect(editor.get_by_role("button", name="Publish")).to_have_count(0)
    editor.fill("#id_summary", "Second words.")
    editor.get_by_role("button", name="Submit for review").click()
    expect(editor.locator(".messagelist")).to_contain_text("submitted for review")

    # The reviewer cannot send it back without saying why, then does.
    reviewer.goto(form)
    expect(reviewer.locator("#atlas-workflow-title")).to_have_text("Editorial state: In review")
    reviewer.get_by_role("button", name="Send back").click()
    expect(reviewer.locator(".errorlist")).to_contain_text("sending back needs a comment")
    reviewer.fill("#id_review_comment", "Which paragraph? <b>Cite it.</b>")
    reviewer.get_by_role("button", name="Send back").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("sent back for changes")

    # The editor finds it under "sent back" on the desk, reads the comment, edits, resubmits.
    editor.goto(live_server.url + "/admin/")
    editor.locator("#desk-mine-sent-back a").first.click()
    editor.get_by_role("link", name=str(draft.label)).first.click()
    expect(editor.locator(".atlas-sent-back")).to_be_visible()
    expect(editor.locator(".atlas-comment-body")).to_have_text("Which paragraph? <b>Cite it.</b>")
    violations, report = axe_violations(editor)
    # The admin's select2 autocomplete widgets (Django's own) have known unnamed inputs; what
    # this form adds (state, comments, review box, buttons) must have none.
    ours = [v for v in violations if any("select2" not in n["html"] for n in v["nodes"])]
    assert not ours, report
    editor.fill("#id_summary", "Second words, paragraph 2.")
    editor.get_by_role("button", name="Submit for review").click()
    expect(editor.locator(".messagelist")).to_contain_text("submitted for review")
    editor.goto(live_server.url + "/admin/")
    expect(editor.locator("#desk-mine-sent-back")).to_contain_text("0")

    # The reviewer publishes.
    reviewer.goto(form)
    reviewer.get_by_role("button", name="Publish").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("published")

    draft.refresh_from_db()
    assert (draft.state, draft.summary) == (EditorialState.PUBLISHED, "Second words, paragraph 2.")
    steps = [
        (getattr(v.history_user, "username", None), v.history_change_reason)
        for v in draft.history.order_by("history_date", "history_id")
    ][1:]
    assert steps == [
        ("edith", "Submitted for review; changed Summary (our words)"),
        ("rita", "Sent back for changes"),
        ("edith", "Submitted for review; changed Summary (our words)"),
        ("rita", "Published"),
    ]
    # And the history page says so.
    reviewer.goto(form.replace("/change/", "/history/"))
    for reason in ("Sent back for changes", "Published"):
        expect(reviewer.locator("#change-history")).to_contain_text(reason)


def test_mark_checked_asks_for_the_copy_and_grade(
    live_server, transactional_db, browser, axe_violations
):
    rita = make.staff("Reviewers", "rita")
    draft = make.provision(summary="Words.", **make.SOURCED)
    reviewer = sign_in(browser, live_server.url, rita)
    reviewer.goto(live_server.url + "/admin/provisions/provision/")
    reviewer.locator(f'input[name="_selected_action"][value="{draft.pk}"]').check()
    reviewer.select_option('select[name="action"]', "mark_checked_today")
    reviewer.get_by_role("button", name="Run").click()
    expect(reviewer.get_by_label("Copy that was read")).to_be_visible()
    violations, report = axe_violations(reviewer)
    assert not violations, report
    reviewer.get_by_label("Copy that was read").fill("EUR-Lex HTML of OJ L, 2024/1689")
    reviewer.get_by_label("From a secondary source").check()
    reviewer.get_by_role("button", name="Mark checked today").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("1 record marked as checked today.")
    latest = draft.history.latest()
    assert latest.history_change_reason == (
        "Checked today against EUR-Lex HTML of OJ L, 2024/1689 (secondary)"
    )
    assert latest.history_user == rita
