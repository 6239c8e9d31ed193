"""What every XML reader of landing files shares: reading the bytes (gzip by its magic, a
stylesheet instruction before the declaration dropped) and refusing entity declarations.

Readers parse with lxml and DTD loading, entity resolution and network access off; a document
whose DTD declares entities is rejected whole, so entity expansion ("billion laughs") and
external entities (XXE) never reach the rest of the code.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from lxml import etree

from orchestration.sources.result import describe_error
from orchestration.sources.xml_prolog import drop_pis_before_declaration

GZIP_MAGIC = b"\x1f\x8b"
ENTITIES_REJECTED = "XML entity declarations are not allowed (possible entity expansion attack)"
EXTERNAL_ENTITY_REJECTED = (
    "XML entity declarations are not allowed (external entity reference: possible XXE)"
)


# lxml options a landing-file reader parses with (parser or iterparse): no DTD, no entity
# expansion, no network, no size override; comments and processing instructions dropped.
SAFE_XML_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
# What reading an XML file (maybe gzip) can raise on bad input: the file is rejected whole.
READ_ERRORS = (etree.XMLSyntaxError, etree.ParseError, OSError, EOFError, zlib.error)


def read_error_reason(exc: BaseException) -> str:
    """The whole-file reject reason for one of READ_ERRORS."""
    if isinstance(exc, etree.XMLSyntaxError | etree.ParseError):
        return f"not well-formed XML: {describe_error(exc)}"
    return f"unreadable file: {describe_error(exc)}"


def read_xml_bytes(path: Path) -> bytes:
    """The file's XML bytes: gunzipped, a stylesheet instruction before the declaration dropped."""
    data = path.read_bytes()
    if data[:2] == GZIP_MAGIC:
        data = gzip.decompress(data)
    return drop_pis_before_declaration(data)


def entity_problem(root: etree._Element) -> str | None:
    """The reason to reject a document whose internal DTD declares entities, else None."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            if getattr(entity, "system_url", None):
                return EXTERNAL_ENTITY_REJECTED
            return ENTITIES_REJECTED
    return None


def free(elem: etree._Element) -> None:
    """Release a fully processed element and its already processed preceding siblings."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]
