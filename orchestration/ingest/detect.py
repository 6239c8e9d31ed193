"""Format detection from content (root element, JSON shape, CSV header), never from names.

Reads at most the first 64 KiB of a file (after gunzip when it starts with the gzip magic).
A JSON document longer than that is recognised from its first resource, decoded on its own.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from pathlib import Path
from typing import Any

from lxml import etree

from orchestration.sources.process_log_ocel import is_ocel_json
from orchestration.sources.tmf622_order_event import is_order_event
from orchestration.sources.tmf642_alarm import is_alarm_event
from orchestration.sources.tmf_event import is_event
from orchestration.sources.xml_prolog import drop_pis_before_declaration

HEAD_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
PM_ROOTS = ("measCollecFile", "measDataFile", "mdc")  # 32.435/32.401, 28.532, 32.401 DTD
XML_ROOTS = {root: "3gpp_pm_xml" for root in PM_ROOTS} | {"OMeS": "nokia_omes"}  # NetAct PM
TMF_TYPES = {
    "Customer": "tmf629_customer",
    "ProductOrder": "tmf622_product_order",
    "TroubleTicket": "tmf621_trouble_ticket",
    "CustomerBill": "tmf678_customer_bill",
    "AppliedCustomerBillingRate": "tmf678_billing_rate",
    "Usage": "tmf635_usage",
    "ProductUsage": "tmf635_usage",
    "ServiceOrder": "tmf641_service_order",
    "Alarm": "tmf642_alarm",
}
_VES_KEY = re.compile(r'^\s*\{\s*"(eventList|event)"\s*:')
_PROLOG = re.compile(r"^(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)*", re.S)
_XML_ROOT = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?(measCollecFile|measDataFile|mdc|OMeS)[\s/>]")
_BARE_VES = re.compile(r'^\s*\{\s*"commonEventHeader"\s*:')
_OCEL_KEY = re.compile(
    r'^\s*\{\s*"(objectTypes|eventTypes|ocel:global-log|ocel:global-event|ocel:events)"\s*:'
)
# Process-mining logs share the root `log`: XES and OCEL XML tell apart by their first children.
XES_NS = "http://www.xes-standard.org/"
XES_CHILDREN = frozenset({"trace", "extension", "classifier", "string", "date", "int", "float"})
OCEL_CHILDREN = frozenset({"events", "objects", "object-types", "event-types"})


UNRECOGNISED = "unrecognised format"
EMPTY = "empty file"
BOMS = (  # byte-order marks of encodings other than UTF-8, longest first
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def read_head(path: Path, limit: int = HEAD_BYTES) -> tuple[bytes, bool]:
    """Up to `limit` bytes of the (gunzipped) content, and whether that is the whole content.

    A truncated gzip stream gives what it decompresses to (so that the parser, not the
    detector, reports the truncation).
    """
    with open(path, "rb") as fh:
        magic = fh.read(2)
        fh.seek(0)
        if magic == GZIP_MAGIC:
            try:
                with gzip.GzipFile(fileobj=fh) as gz:
                    head = gz.read(limit + 1)
            except (EOFError, zlib.error, OSError):
                fh.seek(0)
                head = _partial_gunzip(fh.read(4 * (limit + 1)), limit + 1)
        else:
            head = fh.read(limit + 1)
    return head[:limit], len(head) <= limit


def _partial_gunzip(data: bytes, limit: int) -> bytes:
    """What a (possibly truncated) gzip stream decompresses to, at most `limit` bytes."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        return inflater.decompress(data, limit)
    except zlib.error:
        return b""


