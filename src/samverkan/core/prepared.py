"""Querysets built and compiled once per process, run with new values (decision 0370).

Every request of the child overview asked Django to build the same few querysets
(``filter``, ``annotate``, ``select_related``) and compile them to SQL (the joins, the
select list, every column quoted): a third of the page's Python time, spent producing
the same text each time with other values. A ``PreparedQuery`` is built by a function
that takes ``Slot`` placeholders where the values go; it is compiled the first time it
runs on a database, and each later run binds the new values in place of the slots and
hands the stored SQL to Django's own row reading (``ModelIterable``: the same
instances, related objects and filtered relations as the queryset gives).

A value is prepared for the database by the slot's model field, as Django prepares a
lookup's value (``get_db_prep_value``): a malformed value raises the same errors
(``ValueError``, ``ValidationError``), when the query runs. Only querysets whose SQL
depends on nothing but the slots' values belong here (no branch on a value in the
building function; ``None`` is not a value a slot takes).
"""

from __future__ import annotations

import copy
import threading

from django.db import connections, router
from django.db.models import Expression, QuerySet


class _Marker:
    """Where slot ``index``'s value goes in the compiled parameters."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


class Slot(Expression):
    """The place of the run's ``index``-th value, prepared as ``field`` prepares it."""

    def __init__(self, index: int, field):
        super().__init__(output_field=field)
        self.index = index
        self.prep_field = field

    def as_sql(self, compiler, connection):
        return "%s", [_Marker(self.index)]


class _Compiled:
    def __init__(self, queryset: QuerySet, alias: str):
        self.query = queryset.query
        self.compiler = self.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.converters = None
        self.slots = [(i, p.index) for i, p in enumerate(self.params) if isinstance(p, _Marker)]


class PreparedQuery:
    """``build(*slots)`` returns the queryset; ``run(*values)`` its rows as a list.
    ``fields()`` names the model field that prepares each value (asked on first use,
    when the models are loaded)."""

    def __init__(self, model, build, fields):
        self._model = model
        self.build = build
        self._fields = fields
        self.fields = None
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def _for(self, alias: str) -> _Compiled:
        connection = connections[alias]
        key = (alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key)
                if compiled is None:
                    slots = [Slot(i, field) for i, field in enumerate(self.fields)]
                    compiled = _Compiled(self.build(*slots), alias)
                    self._compiled[key] = compiled
        return compiled

    @property
    def model(self):
        return (
            self._model()
            if callable(self._model) and not isinstance(self._model, type)
            else self._model
        )

    def run(self, *values) -> list:
        if self.fields is None:
            self.fields = list(self._fields())
        if len(values) != len(self.fields):
            raise TypeError(f"{len(self.fields)} values expected, {len(values)} given")
        alias = router.db_for_read(self.model)
        compiled = self._for(alias)
        connection = connections[alias]
        prepared = [
            field.get_db_prep_value(value, connection, prepared=False)
            for field, value in zip(self.fields, values, strict=True)
        ]
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = prepared[index]
        sql = compiled.sql
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        converters = compiled.converters
        if converters is None or converters[0] is not connection:
            # The columns' converters (from the row's values to the fields'), asked
            # once per connection (a thread's own) instead of once per run.
            fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
            converters = compiled.converters = (connection, compiler.get_converters(fields))
        compiler.get_converters = lambda fields, found=converters[1]: found
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        query = copy.copy(compiled.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        return list(QuerySet(model=self.model, query=query, using=alias))
