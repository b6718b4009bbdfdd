"""The places where Frontline reaches into Django's internals for speed, behind one
setting (FRONTLINE_FAST_PATHS, on by default; off, the plain ORM path is used and passes
the whole suite, which tests/test_fastpaths.py proves gives the same rows).

- `row_with_node`: one row by primary key with its node joined (and any other foreign
  keys asked for), the SQL compiled once per process and the row turned into objects as
  a QuerySet would (converters, populators). Django's building and compiling of the
  query costs more than the database's answer (0.5 of 0.8 ms on PostgreSQL) on the
  hottest API paths: a door-step reading, a checkpoint passer, an errand claim.
- `children_prefetched`: one row's reverse foreign key rows (an errand's lines) put where
  prefetch_related puts them, the SQL compiled once: the prefetch machinery costs eight
  times the statement it sends (0.8 of 0.1 ms).
- `insert_with_audit`: on PostgreSQL, a new row and its audit row in one data-modifying WITH
  statement: outside a transaction it needs no BEGIN/COMMIT round trips and no second
  INSERT, which is most of the cost of those same two writes (bench/README.md). On SQLite
  the two INSERTs, compiled once, in one transaction (save() costs more than the writes).
  `insert_with_audit_if` adds a conditional UPDATE of another row to the same statement
  (a stock balance that must cover the draw): the row and its audit row are written only
  when the update matched, all three or nothing, in one round trip.
- `compiled_rows`: a query built from a few values (a card by its code, one resident's
  health flags), compiled once per process with stand-in values and then run with the real
  ones; rows come back as the QuerySet would give them (objects, or tuples of values).
  Building and compiling such a query cost more than running it on a gate scan.
  `compiled_update` does the same for a conditional UPDATE (a stock balance's guard).
- `update_with_audit`: on PostgreSQL, a conditional UPDATE and, only if it changed a row,
  that row's audit row, in one data-modifying WITH statement. The row lock is held for one
  statement and its commit, with no round trip in between (an errand claim, which twenty
  phones race for).

No app module imports from here; apps call core.scoping and core.audit.
"""

from collections.abc import Callable
from contextlib import nullcontext
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Field, Model
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql import UpdateQuery


def enabled() -> bool:
    return settings.FAST_PATHS


def _cursor(db):
    """A cursor for the fast paths' own statements. On PostgreSQL its parameters are bound
    on the server and each statement is prepared in the connection at its first run
    (config/settings.py: prepare_threshold), so PostgreSQL stops parsing and planning it
    anew: planning an errand's fetch with its three joins cost 0.49 ms of PostgreSQL's CPU
    against 0.11 ms prepared. These statements find rows by primary or unique key, so a
    generic plan is as good as a custom one; a condition a generic plan cannot judge (a
    partial index's) is written into the query. The ORM's other queries keep client-side
    binding and are planned for their values every time."""
    if db.vendor != "postgresql" or db.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return db.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    # What db.cursor() does before it makes its cursor.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    raw = ServerBindingCursor(db.connection)
    # Django's wrapper, as db.cursor() makes one (errors translated); where Django logs
    # queries (tests count statements), one that logs the statement with its values.
    return _LoggedPrepared(raw, db) if db.queries_logged else db.make_cursor(raw)


class _LoggedPrepared(CursorDebugWrapper):
    """Logs a prepared statement with its values in: Django reads the text psycopg sent,
    and a prepared statement's run sends none."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params) if params else sql, params):
            return CursorWrapper.execute(self, sql, params)


@lru_cache(maxsize=32)
def _by_pk_plan(model: type[Model], node_field: str, alias: str, also: tuple[str, ...]) -> tuple:
    compiler = (
        model._default_manager.using(alias)
        .select_related(node_field, *also)
        .filter(pk=0)
        .query.get_compiler(using=alias)
    )
    sql, params = compiler.as_sql()
    if list(params) != [0]:  # the id must be the statement's only parameter
        raise ImproperlyConfigured(f"{model.__name__}: unexpected parameters {params}")
    select, klass_info = compiler.select, compiler.klass_info
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)
    converters = list(compiler.get_converters([column[0] for column in select]).items())
    return sql, start, end, names, populators, converters


def _converted(row: tuple, converters: list, db) -> list:
    """A fetched row with each column's converters applied, as a QuerySet applies them."""
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, db)
        row[position] = value
    return row


