"""The fast writer's audit text is what Django's JSONField would write for the same snapshot."""

import datetime
import json

from hoptac.imports.fastwrite import SnapshotText, json_value
from hoptac.registry.choices import Kind


def test_the_snapshot_text_is_json_dumps_of_the_snapshot():
    base = {"id": None, "name": "", "kind": "htx", "note": "50% \"quoted\" \\ %(x)s", "commune": None,
            "created_at": "2026-12-01T10:00:00+00:00", "in_commune_register": None, "version": 1}  # fmt: skip
    snapshots = SnapshotText(
        base, {"id", "name", "kind", "commune", "in_commune_register", "version", "note"}
    )
    rows = [
        {"id": 7, "name": 'HTX Vĩnh Thái "Đông" 100%', "kind": Kind.THT, "commune": 12},
        {"id": 8, "name": "", "commune": None},
        {"id": 9, "name": "a\u2028b\x00\n\t", "in_commune_register": True},
        {"id": 10, "in_commune_register": False, "version": 2, "note": "%s"},
    ]
    for values in rows:
        parts = snapshots.parts.copy()
        for key, value in values.items():
            parts[snapshots.index[key]] = json_value(value)
        assert "".join(parts) == json.dumps({**base, **values}), values


def test_each_value_is_encoded_as_json_dumps_encodes_it():
    values = ["", "Nông nghiệp", Kind.HTX, None, True, False, 0, -3, 10**20, 1.5, [1, "a"],
              datetime.date(2024, 1, 2).isoformat()]  # fmt: skip
    for value in values:
        assert json_value(value) == json.dumps(value), value
