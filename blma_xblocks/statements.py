"""The statements on a learner's hot path, as SQL built once per model, database and shape.

Django's ORM compiles every query anew: here about 0.4 ms a query, fifteen times what SQLite takes
to run it, so a quiz submit spent most of its time building three statements (docs/benchmarks.md).
These functions build the same SQL the ORM would write, once, from the models' own metadata (table,
columns, quoting, the backend's upsert clause), and convert values the ORM's way both ways (each
field's `pre_save` and `get_db_prep_save`, the backend's and the field's converters on read), so a
row reads and writes exactly as through the ORM: tests compare the two on SQLite and MariaDB
(tests/test_statements.py). Anything not on the hot path stays in the ORM (storage.py).
"""
from functools import lru_cache

from django.db import connections, router
from django.db.models.constants import OnConflict


def _alias(model, write):
    return router.db_for_write(model) if write else router.db_for_read(model)


def _column(model, name):
    return model._meta.get_field(name).column  # pylint: disable=protected-access  # Django's public metadata


def _conditions(model, connection, where, is_null=()):
    quote = connection.ops.quote_name
    return " AND ".join([f"{quote(_column(model, name))} = %s" for name in where]
                        + [f"{quote(_column(model, name))} IS NULL" for name in is_null])


@lru_cache(maxsize=None)
def _select_plan(model, alias, where, order_by):
    """(SQL, attribute names, [(index, converters)]) for SELECT every column WHERE ... ORDER BY ..."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta  # pylint: disable=protected-access
    fields = meta.concrete_fields
    order = ", ".join(quote(_column(model, name)) for name in order_by)
    sql = (f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(meta.db_table)}"
           f" WHERE {_conditions(model, connection, where)}" + (f" ORDER BY {order}" if order else ""))
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((index, column, found))
    return sql, [f.attname for f in fields], converters


def select(model, where, order_by=()):
    """Model instances WHERE every `where` column equals its value, in `order_by` order: one query."""
    alias = _alias(model, write=False)
    connection = connections[alias]
    sql, names, converters = _select_plan(model, alias, tuple(where), tuple(order_by))
    params = [model._meta.get_field(name).get_db_prep_value(value, connection)  # pylint: disable=protected-access
              for name, value in where.items()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = list(row)
        for index, column, functions in converters:
            for convert in functions:
                values[index] = convert(values[index], column, connection)
        found.append(model.from_db(alias, names, values))
    return found


@lru_cache(maxsize=None)
def _update_sql(model, alias, names, where, is_null):
    connection = connections[alias]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(_column(model, name))} = %s" for name in names)
    return (f"UPDATE {quote(model._meta.db_table)} SET {assignments}"  # pylint: disable=protected-access
            f" WHERE {_conditions(model, connection, where, is_null)}")


def update(model, values, where, is_null=()):
    """UPDATE the rows WHERE every `where` column equals its value and the `is_null` columns are NULL;
    the number of rows changed (a conditional update's answer to "did this request win?")."""
    alias = _alias(model, write=True)
    connection = connections[alias]
    sql = _update_sql(model, alias, tuple(values), tuple(where), tuple(is_null))
    field = model._meta.get_field  # pylint: disable=protected-access
    params = [field(name).get_db_prep_save(value, connection) for name, value in values.items()]
    params += [field(name).get_db_prep_value(value, connection) for name, value in where.items()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@lru_cache(maxsize=None)
def _upsert_plan(model, alias, unique, changing):
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta  # pylint: disable=protected-access
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    target = [_column(model, name) for name in unique]
    if not connection.features.supports_update_conflicts_with_target:
        target = []  # MySQL: ON DUPLICATE KEY names no target
    updated = [_column(model, name) for name in changing]
    suffix = connection.ops.on_conflict_suffix_sql(fields, OnConflict.UPDATE, updated, target)
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
           f" VALUES ({', '.join(['%s'] * len(fields))}) {suffix}")
    return sql, fields


def upsert(instance, unique, changing):
    """INSERT the unsaved `instance`, or, where a row with the same `unique` columns exists, UPDATE that
    row's `changing` columns: one statement (ON CONFLICT / ON DUPLICATE KEY UPDATE), so parallel first
    writes cannot fail. Defaults and `auto_now` are filled as the ORM's save fills them."""
    model = type(instance)
    alias = _alias(model, write=True)
    connection = connections[alias]
    sql, fields = _upsert_plan(model, alias, tuple(unique), tuple(changing))
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
