"""What changed in a provision's text between two dates: the redline of the versions in force
on each day, linked from the provision page; bad dates are a 400 that says why."""

import datetime
import re

import pytest
from django.db.models import F

from provisions.models import ProvisionText
from provisions.redline import redline
from tests.builders import published as make

pytestmark = pytest.mark.django_db

ART_25_4 = "/eu/ai-act/art-25-4/"
OPEN_SOURCE_SENTENCE = (
    "This paragraph shall not apply to third parties making accessible to the public tools, "
    "services, processes, or components, other than general-purpose AI models, under a free "
    "and open-source licence."
)


def redline_body(html: str) -> str:
    return re.search(
        r'<blockquote class="text-body redline-body"[^>]*>(.*?)</blockquote>', html, re.S
    ).group(1)


@pytest.mark.usefixtures("atlas")
class TestArticle25_4:
    def test_the_omnibus_inserted_ai_model_and_nothing_else(self, client):
        response = client.get(ART_25_4 + "changes/", {"from": "2025-01-01", "to": "2026-12-07"})
        assert response.status_code == 200
        page = response.content.decode()
        body = redline_body(page)
        changes = re.findall(r"<(ins|del)>(.*?)</\1>", body, re.S)
        assert changes == [("ins", '<span class="redline-mark">inserted:</span> AI model, ')]
        # The open-source sentence reads the same in both versions, unmarked.
        assert OPEN_SOURCE_SENTENCE in body
        assert "Original text (OJ L, 12.7.2024)" in page
        assert "As amended by Regulation (EU) 2026/1744" in page
        assert "adding “AI model” to the list of things a third party supplies" in page

    def test_the_words_alone_show_one_insertion(self):
        original, amended = ProvisionText.objects.filter(
            provision__slug="art-25-4", language="en"
        ).order_by(F("applies_from").asc(nulls_first=True))  # the original has no date
        changed = [p for p in redline(original.body, amended.body) if p.kind != "equal"]
        assert [(p.kind, p.text) for p in changed] == [("insert", "AI model, ")]

    def test_the_provision_page_links_to_the_redline_of_its_latest_change(self, client):
        page = client.get(ART_25_4).content.decode()
        assert (
            '<a href="/eu/ai-act/art-25-4/changes/?from=2026-07-26&amp;to=2026-07-27">'
            "Compare with the text before Regulation (EU) 2026/1744</a>"
        ) in page
        before = client.get(ART_25_4, {"as_of": "2025-01-01"}).content.decode()
        assert "Compare with the text from 27 July 2026</a>" in before

    def test_the_same_version_on_both_days_says_nothing_changed(self, client):
        page = client.get(ART_25_4 + "changes/?from=2025-01-01&to=2025-06-01").content.decode()
        assert "The same version of the text applied on both days: nothing changed." in page
        assert "<ins>" not in redline_body(page) and "<del>" not in redline_body(page)

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("from=2025-13-01&to=2026-12-07", "The date “2025-13-01” given as “from” was not"),
            ("from=2025-01-01&to=yesterday", "The date “yesterday” given as “to” was not"),
            ("from=2026-12-07&to=2025-01-01", "“from” (2026-12-07) is after “to” (2025-01-01)"),
            ("from=99999-01-01", "given as “from” was not understood"),
        ],
    )
    def test_bad_dates_are_a_400_that_says_why(self, client, query, message):
        response = client.get(f"{ART_25_4}changes/?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()

    def test_a_provision_with_no_such_page_is_a_404(self, client):
        assert client.get("/eu/ai-act/art-999/changes/").status_code == 404


def test_a_provision_never_amended_has_no_link_and_a_page_of_one_version(client):
    provision = make.provision()
    make.text(provision=provision, body="1. Words.", **make.editorial)
    page = client.get(provision.get_absolute_url()).content.decode()
    assert "Compare with the text" not in page
    changes = client.get(provision.get_absolute_url() + "changes/").content.decode()
    assert "nothing changed" in changes


@pytest.mark.parametrize("versions", [1, 5])
def test_the_redline_costs_the_same_queries_however_many_versions(
    client, django_assert_num_queries, versions
):
    provision = make.provision()
    for n in range(versions):
        make.text(
            provision=provision,
            version_label=f"Version {n}",
            applies_from=datetime.date(2025, 1, 1) + datetime.timedelta(days=30 * n) if n else None,
            body=f"1. Words of version {n}.",
            **make.editorial,
        )
    # The data version, the provision with its instrument, its texts.
    with django_assert_num_queries(3):
        response = client.get(
            provision.get_absolute_url() + "changes/?from=2024-01-01&to=2026-01-01"
        )
    assert response.status_code == 200