def row_with_node(
    model: type[Model], node_field: str, alias: str, pk: int, also: tuple[str, ...] = ()
) -> Model | None:
    """The row with this primary key and its node (select_related, with the foreign keys
    in `also`), or None."""
    sql, start, end, names, populators, converters = _by_pk_plan(model, node_field, alias, also)
    db = connections[alias]
    with _cursor(db) as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    row = _converted(row, converters, db)
    obj = model.from_db(alias, names, row[start:end])
    for populator in populators:
        populator.populate(row, obj)
    return obj


@lru_cache(maxsize=16)
def _children_plan(model: type[Model], name: str, alias: str) -> tuple:
    relation = model._meta.get_field(name)
    if not (relation.one_to_many and relation.auto_created):
        raise ImproperlyConfigured(f"{model.__name__}.{name} is not a reverse foreign key")
    child, fk = relation.related_model, relation.field
    compiler = (
        child._default_manager.using(alias)
        .filter(**{fk.attname: 0})
        .query.get_compiler(using=alias)
    )
    sql, params = compiler.as_sql()
    if list(params) != [0]:  # the parent's id must be the statement's only parameter
        raise ImproperlyConfigured(f"{child.__name__}: unexpected parameters {params}")
    names = [column[0].target.attname for column in compiler.select]
    converters = list(compiler.get_converters([column[0] for column in compiler.select]).items())
    return sql, child, fk, relation.cache_name, names, converters


def children_prefetched(obj: Model, name: str, alias: str) -> None:
    """Load the rows of a reverse foreign key (`name`, e.g. an errand's "lines") of one
    row, in their model's order, as prefetch_related_objects([obj], name) would: after
    it, `getattr(obj, name).all()` asks the database nothing."""
    sql, child, fk, cache_name, names, converters = _children_plan(type(obj), name, alias)
    db = connections[alias]
    with _cursor(db) as cursor:
        cursor.execute(sql, [obj.pk])
        rows = cursor.fetchall()
    children = []
    for row in rows:
        item = child.from_db(alias, names, _converted(row, converters, db))
        fk.set_cached_value(item, obj)  # item.<parent> is obj, as prefetching sets it
        children.append(item)
    queryset = getattr(obj, name).get_queryset()
    queryset._result_cache, queryset._prefetch_done = children, True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[cache_name] = queryset


def _one_statement(sql: str, params: list) -> tuple:
    """Run one data-modifying statement and return its one row. Inside a transaction (a
    caller's, or a test's) a savepoint keeps a refused row from spoiling it; outside one
    the statement is its own transaction."""
    with (
        transaction.atomic() if connection.in_atomic_block else nullcontext(),
        _cursor(connection) as cursor,
    ):
        cursor.execute(sql, params)
        return cursor.fetchone()


def insert_with_audit(obj: Model, event: Model) -> None:
    """Insert `obj` and the audit row `event` (its object_id filled in with the new id)
    together: on PostgreSQL one statement; elsewhere (SQLite) both INSERTs, compiled once
    per process, in one transaction. A unique constraint that refuses the row raises
    IntegrityError with nothing written, and the connection stays usable, as with save()
    in atomic()."""
    if connection.vendor != "postgresql":
        _insert_pair(obj, event)
        return
    sql, row_fields, audit_fields = _audited_insert_statement(type(obj), type(event))
    params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in row_fields]
    params += [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in audit_fields]
    (new_pk,) = _one_statement(sql, params)
    _saved(obj, new_pk)


