"""Reading a JSON landing file: bytes (gunzipped if needed) -> Python objects, or a reason."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

from orchestration.sources.result import describe_error

GZIP_MAGIC = b"\x1f\x8b"
_BOMS = (  # byte-order marks of other Unicode encodings (JSON must be UTF-8, RFC 8259)
    (b"\xff\xfe\x00\x00", "UTF-32 LE"),
    (b"\x00\x00\xfe\xff", "UTF-32 BE"),
    (b"\xff\xfe", "UTF-16 LE"),
    (b"\xfe\xff", "UTF-16 BE"),
)


def wrong_bom(data: bytes) -> str | None:
    """The reject reason for a document starting with a non-UTF-8 byte-order mark, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return f"not UTF-8: {name} byte-order mark (JSON must be UTF-8)"
    return None


def truncated_json(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether a decode error shows a document cut off: at its end, or in a string that
    never closes."""
    return exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message is the reject reason."""


def load_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it starts with the gzip magic (UnreadableFile if not)."""
    try:
        data = path.read_bytes()
        if data[:2] == GZIP_MAGIC:
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(f"unreadable file: {describe_error(exc)}") from None
    return data


def load_json(path: Path) -> Any:
    """Load one JSON document (UTF-8, optional BOM, optionally gzip-compressed).

    Raises UnreadableFile with a reason such as "not valid JSON: JSONDecodeError: ...".
    """
    try:
        data = path.read_bytes()
        if data[:2] == GZIP_MAGIC:
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(f"unreadable file: {describe_error(exc)}") from None
    bom = wrong_bom(data)
    if bom:
        raise UnreadableFile(bom)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8: {describe_error(exc)}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if truncated_json(text, exc):
            raise UnreadableFile(
                f"not valid JSON: truncated document ({describe_error(exc)})"
            ) from None
        raise UnreadableFile(f"not valid JSON: {describe_error(exc)}") from None
    except RecursionError as exc:
        raise UnreadableFile(f"not valid JSON: {describe_error(exc)}") from None


def raw_json(obj: Any) -> str:
    """Compact JSON text of a record for quarantine (never raises)."""
    try:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
    except (TypeError, ValueError):
        return repr(obj)
