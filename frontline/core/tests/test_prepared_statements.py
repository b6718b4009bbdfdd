"""On PostgreSQL core.fastpaths prepares its own statements (rows by primary or unique key)
at their first run in a connection, bound on the server; the ORM's other queries are never
prepared, so each of those is planned for its values (config/settings.py)."""

import pytest
from django.db import connection

from frontline.core.scoping import get_node_in_scope_or_404
from frontline.core.tests.fixtures import World

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_fast_path_statement_is_prepared_and_an_orm_query_is_not(world: World):
    from frontline.core.models import Node

    assert get_node_in_scope_or_404(world.admin, "nodes.view", world.sandian.pk) == world.sandian
    assert list(Node.objects.filter(name="三店村").values_list("pk", flat=True)) == [
        world.sandian.pk
    ]
    prepared = _prepared()
    by_pk = [s for s in prepared if '"core_node"' in s and '"core_node"."id" = $1' in s]
    assert len(by_pk) == 1  # bound on the server: a placeholder, never the value
    assert not [s for s in prepared if 'WHERE "core_node"."name"' in s]
    # Run again: the same prepared statement answers, none is added.
    assert get_node_in_scope_or_404(world.admin, "nodes.view", world.sandian.pk) == world.sandian
    assert len(_prepared()) == len(prepared)
