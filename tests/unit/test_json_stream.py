"""Streaming a top-level JSON array (json_input.json_array_items) gives json.loads' elements,
and refuses (NotStreamable) everything it cannot stream so the caller reads the file whole."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from orchestration.sources import tmf629_customer
from orchestration.sources.json_input import NotStreamable, json_array_items

STREAMED = {
    "objects": '[{"a": 1}, {"b": [1, 2, {"c": "x,]\\"y"}]}, 12345, "s", null, true, -1.5e3]',
    "empty": " [ ] ",
    "utf8_bom": '\ufeff[{"name": "Zoë"}, 2]',
    "long_numbers": "[" + ",".join(str(10**12 + i) for i in range(2000)) + "]\n",
    "nested": json.dumps([{"k": [[i] * 5] * 3} for i in range(300)]),
}
REFUSED = {
    "truncated": '[{"a": 1}, {"b":',
    "not_closed": "[1, 2",
    "object": '{"items": [1]}',
    "extra_data": "[1] x",
    "missing_comma": "[1 2]",
    "trailing_comma": "[1,]",
    "utf16": "[1]".encode("utf-16"),
    "bad_utf8": b'[{"a": "\xff"}]',
    "empty_file": b"",
}


def _write(tmp_path: Path, name: str, text: str | bytes, gz: bool) -> Path:
    data = text.encode("utf-8") if isinstance(text, str) else text
    path = tmp_path / (name + (".json.gz" if gz else ".json"))
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("chunk", [1, 7, 1 << 16])
@pytest.mark.parametrize("name", sorted(STREAMED))
def test_streamed_elements_equal_json_loads(tmp_path: Path, name: str, chunk: int, gz: bool):
    path = _write(tmp_path, name, STREAMED[name], gz)
    assert list(json_array_items(path, chunk)) == json.loads(STREAMED[name].lstrip("\ufeff"))


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_everything_else_is_refused(tmp_path: Path, name: str, gz: bool) -> None:
    path = _write(tmp_path, name, REFUSED[name], gz)
    with pytest.raises(NotStreamable):
        list(json_array_items(path, 5))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotStreamable):
        list(json_array_items(tmp_path / "absent.json"))


def test_a_truncated_tmf_file_is_still_rejected_whole_with_the_reason(tmp_path: Path) -> None:
    """Streaming reads a few customers, then the cut: the file falls back to the whole read and
    gets the same whole-file reject as before, with no row loaded."""
    good = [
        {"id": f"C{i}", "@type": "Customer", "name": f"n{i}", "status": "active"} for i in range(50)
    ]
    text = json.dumps(good)
    whole = tmf629_customer.parse(_write(tmp_path, "whole", text, False))
    assert whole.rows.height == 50 and whole.rows_in == 50
    cut = tmf629_customer.parse(_write(tmp_path, "cut", text[: len(text) // 2], False))
    assert cut.rows.height == 0
    assert cut.rejects and cut.rejects[0].reason.startswith("not valid JSON: truncated document")