def head_text(head: bytes) -> str:
    """The head as text for sniffing: decoded by its byte-order mark, else as UTF-8."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore").lstrip()
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff").lstrip()


def unrecognised_reason(path: Path) -> str:
    """The specific reason a file of no landing format is quarantined with: "empty file",
    "unrecognised format: XML root element 'x'", else "unrecognised format"."""
    try:
        head, _ = read_head(path)
    except (OSError, EOFError, zlib.error):
        return UNRECOGNISED
    text = head_text(head)
    if not text:
        return EMPTY
    if text[0] == "<":
        root = _xml_root(head)
        if root is not None:
            return f"{UNRECOGNISED}: XML root element {root!r}"
    return UNRECOGNISED


def _xml_root(head: bytes) -> str | None:
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        parser.feed(head)
        for _event, elem in parser.read_events():
            return etree.QName(elem).localname
    except etree.XMLSyntaxError:
        return None
    return None


def detect_format(path: Path) -> str | None:
    """The landing format of a file (see docs/data_contracts.md), or None if unrecognised."""
    try:
        head, complete = read_head(path)
    except (OSError, EOFError, zlib.error):
        return None
    text = head_text(head)
    if not text:
        return None
    if text[0] == "<":
        return _detect_xml(head)
    if text[0] in "[{":
        return _detect_json(text, complete)
    return _detect_csv(text)


def _detect_xml(head: bytes) -> str | None:
    head = drop_pis_before_declaration(head)  # as the XML readers do
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        parser.feed(head)
        events = parser.read_events()
        for _event, elem in events:
            local = etree.QName(elem).localname
            if local == "log":
                return _process_log_kind(elem, events)
            return XML_ROOTS.get(local)
    except etree.XMLSyntaxError:
        pass
    # lxml refused (e.g. a DTD declaring entities): fall back to the root element's name, so
    # the XML reader quarantines the file with its specific reason.
    text = _PROLOG.sub("", head.decode("utf-8", errors="ignore").lstrip("\ufeff"))
    root = _XML_ROOT.match(text)
    return XML_ROOTS[root.group(1)] if root else None


def _process_log_kind(root: etree._Element, events: Any) -> str:
    """`xes` or `ocel` for a `<log>` root: the XES namespace or `xes.version`, else its first
    telling child (XES: trace, extension, classifier, log attributes; OCEL: events, objects,
    object-types, event-types; `<global scope="object|log">` is OCEL 1.0's)."""
    if etree.QName(root).namespace == XES_NS or root.get("xes.version"):
        return "xes"
    for _event, elem in events:
        if elem.getparent() is not root:
            continue
        local = etree.QName(elem).localname
        if local in OCEL_CHILDREN or (local == "global" and elem.get("scope") in ("object", "log")):
            return "ocel"
        if local in XES_CHILDREN or (local == "global" and elem.get("scope") == "trace"):
            return "xes"
    return "xes"  # nothing telling in the head: the XES reader names what is wrong


def _detect_json(text: str, complete: bool) -> str | None:
    if complete:
        try:
            return _classify_json(json.loads(text))
        except (json.JSONDecodeError, RecursionError):
            by_line = _detect_json_lines(text)
            if by_line:
                return by_line
        # not valid JSON as a whole (e.g. truncated): recognised from its start, so that the
        # parser quarantines it with the specific reason
    elif text[0] == "{" and "\n" in text:
        by_line = _detect_json_lines(text)
        if by_line:
            return by_line
    # Truncated head: classify from the first element/keys decoded on their own.
    if text[0] == "[":
        first = _first_array_item(text, 1)
        return _classify_json([first]) if first is not None else None
    if (_VES_KEY.match(text) or _BARE_VES.match(text)) and '"commonEventHeader"' in text:
        return "ves_json"
    if _OCEL_KEY.match(text):
        return "ocel"
    items = re.match(r'^\s*\{\s*"items"\s*:\s*\[', text)
    if items:
        first = _first_array_item(text, items.end())
        return _classify_json([first]) if first is not None else None
    return None


def _first_array_item(text: str, pos: int) -> Any:
    decoder = json.JSONDecoder()
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    try:
        obj, _end = decoder.raw_decode(text, pos)
    except (json.JSONDecodeError, RecursionError):
        return None
    return obj


def _detect_json_lines(text: str) -> str | None:
    """Line-delimited JSON (one event per line): recognised from its first line."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        return None
    try:
        first = json.loads(lines[0])
    except (json.JSONDecodeError, RecursionError):
        return None
    return "ves_json" if isinstance(first, dict) and _is_ves(first) else None


def _classify_json(doc: Any) -> str | None:
    if isinstance(doc, dict):
        if _is_ves(doc):
            return "ves_json"
        if is_ocel_json(doc):
            return "ocel"
        items = doc.get("items")
        doc = items if isinstance(items, list) else [doc]
    if not isinstance(doc, list) or not doc or not isinstance(doc[0], dict):
        return None
    first = doc[0]
    if _is_ves(first):
        return "ves_json"
    for key in ("eventType", "@type"):
        value = first.get(key)
        if isinstance(value, str) and is_order_event(value):
            return "tmf622_order_event"
    if is_alarm_event(first):
        return "tmf642_alarm"
    for key in ("eventType", "@type"):
        value = first.get(key)
        if isinstance(value, str) and is_event(value) and isinstance(first.get("event"), dict):
            return "tmf_event"
    rtype = first.get("@type")
    if isinstance(rtype, str):
        return TMF_TYPES.get(rtype)
    return _classify_untyped(first)


def _classify_untyped(first: dict[str, Any]) -> str | None:
    """A TMF resource without `@type` (a create-request body, a v4 server that omits it),
    recognised by the fields only that resource has; the parser then quarantines whatever it
    lacks (an `id`) with a reason naming the key."""
    items = first.get("serviceOrderItem") or first.get("orderItem")
    if isinstance(items, list) and items and isinstance(items[0], dict):
        if isinstance(items[0].get("service"), dict):  # TMF622 items hold a `product`
            return "tmf641_service_order"
    if "alarmRaisedTime" in first or {"perceivedSeverity", "alarmType"} <= first.keys():
        return "tmf642_alarm"
    return None


def _is_ves(doc: dict[str, Any]) -> bool:
    if isinstance(doc.get("commonEventHeader"), dict):  # a bare event, no wrapper
        return True
    events = doc.get("eventList")
    if isinstance(events, list):  # an empty batch is still a VES batch
        if not events:
            return True
        first = events[0]
        if isinstance(first, dict) and isinstance(first.get("event"), dict):
            first = first["event"]
        return isinstance(first, dict) and "commonEventHeader" in first
    event = doc.get("event")
    return isinstance(event, dict) and "commonEventHeader" in event


def _detect_csv(text: str) -> str | None:
    first_line = text.splitlines()[0] if text else ""
    try:
        header = next(csv.reader(io.StringIO(first_line)))
    except (csv.Error, StopIteration):
        return None
    columns = {c.strip() for c in header}
    if {"cell_id", "meas_obj_ldn"} <= columns:
        return "inventory_csv"
    if "nps_score" in columns:
        return "survey_csv"
    if {"case_id", "activity", "resource_type"} <= columns:
        return "process_log_csv"
    return None
