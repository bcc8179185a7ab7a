"""The legacy single quotation (``Provision.official_text`` / ``official_text_url``) moves into
the provision's texts, and the two fields go.

Forward, for each provision with a quotation:
- if one of its texts already holds those words (compared without spaces, ellipses, capitals
  and typographic quotes and dashes), the quotation was a duplicate and nothing is made;
- otherwise a text is made from it, *in review*: the words were checked (the provision's own
  verification and check date go with them), but the kind (authentic) and language (guessed
  from the script) are new statements a reviewer confirms before the text is published. Its
  version label names where it came from, which is how the reverse finds it.

Backward: the fields come back, and each text made here goes back into them (and is deleted).
A duplicate quotation is not restored: its words are in the text that made it a duplicate, and
pages show that text first anyway. The history of the two fields (on historical provisions) is
not kept: the texts keep their own history from here on.

The provisions' search trigger read ``official_text``; it is rebuilt without it first (texts are
searched through their own vectors), and rebuilt with it on the way back.
"""

import re

from django.db import migrations

FROM_QUOTATION = "Quoted passage (from the provision’s former official-text field)"

TRIGGER = """
DROP TRIGGER provisions_provision_search ON provisions_provision;
CREATE OR REPLACE FUNCTION atlas_provisions_provision_search() RETURNS trigger AS $$
BEGIN
    NEW.search := setweight(to_tsvector('english', coalesce(NEW.label::text, '') || ' ' || coalesce(NEW.heading::text, '')), 'A') || setweight(to_tsvector('english', coalesce(NEW.summary::text, '') || ' ' || coalesce(NEW.openness_note::text, '')), 'B'){extra};
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER provisions_provision_search BEFORE INSERT OR UPDATE OF heading, label,{column} openness_note, summary ON provisions_provision
    FOR EACH ROW EXECUTE FUNCTION atlas_provisions_provision_search();
UPDATE provisions_provision SET heading = heading;
"""
WITHOUT_QUOTATION = TRIGGER.format(extra="", column="")
WITH_QUOTATION = TRIGGER.format(
    extra=" || setweight(to_tsvector('english', coalesce(NEW.official_text::text, '')), 'C')",
    column=" official_text,",
)


TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def words(text: str) -> str:
    """The words only: no spaces or ellipses, one kind of quote and dash, no capitals (a
    quotation typed from another copy differs from the text in nothing else)."""
    return re.sub(r"[\s…]+", "", (text or "").translate(TYPOGRAPHY).casefold())


def language_of(text: str) -> str:
    """A guess a reviewer confirms: Chinese script, else English (every quotation so far)."""
    return "zh-Hans" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def into_texts(apps, schema_editor):
    Provision = apps.get_model("provisions", "Provision")
    ProvisionText = apps.get_model("provisions", "ProvisionText")
    for provision in Provision.objects.exclude(official_text="").order_by("pk"):
        quoted = words(provision.official_text)
        bodies = ProvisionText.objects.filter(provision=provision).values_list("body", flat=True)
        if any(quoted in words(body) for body in bodies):
            continue
        ProvisionText.objects.create(
            provision=provision,
            kind="authentic",
            language=language_of(provision.official_text),
            version_label=FROM_QUOTATION,
            extent="A quoted passage, not the whole provision.",
            body=provision.official_text,
            source_url=provision.official_text_url or provision.source_url,
            checked_on=provision.checked_on,
            verification=provision.verification,
            state="in_review",
            order=0,
        )


def back_into_the_field(apps, schema_editor):
    Provision = apps.get_model("provisions", "Provision")
    ProvisionText = apps.get_model("provisions", "ProvisionText")
    for text in ProvisionText.objects.filter(version_label=FROM_QUOTATION):
        Provision.objects.filter(pk=text.provision_id).update(
            official_text=text.body, official_text_url=text.source_url
        )
        text.delete()


class Migration(migrations.Migration):
    dependencies = [("provisions", "0019_review_comments")]

    operations = [
        migrations.RunPython(into_texts, back_into_the_field),
        migrations.RunSQL(WITHOUT_QUOTATION, WITH_QUOTATION),
        migrations.RemoveField(model_name="historicalprovision", name="official_text"),
        migrations.RemoveField(model_name="historicalprovision", name="official_text_url"),
        migrations.RemoveField(model_name="provision", name="official_text"),
        migrations.RemoveField(model_name="provision", name="official_text_url"),
    ]