def _saved(obj: Model, pk: int) -> None:
    setattr(obj, obj._meta.pk.attname, pk)
    obj._state.adding = False
    obj._state.db = connection.alias


def insert_with_audit_if(obj: Model, event: Model, guard_sql: str, guard_params: list) -> bool:
    """PostgreSQL: run the conditional UPDATE `guard_sql` and, if it matched any row,
    insert `obj` and its audit row `event`, in one statement; False (nothing written) when
    it matched none. The guard's condition is re-checked by PostgreSQL on the row's latest
    version once a concurrent writer commits, so a balance in the condition cannot be
    overdrawn. A unique constraint that refuses the row raises IntegrityError with nothing
    written (the update included)."""
    insert_sql, row_fields, audit_fields = _audited_insert_statement(
        type(obj), type(event), guarded=True
    )
    params = list(guard_params)
    params += [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in row_fields]
    params += [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in audit_fields]
    sql = f"WITH guarded AS ({guard_sql} RETURNING 1), {insert_sql}"
    with (
        transaction.atomic() if connection.in_atomic_block else nullcontext(),
        _cursor(connection) as cursor,
    ):
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    _saved(obj, row[0])
    return True


@lru_cache(maxsize=16)
def _insert_statement(model: type[Model], vendor: str) -> tuple[str, list[Field]]:
    """INSERT of one row of the model (all concrete fields but the primary key)."""
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.pk]
    # Identifiers come from the model's metadata, quoted; every value is a parameter.
    sql = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(  # noqa: S608
        table=quote(model._meta.db_table),
        columns=", ".join(quote(f.column) for f in fields),
        marks=", ".join(["%s"] * len(fields)),
    )
    return sql, fields


def _insert_pair(obj: Model, event: Model) -> None:
    row_sql, row_fields = _insert_statement(type(obj), connection.vendor)
    audit_sql, audit_fields = _insert_statement(type(event), connection.vendor)
    with transaction.atomic(), connection.cursor() as cursor:
        params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in row_fields]
        cursor.execute(row_sql, params)
        new_pk = cursor.lastrowid
        event.object_id = str(new_pk)
        params = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in audit_fields]
        cursor.execute(audit_sql, params)
        event_pk = cursor.lastrowid
    _saved(obj, new_pk)
    _saved(event, event_pk)


@lru_cache(maxsize=16)
def _audited_insert_statement(
    model: type[Model], audit_model: type[Model], guarded: bool = False
) -> tuple[str, list[Field], list[Field]]:
    """The WITH statement for a model (guarded: its part after `WITH guarded AS (…), `,
    inserting only if the guard returned a row), and the fields whose values it takes."""
    quote = connection.ops.quote_name
    row_fields = [f for f in model._meta.concrete_fields if f is not model._meta.pk]
    audit_all = [f for f in audit_model._meta.concrete_fields if f is not audit_model._meta.pk]
    # The audit row's object id is the new row's id, known only inside the statement.
    audit_values = ["inserted.id::text" if f.name == "object_id" else "%s" for f in audit_all]
    audit_fields = [f for f in audit_all if f.name != "object_id"]
    # Identifiers come from the models' metadata, quoted; every value is a parameter.
    # Guarded: one row however many the guard updated, as the ORM's save() would insert.
    row_source = (
        "SELECT {row_marks} FROM (SELECT 1 FROM guarded LIMIT 1) AS matched"
        if guarded
        else "VALUES ({row_marks})"
    )
    sql = (
        ("" if guarded else "WITH ")  # noqa: S608
        + "inserted AS (INSERT INTO {table} ({row_columns}) "
        + row_source
        + " RETURNING {pk} AS id),"
        " audited AS (INSERT INTO {audit} ({audit_columns}) SELECT {audit_values} FROM inserted)"
        " SELECT id FROM inserted"
    ).format(
        table=quote(model._meta.db_table),
        row_columns=", ".join(quote(f.column) for f in row_fields),
        row_marks=", ".join(["%s"] * len(row_fields)),
        pk=quote(model._meta.pk.column),
        audit=quote(audit_model._meta.db_table),
        audit_columns=", ".join(quote(f.column) for f in audit_all),
        audit_values=", ".join(audit_values),
    )
    return sql, row_fields, audit_fields


