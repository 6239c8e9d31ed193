"""Lenient repair of an XML prolog that real exporters write out of order.

Some tools put a processing instruction (typically `<?xml-stylesheet …?>`) *before* the XML
declaration. That is not well-formed XML (the declaration must come first), but the instruction
only tells a browser how to display the file: the PM and OMeS readers drop the instructions in
front of the declaration and read the rest as written (documented in docs/landing_zone.md).
Nothing else is ever changed, and a file without that habit is returned as is.
"""

from __future__ import annotations

import re

_UTF8_BOM = b"\xef\xbb\xbf"
# One or more PIs that are not the declaration, then (after blanks) the declaration itself.
_MISPLACED = re.compile(rb"\s*(?:<\?(?!xml[\s?])[^?]*(?:\?(?!>)[^?]*)*\?>\s*)+(?=<\?xml[\s?])")


def drop_pis_before_declaration(data: bytes) -> bytes:
    """`data` without the processing instructions that precede its XML declaration."""
    bom = _UTF8_BOM if data.startswith(_UTF8_BOM) else b""
    start = len(bom)
    if data[start : start + 64].lstrip()[:2] != b"<?" or data[start:].lstrip().startswith(
        b"<?xml "
    ):
        return data
    m = _MISPLACED.match(data, start)
    return bom + data[m.end() :] if m else data
