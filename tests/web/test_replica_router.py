"""Public pages read from a read replica when one is configured
(DATABASE_REPLICA_URL, config/routers.py); editors and every write stay on the primary.

The "replica" here is a second connection to the same test database (Django's TEST MIRROR), as
the issue allows: what is tested is where each query goes, not PostgreSQL's replication.
"""

import pytest
from django.contrib import admin  # noqa: F401 (the admin site's registry is loaded)
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import routers
from provisions.models import Provision
from tests.web.test_pagecache import atlas, citations  # noqa: F401 (a fixture)


@pytest.fixture
def replica(settings):
    """A "replica" alias on the primary's test database, as DATABASE_REPLICA_URL would add.

    Its connection is made while the alias is in the connection settings, which are then put
    back: Django's test case lets such a dynamically created connection through."""
    primary = connections["default"].settings_dict
    replica = {**primary, "TEST": {**primary.get("TEST", {}), "MIRROR": "default"}}
    settings.DATABASES = {**settings.DATABASES, routers.REPLICA: replica}
    connections.settings[routers.REPLICA] = replica
    connection = connections[routers.REPLICA]
    del connections.settings[routers.REPLICA]
    yield connection
    connection.close()
    del connections[routers.REPLICA]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_reads_go_to_the_replica_only_inside_public_reads(settings):
    router = routers.PublicReadsRouter()
    with routers.public_reads():
        assert router.db_for_read(Provision) == "default"  # no replica configured
    settings.DATABASES = {**settings.DATABASES, routers.REPLICA: settings.DATABASES["default"]}
    assert router.db_for_read(Provision) == "default"  # the admin, the desk, any editor
    with routers.public_reads():
        assert router.db_for_read(Provision) == routers.REPLICA
    assert router.db_for_read(Provision) == "default"
    assert router.db_for_write(Provision) == "default"
    assert router.allow_migrate(routers.REPLICA, "provisions") is False


# Only "default" is declared: the replica alias exists only from the fixture on, and a mirror
# is neither flushed nor guarded by the test case.
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_public_pages_read_the_replica_and_the_admin_reads_the_primary(
    replica,
    client,
    admin_client,
    atlas,  # noqa: F811
):
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(replica) as on_replica,
    ):
        page = client.get("/")
    assert citations(page) == {"AI Act Art. 53(2)"}
    assert on_replica.captured_queries, "the public page did not read the replica"
    assert not on_primary.captured_queries, [q["sql"] for q in on_primary.captured_queries]
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(replica) as on_replica,
    ):
        response = admin_client.get(reverse("admin:provisions_provision_changelist"))
    assert response.status_code == 200
    assert on_primary.captured_queries
    assert not on_replica.captured_queries