def _slots(params, stand_ins: tuple, name: str) -> list[tuple]:
    """Where each parameter of SQL compiled with stand-ins comes from: ("value", i) the
    i-th value, ("text", i) its text (a backend turned it into a string, as SQLite does a
    date), or ("constant", param). Every stand-in must be a parameter of its own."""
    slots, found = [], set()
    for param in params:
        slot = ("constant", param)
        for index, stand_in in enumerate(stand_ins):
            if type(param) is type(stand_in) and param == stand_in:
                slot = ("value", index)
            elif isinstance(param, str) and not isinstance(stand_in, str | int):
                slot = ("text", index) if param == str(stand_in) else slot
        if slot[0] != "constant":
            found.add(slot[1])
        slots.append(slot)
    if found != set(range(len(stand_ins))):
        raise ImproperlyConfigured(f"{name}: a stand-in value is not a parameter")
    return slots


def _filled(slots: list[tuple], values: tuple) -> list:
    """The parameters for one call: `_slots` with the call's values put in."""
    return [
        value if kind == "constant" else str(values[value]) if kind == "text" else values[value]
        for kind, value in slots
    ]


@lru_cache(maxsize=32)
def _compiled_plan(build: Callable, stand_ins: tuple, alias: str) -> tuple:
    """SQL of build(*stand_ins), where each parameter comes from (the stand-in's position
    and whether the backend turned it into text, as SQLite does a date) or is a constant."""
    queryset = build(*stand_ins).using(alias)
    if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
        raise ImproperlyConfigured(f"{build.__name__}: objects or values_list() only")
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise ImproperlyConfigured(f"{build.__name__}: no prefetching")
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    slots = _slots(params, stand_ins, build.__name__)
    select = compiler.select
    converters = list(compiler.get_converters([c[0] for c in select[: compiler.col_count]]).items())
    if queryset._iterable_class is ValuesListIterable:
        return sql, slots, converters, None
    klass_info = compiler.klass_info
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    model = (
        klass_info["model"],
        [column[0].target.attname for column in select[start:end]],
        start,
        end,
        get_related_populators(klass_info, select, alias),
        list(compiler.annotation_col_map.items()),
    )
    return sql, slots, converters, model


def compiled_rows(build: Callable, stand_ins: tuple, values: tuple, alias: str) -> list:
    """The rows of build(*values), as list(build(*values)) gives them, from SQL compiled
    once for build(*stand_ins). Each stand-in must reach the SQL as one parameter (not an
    expression folded into the text) and be a value no real call passes."""
    sql, slots, converters, model = _compiled_plan(build, stand_ins, alias)
    db = connections[alias]
    with _cursor(db) as cursor:
        cursor.execute(sql, _filled(slots, values))
        rows = cursor.fetchall()
    return _as_queryset_gives(rows, converters, model, db)


