"""Reading a JSON landing file: bytes (gunzipped if needed) -> Python objects, or a reason."""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from collections.abc import Iterator
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


def json_text(data: bytes) -> str:
    """A JSON document's bytes as text: UTF-8, an optional UTF-8 BOM dropped (UnreadableFile
    for another encoding's byte-order mark or bytes that are not UTF-8)."""
    bom = wrong_bom(data)
    if bom:
        raise UnreadableFile(bom)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8: {describe_error(exc)}") from None


def load_json(path: Path) -> Any:
    """Load one JSON document (UTF-8, optional BOM, optionally gzip-compressed).

    Raises UnreadableFile with a reason such as "not valid JSON: JSONDecodeError: ...".
    """
    text = json_text(load_bytes(path))
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


class NotStreamable(Exception):
    """The file is not one plain top-level JSON array that streams cleanly: read it whole
    (`load_json`), which gives the exact reject reason, if any."""


_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()


def json_array_items(path: Path, chunk_bytes: int = 1 << 24) -> Iterator[Any]:
    """The elements of a file holding one top-level JSON array, read `chunk_bytes` at a time
    (gunzipped on the fly), so a 1 GB TMF file never sits in memory whole as text or objects.

    Each element is decoded by the same decoder as `json.loads`, so the objects are identical.
    Raises NotStreamable (at once or after some elements) for anything else: another top-level
    shape, a byte-order mark other than UTF-8's, invalid UTF-8 or JSON, a truncated document,
    an unreadable file. The caller then discards what it collected and reads the file whole.
    """
    try:
        with path.open("rb") as probe:
            gzipped = probe.read(2) == GZIP_MAGIC
        stream = gzip.open(path, "rb") if gzipped else path.open("rb")
    except OSError as exc:
        raise NotStreamable(str(exc)) from None
    with stream:
        yield from _array_items(stream, chunk_bytes)


def _array_items(stream: Any, chunk_bytes: int) -> Iterator[Any]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    buf, pos, eof = "", 0, False

    def more() -> bool:
        """Append the next chunk to `buf` (dropping what was consumed); False at the end."""
        nonlocal buf, pos, eof
        if eof:
            return False
        try:
            data = stream.read(chunk_bytes)
            eof = not data
            text = decoder.decode(data, final=eof)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise NotStreamable(describe_error(exc)) from None
        buf, pos = buf[pos:] + text, 0
        return True

    def skip_ws() -> str:
        """The next non-whitespace character ('' at the end), `pos` on it."""
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not more():
                return ""

    if skip_ws() != "[":
        raise NotStreamable("not a top-level JSON array")
    pos += 1
    closed = skip_ws() == "]"
    if closed:
        pos += 1
    while not closed:
        # `pos` is at the element's first character; `more()` keeps it there (re-based to 0).
        while True:
            try:
                item, end = _DECODER.raw_decode(buf, pos)
            except (json.JSONDecodeError, RecursionError):
                end = -1
            if end >= 0:
                after = end
                while after < len(buf) and buf[after] in _WHITESPACE:
                    after += 1
                if after < len(buf) and buf[after] in ",]":  # a complete element
                    closed = buf[after] == "]"
                    pos = after + 1
                    break
            # the element failed, or ran to the end of the text read so far, or a number was
            # cut at the chunk's end (`-1.` of `-1.5`): read more and decode it again
            if not more():
                raise NotStreamable("invalid or truncated JSON array")
        yield item
        if not closed:
            skip_ws()
    if skip_ws() != "":
        raise NotStreamable("extra data after the top-level array")
