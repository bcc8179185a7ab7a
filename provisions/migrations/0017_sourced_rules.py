# The rules of the new fields, once the rows hold them (a separate migration: PostgreSQL will
# not alter a table with the data migration's deferred trigger events still pending).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("provisions", "0016_legal_value_check_dates"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="argument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "published"), _negated=True),
                    models.Q(
                        models.Q(("source_url", ""), _negated=True),
                        models.Q(
                            ("checked_on__isnull", False),
                            ("entered_on__isnull", False),
                            _connector="OR",
                        ),
                        models.Q(("verification", "unverified"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="argument_published_is_sourced",
                violation_error_message="A published record needs a source URL, the date it was checked (or, with no check of its own recorded, the day it was entered) and a verification level other than “unverified”.",
            ),
        ),
        migrations.AddConstraint(
            model_name="instrument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "published"), _negated=True),
                    models.Q(
                        models.Q(("source_url", ""), _negated=True),
                        models.Q(
                            ("checked_on__isnull", False),
                            ("entered_on__isnull", False),
                            _connector="OR",
                        ),
                        models.Q(("verification", "unverified"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="instrument_published_is_sourced",
                violation_error_message="A published record needs a source URL, the date it was checked (or, with no check of its own recorded, the day it was entered) and a verification level other than “unverified”.",
            ),
        ),
        migrations.AddConstraint(
            model_name="instrument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("ended_on__isnull", False),
                        ("status__in", ("revoked", "vetoed", "superseded", "rescinded", "lapsed")),
                    ),
                    models.Q(
                        models.Q(
                            (
                                "status__in",
                                ("revoked", "vetoed", "superseded", "rescinded", "lapsed"),
                            ),
                            _negated=True,
                        ),
                        ("ended_on__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="instrument_ended_status_has_date",
                violation_error_message="A revoked, vetoed, superseded or rescinded instrument needs the date it ended, and only such an instrument has one.",
            ),
        ),
        migrations.AddConstraint(
            model_name="modelprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "published"), _negated=True),
                    models.Q(
                        models.Q(("source_url", ""), _negated=True),
                        models.Q(
                            ("checked_on__isnull", False),
                            ("entered_on__isnull", False),
                            _connector="OR",
                        ),
                        models.Q(("verification", "unverified"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="modelprofile_published_is_sourced",
                violation_error_message="A published record needs a source URL, the date it was checked (or, with no check of its own recorded, the day it was entered) and a verification level other than “unverified”.",
            ),
        ),
        migrations.AddConstraint(
            model_name="provision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "published"), _negated=True),
                    models.Q(
                        models.Q(("source_url", ""), _negated=True),
                        models.Q(
                            ("checked_on__isnull", False),
                            ("entered_on__isnull", False),
                            _connector="OR",
                        ),
                        models.Q(("verification", "unverified"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="provision_published_is_sourced",
                violation_error_message="A published record needs a source URL, the date it was checked (or, with no check of its own recorded, the day it was entered) and a verification level other than “unverified”.",
            ),
        ),
        migrations.AddConstraint(
            model_name="provisiontext",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "published"), _negated=True),
                    models.Q(
                        models.Q(("source_url", ""), _negated=True),
                        models.Q(
                            ("checked_on__isnull", False),
                            ("entered_on__isnull", False),
                            _connector="OR",
                        ),
                        models.Q(("verification", "unverified"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="provision_text_published_is_sourced",
                violation_error_message="A published record needs a source URL, the date it was checked (or, with no check of its own recorded, the day it was entered) and a verification level other than “unverified”.",
            ),
        ),
        migrations.AddConstraint(
            model_name="silence",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "published"), _negated=True),
                    models.Q(
                        models.Q(("source_url", ""), _negated=True),
                        models.Q(
                            ("checked_on__isnull", False),
                            ("entered_on__isnull", False),
                            _connector="OR",
                        ),
                        models.Q(("verification", "unverified"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="silence_published_is_sourced",
                violation_error_message="A published record needs a source URL, the date it was checked (or, with no check of its own recorded, the day it was entered) and a verification level other than “unverified”.",
            ),
        ),
    ]
