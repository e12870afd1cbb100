"""The workbench's field store, read once per row and request, as the LMS's FieldDataCache reads it.

xblock-sdk's store keeps every field of one (scope, block, user) in one JSON row, and reads that row
again, with a query and a JSON decode, for every `has` and every `get`: a block that reads 13 fields
makes 24 queries and decodes its content (the quiz's whole bank) 6 times per request. The LMS reads a
block's user state in one query per request (FieldDataCache) and its content and settings from the
modulestore, already in memory. This store reads each row once per runtime (the workbench makes one
runtime per request) and keeps it for the request.

Writes read the row afresh, set the fields, save the whole row, and the fresh row replaces the one
kept, so a request never writes back another request's fields from a stale copy. A block's save
(`set_many`) writes each row once, as the LMS does, where the sdk read and wrote the row per field.
"""
import json

from workbench.models import XBlockState
from workbench.runtime import WORKBENCH_KVS, WorkbenchDjangoKeyValueStore
from xblock.runtime import KvsFieldData


class RowCachingKeyValueStore(WorkbenchDjangoKeyValueStore):
    """The sdk's store with each row's decoded JSON kept after the first read."""

    def __init__(self):
        super().__init__()
        self._rows = {}

    @staticmethod
    def _row_key(key):
        return (key.scope, key.block_scope_id, key.user_id)

    def _state(self, key):
        row_key = self._row_key(key)
        state = self._rows.get(row_key)
        if state is None:
            state = self._rows[row_key] = json.loads(XBlockState.get_for_key(key).state)
        return state

    def get(self, key):
        return self._state(key)[key.field_name]

    def has(self, key):
        return key.field_name in self._state(key)

    def set(self, key, value):
        self.set_many({key: value})

    def set_many(self, update_dict):
        rows = {}
        for key, value in update_dict.items():
            rows.setdefault(self._row_key(key), (key, {}))[1][key.field_name] = value
        for key, values in rows.values():
            self._write(key, lambda state, values=values: state.update(values))

    def delete(self, key):
        self._write(key, lambda state: state.__delitem__(key.field_name))

    def _write(self, key, change):
        record = XBlockState.get_for_key(key)
        state = json.loads(record.state)
        change(state)
        record.state = self._to_json_str(state)
        record.save(update_fields=["state"])
        self._rows[self._row_key(key)] = state


class RequestFieldData(KvsFieldData):
    """The `field-data` service (settings.WORKBENCH["services"]): the workbench builds one per runtime."""

    runtime = None  # set by the workbench after building the service

    def __init__(self):
        super().__init__(RowCachingKeyValueStore())


class SdkFieldData(KvsFieldData):
    """xblock-sdk's own store (a query and a decode per `has` and per `get`), for benchmarks that compare
    (bench/_setup.py, BLMA_BENCH_STORE=sdk); the workbench never uses it."""

    runtime = None

    def __init__(self):
        super().__init__(WORKBENCH_KVS)