def _as_queryset_gives(rows: list, converters: list, model, db) -> list:
    """Fetched rows as the QuerySet would give them: converted, then objects or tuples."""
    alias = db.alias
    out = []
    for fetched in rows:
        row = list(fetched)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, db)
            row[position] = value
        if model is None:
            out.append(tuple(row))
            continue
        model_class, names, start, end, populators, annotations = model
        obj = model_class.from_db(alias, names, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        out.append(obj)
    return out


@lru_cache(maxsize=16)
def _compiled_update_plan(build: Callable, stand_ins: tuple, alias: str) -> tuple[str, list]:
    """The UPDATE of build(*stand_ins) (a queryset and the values to set) and its slots."""
    queryset, values = build(*stand_ins)
    update = queryset.query.chain(UpdateQuery)
    update.add_update_values(values)
    sql, params = update.get_compiler(alias).as_sql()
    return sql, _slots(params, stand_ins, build.__name__)


def compiled_update(build: Callable, stand_ins: tuple, values: tuple, alias: str) -> tuple:
    """The SQL and parameters of `queryset.update(**values)` for build(*values), compiled
    once for build(*stand_ins): what a conditional update costs Django to build and compile
    (a stock balance's guard) is more than PostgreSQL takes to run it."""
    sql, slots = _compiled_update_plan(build, stand_ins, alias)
    return sql, _filled(slots, values)


def compiled_update_run(build: Callable, stand_ins: tuple, values: tuple, alias: str) -> int:
    """Run compiled_update's statement: the number of rows it changed, as update() does."""
    sql, params = compiled_update(build, stand_ins, values, alias)
    with _cursor(connections[alias]) as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def update_with_audit(
    model: type[Model], *, match: dict[str, Any], values: dict[str, Any], event: Model
) -> int:
    """PostgreSQL: `UPDATE model SET values WHERE match` (equalities by field name, the
    primary key among them: one row) and, if it changed the row, the audit row `event`
    (its object_id already set), in one statement. Returns the number of rows changed
    (0 or 1); 0 writes nothing at all.

    A row another transaction holds is waited for and its condition re-checked on the
    committed version (READ COMMITTED), so of two at once exactly one changes it."""
    if "pk" not in match or any(value is None for value in match.values()):
        raise ValueError("update_with_audit matches one row: its pk, and no NULL")
    sql, set_fields, match_fields, audit_fields = _audited_update_statement(
        model, tuple(values), tuple(match), type(event)
    )
    sets, matches = (
        zip(set_fields, values.values(), strict=True),
        zip(match_fields, match.values(), strict=True),
    )
    params = [f.get_db_prep_save(_raw(value), connection) for f, value in sets]
    params += [f.get_db_prep_value(_raw(value), connection) for f, value in matches]
    params += [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in audit_fields]
    (changed,) = _one_statement(sql, params)
    return changed


def _raw(value: Any) -> Any:
    # A related object stands for its primary key, as in QuerySet.update().
    return value.pk if isinstance(value, Model) else value


@lru_cache(maxsize=16)
def _audited_update_statement(
    model: type[Model], set_names: tuple, match_names: tuple, audit_model: type[Model]
) -> tuple[str, list[Field], list[Field], list[Field]]:
    """The WITH statement for an update of these fields where those match, and the fields
    whose values it takes, in order."""
    quote = connection.ops.quote_name
    meta = model._meta
    set_fields = [meta.get_field(name) for name in set_names]
    match_fields = [meta.pk if name == "pk" else meta.get_field(name) for name in match_names]
    audit_fields = [f for f in audit_model._meta.concrete_fields if f is not audit_model._meta.pk]
    if any(not f.concrete or f.many_to_many for f in set_fields + match_fields):
        raise ImproperlyConfigured(f"{meta.label}: only a row's own columns can be updated")
    # Identifiers come from the models' metadata, quoted; every value is a parameter.
    sql = (  # noqa: S608
        "WITH updated AS (UPDATE {table} SET {assignments} WHERE {conditions}"
        " RETURNING {pk}),"
        " audited AS (INSERT INTO {audit} ({audit_columns}) SELECT {audit_marks} FROM updated)"
        " SELECT count(*) FROM updated"
    ).format(
        table=quote(meta.db_table),
        assignments=", ".join(f"{quote(f.column)} = %s" for f in set_fields),
        conditions=" AND ".join(f"{quote(f.column)} = %s" for f in match_fields),
        pk=quote(meta.pk.column),
        audit=quote(audit_model._meta.db_table),
        audit_columns=", ".join(quote(f.column) for f in audit_fields),
        audit_marks=", ".join(["%s"] * len(audit_fields)),
    )
    return sql, set_fields, match_fields, audit_fields
