"""3GPP PM XML: TS 32.435 `measCollecFile` (also the older 32.401 namespace), the TS 28.532
`measDataFile` variant (`measEntity`), and the legacy 32.401 DTD format (`<mdc><mfh>…<mi>…`).

Grain: one row per (network element, measured object, counter, period); see `pm_rows` for the
value rules and the de-duplication. The period (duration and end time) comes from each
measInfo's `granPeriod`, never from the file header or footer.

How it reads (bounded memory, fast):
1. lxml `iterparse` with DTD loading, entity resolution and network access off parses the file
   (gzip detected by its magic bytes) and checks well-formedness; a document whose DTD declares
   entities is quarantined whole ("XML entity declarations are not allowed"), so a hostile file
   (entity expansion, external entity) never reaches the rest of the code.
2. Each `measData` subtree, once parsed, is serialised back by lxml (`tostring`): a canonical
   text in which comments, CDATA, character references and attribute quoting are normalised.
   Regular expressions read that canonical text (one findall per measInfo for the common
   layout), and the subtree is freed. Namespace prefixes, attribute order, missing `r`,
   reordered children and other rare shapes fall back to a general per-measValue reader.
3. `pm_rows.PmRows` builds the typed rows once per file.

Record grain for the ledger: a counter value; a measValue that cannot be mapped to counters
(no object, no element name, bad granPeriod, measTypes/measResults length mismatch) is one
reject per measValue, and a length mismatch quarantines the whole measInfo (never zipped).

The network element a measData reports on (`ne_id`) is the first non-empty of
`managedElement@localDn` (`measEntity@localDn` in 28.532), `fileSender@localDn` (28.532:
`senderName`), the header's `dnPrefix`, and `managedElement@userLabel`: real files leave
`localDn` empty or leave `managedElement` out and name the element in the header instead. A
measValue with `measObjLdn=""` measures the element itself: its object is `ne_id`.
"""

from __future__ import annotations

import gzip
import html
import io
import pyexpat
import re
import zlib
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO

from lxml import etree

from orchestration.sources import pm_rows
from orchestration.sources.pm_rows import PmRows, parse_duration_s, parse_pm_time
from orchestration.sources.result import ParseResult, describe_error, file_rejected
from orchestration.sources.timestamps import RecordError
from orchestration.sources.xml_safety import (
    ENTITIES_REJECTED,
    EXTERNAL_ENTITY_REJECTED,
    GZIP_MAGIC,
    entity_problem,
    free,
    read_xml_bytes,
)

FORMAT = "3gpp_pm_xml"
DATASET = pm_rows.DATASET
SCHEMA = pm_rows.SCHEMA
day_of = pm_rows.day_of
__all__ = [
    "DATASET",
    "ENTITIES_REJECTED",
    "EXTERNAL_ENTITY_REJECTED",
    "FORMAT",
    "GZIP_MAGIC",
    "ROOT_TAGS",
    "SCHEMA",
    "day_of",
    "element_name",
    "parse",
    "parse_duration_s",
]

ROOT_TAGS = ("measCollecFile", "measDataFile", "mdc")  # 32.435/32.401, 28.532, 32.401 DTD
NO_MANAGED_ELEMENT = (
    "measData without an element name (managedElement localDn, fileSender localDn, dnPrefix"
    " and userLabel all empty)"
)
NOT_DECLARED_ENCODING = "wrong encoding: bytes are not valid"
_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")

_P = r"(?:[A-Za-z_][\w.\-]*:)?"  # optional namespace prefix
_A = r"((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)"  # a tag's attributes (quote-aware: '>' may be inside)
_ATTR = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PREFIXED = re.compile(r"</?[A-Za-z_][\w.\-]*:[A-Za-z_]")
_OPEN_TAIL = re.compile(rf"{_A}(/?)>")


class _ElementPatterns:
    """The element patterns, for documents without (P="") or with namespace prefixes."""

    def __init__(self, p: str) -> None:
        self.plain = p == ""
        self.header = re.compile(rf"<{p}fileHeader\b{_A}(?:/>|>(.*?)</{p}fileHeader>)", re.S)
        self.sender = re.compile(rf"<{p}fileSender\b{_A}/?>")
        self.data = re.compile(rf"<{p}measData\b{_A}(?:/>|>(.*?)</{p}measData>)", re.S)
        self.me = re.compile(rf"<{p}(?:managedElement|measEntity)\b{_A}/?>")
        self.info = re.compile(rf"<{p}measInfo\b{_A}(?:/>|>(.*?)</{p}measInfo>)", re.S)
        self.gran = re.compile(rf"<{p}granPeriod\b{_A}/?>")
        self.job = re.compile(rf"<{p}job\b{_A}/?>")
        self.types = re.compile(rf"<{p}measTypes\b{_A}(?:/>|>([^<]*)</{p}measTypes>)")
        self.type_p = re.compile(rf"<{p}measType\b{_A}(?:/>|>([^<]*)</{p}measType>)")
        self.mv = re.compile(rf"<{p}measValue\b{_A}(?:/>|>(.*?)</{p}measValue>)", re.S)
        self.mv_start = re.compile(rf"<{p}measValue\b")
        self.results = re.compile(rf"<{p}measResults\b{_A}(?:/>|>([^<]*)</{p}measResults>)")
        self.r = re.compile(rf"<{p}r\b{_A}(?:/>|>([^<]*)</{p}r>)")
        self.suspect = re.compile(rf"<{p}suspect\b{_A}(?:/>|>([^<]*)</{p}suspect>)")

    def blocks(self, text: str, tag: str) -> list[tuple[str, str]]:
        """(attributes, content) of every non-empty `tag` element (they never nest)."""
        if not self.plain:
            rx = self.data if tag == "measData" else self.info
            return [(a, b) for a, b in rx.findall(text) if b]
        open_, close = "<" + tag, "</" + tag + ">"
        n = len(open_)
        out = []
        for part in text.split(close)[:-1]:
            i = part.rfind(open_)
            while i >= 0 and part[i + n : i + n + 1] not in (" ", ">", "\t", "\n", "\r", "/"):
                i = part.rfind(open_, 0, i)
            if i < 0:
                continue
            m = _OPEN_TAIL.match(part, i + n)
            if m is None or m.group(2):
                continue
            out.append((m.group(1), part[m.end() :]))
        return out


_UNPREFIXED = _ElementPatterns("")
_ANY_PREFIX = _ElementPatterns(_P)
# The common shapes (no prefix, attribute measObjLdn only): one findall per measInfo.
_MV_RES_FAST = re.compile(
    r'<measValue measObjLdn="([^"]*)">\s*<measResults>([^<]*)</measResults>\s*'
    r"(?:<suspect>([^<]*)</suspect>\s*)?</measValue>"
)
_R_BY_P_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _r_by_p_pattern(ps: tuple[str, ...]) -> re.Pattern[str]:
    """`<measValue measObjLdn=…><r p=ps[0]>v</r>…<suspect/>?</measValue>`, values captured."""
    rx = _R_BY_P_PATTERNS.get(ps)
    if rx is None:
        rs = "".join(rf'\s*<r p="{re.escape(p)}">([^<]*)</r>' for p in ps)
        rx = re.compile(
            rf'<measValue measObjLdn="([^"]*)">{rs}\s*'
            r"(?:<suspect>([^<]*)</suspect>\s*)?</measValue>"
        )
        if len(_R_BY_P_PATTERNS) < 256:
            _R_BY_P_PATTERNS[ps] = rx
    return rx


_TRUE = ("true", "TRUE", "True", "1")
_UTF8 = (None, "utf-8", "utf8", "us-ascii", "ascii")


class _FileProblem(Exception):
    """The file as a whole is rejected; the message is the reason."""


def parse(path: Path) -> ParseResult:
    """Parse one PM file; never raises on bad input."""
    rows = PmRows()
    data = b""
    try:
        data = read_xml_bytes(path)
        doc = _check(data)
        text = _plain_text(data, doc)
        if text is not None:
            _scan_text(text, doc.fmt, rows)
        else:
            _stream_lxml(io.BytesIO(data), rows)
    except (etree.XMLSyntaxError, etree.ParseError, pyexpat.ExpatError) as exc:
        reason = _encoding_problem(data) or f"not well-formed XML: {describe_error(exc)}"
        return file_rejected(SCHEMA, reason)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return file_rejected(SCHEMA, f"unreadable file: {describe_error(exc)}")
    except _FileProblem as exc:
        return file_rejected(SCHEMA, str(exc))
    except RecordError as exc:  # e.g. an invalid ITOT_DEFAULT_TZ
        return file_rejected(SCHEMA, str(exc))
    return rows.result()


def _encoding_problem(data: bytes) -> str | None:
    """For a document that failed to parse: whether its bytes contradict its declared
    encoding (UTF-8 when none is declared and there is no byte-order mark)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    m = _DECL_ENCODING.match(data[:200])
    declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    if declared not in ("utf-8", "utf8"):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"{NOT_DECLARED_ENCODING} UTF-8 as declared ({describe_error(exc)})"
    return None


class _Doc:
    """What the validating pass learnt about the document."""

    __slots__ = ("root", "ns", "fmt", "encoding", "doctype", "cdata", "pis", "comments")

    def __init__(self) -> None:
        self.root = ""
        self.ns = ""
        self.fmt = ""
        self.encoding: str | None = None
        self.doctype = self.cdata = self.comments = False
        self.pis = 0


def _check(data: bytes) -> _Doc:
    """Well-formedness (namespace-aware) with expat at C speed, no callbacks per element.

    Entity declarations abort the parse (the file is quarantined); external entities and
    the external DTD are never fetched (no handler is set for them).
    """
    doc = _Doc()
    parser = pyexpat.ParserCreate(namespace_separator="}")

    def start(name: str, _attrs: object) -> None:
        ns, _, local = name.rpartition("}")
        doc.root, doc.ns = local, ns
        parser.StartElementHandler = None

    def xml_decl(_version: str, encoding: str | None, _standalone: int) -> None:
        doc.encoding = encoding.lower() if encoding else None

    def entity_decl(*args: object) -> None:
        # EntityDecl: (name, is_parameter, value, base, systemId, publicId, notation)
        external = args[4] is not None or args[5] is not None if len(args) == 7 else True
        raise _FileProblem(EXTERNAL_ENTITY_REJECTED if external else ENTITIES_REJECTED)

    def doctype(*_args: object) -> None:
        doc.doctype = True

    def cdata() -> None:
        doc.cdata = True

    def comment(_text: str) -> None:
        doc.comments = True

    def pi(_target: str, _data: str) -> None:
        doc.pis += 1

    parser.StartElementHandler = start
    parser.XmlDeclHandler = xml_decl
    parser.EntityDeclHandler = entity_decl
    parser.UnparsedEntityDeclHandler = entity_decl
    parser.StartDoctypeDeclHandler = doctype
    parser.StartCdataSectionHandler = cdata
    parser.CommentHandler = comment
    parser.ProcessingInstructionHandler = pi
    parser.Parse(data, True)
    if doc.root not in ROOT_TAGS:
        raise _FileProblem(f"not a PM measurement file (root element {doc.root!r})")
    doc.fmt = _source_format(doc.root, doc.ns)
    return doc


def _plain_text(data: bytes, doc: _Doc) -> str | None:
    """The document as text when the regex reader can take it as written, else None.

    CDATA sections, a DOCTYPE, processing instructions and other encodings go through lxml's
    canonical serialisation instead (still fast enough, and exact).
    """
    if doc.root == "mdc" or doc.cdata or doc.doctype or doc.pis > 2 or doc.encoding not in _UTF8:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return _COMMENT.sub("", text) if doc.comments else text


def _scan_text(text: str, fmt: str, rows: PmRows) -> None:
    pat = _ANY_PREFIX if _has_prefixed_elements(text) else _UNPREFIXED
    sender = dn_prefix = None
    header = pat.header.search(text)
    if header is not None:
        dn_prefix = _attrs(header.group(1)).get("dnPrefix") or None
        sm = pat.sender.search(header.group(2) or "")
        if sm is not None:
            a = _attrs(sm.group(1))
            sender = a.get("localDn") or a.get("senderName") or None
    md_i = 0
    for _attrs_md, body in pat.blocks(text, "measData"):
        if not body.strip():
            continue
        md_i += 1
        _meas_data(body, md_i, sender, dn_prefix, fmt, rows, pat)


_POSITIONS: dict[int, list[int]] = {}


def _positions(n: int) -> list[int]:
    """[1..n], shared (read-only) between measInfos of the same size."""
    got = _POSITIONS.get(n)
    if got is None:
        got = _POSITIONS[n] = list(range(1, n + 1))
    return got


def _has_prefixed_elements(text: str) -> bool:
    """Whether any element name carries a namespace prefix (then the slower patterns apply).

    A prefix must be declared (`xmlns:p=`, expat checked it), so only declared prefixes are
    looked for; `xsi` declared for attributes only costs one substring search.
    """
    n_decl = text.count("xmlns:")
    if n_decl == 0:
        return False
    prefixes = set(re.findall(r"xmlns:([\w.\-]+)\s*=", text))
    return any(f"<{p}:" in text or f"</{p}:" in text for p in prefixes)


def _local(tag: object) -> str:
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _ns(tag: str) -> str:
    return tag[1 : tag.index("}")] if tag.startswith("{") else ""


def _source_format(root_local: str, ns: str) -> str:
    if root_local == "mdc":
        return "32.401-dtd"
    if root_local == "measDataFile":
        return "28.532"
    if "32.401" in ns:
        return "32.401"
    return "32.435"


def _check_root(root: etree._Element | None) -> str:
    name = _local(root.tag) if root is not None else ""
    if name not in ROOT_TAGS:
        raise _FileProblem(f"not a PM measurement file (root element {name!r})")
    problem = entity_problem(root)
    if problem:
        raise _FileProblem(problem)
    return _source_format(name, _ns(root.tag))


def _stream_lxml(fh: IO[bytes], rows: PmRows) -> None:
    """The canonical path: lxml parses, each measData is serialised back and read as text."""
    context = etree.iterparse(
        fh,
        events=("start", "end"),
        tag=(
            "{*}measCollecFile",
            "{*}measDataFile",
            "{*}mdc",
            "{*}fileHeader",
            "{*}measData",
            "{*}mfh",
            "{*}md",
        ),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    fmt: str | None = None
    sender: str | None = None
    dn_prefix: str | None = None
    md_i = 0
    for event, elem in context:
        if fmt is None:
            fmt = _check_root(elem.getroottree().getroot())
        if event == "start":
            continue
        local = _local(elem.tag)
        if local == "measData":
            if len(elem) == 0:  # e.g. 28.532 <fileHeader><measData beginTime/>
                continue
            md_i += 1
            text = etree.tostring(elem, encoding="unicode", with_tail=False)
            _meas_data(text, md_i, sender, dn_prefix, fmt, rows, _ANY_PREFIX)
            free(elem)
        elif local == "md":
            md_i += 1
            _legacy_md(elem, md_i, sender, rows)
            free(elem)
        elif local == "fileHeader":
            dn_prefix = elem.get("dnPrefix") or None
            for child in elem:
                if _local(child.tag) == "fileSender":
                    sender = child.get("localDn") or child.get("senderName") or None
        elif local == "mfh":
            for child in elem:
                if _local(child.tag) == "sn":
                    sender = (child.text or "").strip() or None
    if fmt is None:
        _check_root(context.root)


@lru_cache(maxsize=4096)
def _attrs(text: str) -> dict[str, str]:
    """A tag's attributes (memoised: files repeat the same few; never mutate the result)."""
    out: dict[str, str] = {}
    if text:
        for k, v1, v2 in _ATTR.findall(text):
            v = v1 or v2
            out[k] = html.unescape(v) if "&" in v else v
    return out


def _unesc(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _meas_data(
    s: str,
    md_i: int,
    sender: str | None,
    dn_prefix: str | None,
    fmt: str,
    rows: PmRows,
    pat: _ElementPatterns,
) -> None:
    me = pat.me.search(s)
    attrs = _attrs(me.group(1)) if me is not None else {}
    ne = element_name(attrs.get("localDn"), sender, dn_prefix, attrs.get("userLabel"))
    for mi_i, (info_attrs, body) in enumerate(pat.blocks(s, "measInfo"), 1):
        _meas_info(
            info_attrs,
            body,
            f"measData[{md_i}]/measInfo[{mi_i}]",
            ne,
            sender,
            dn_prefix,
            fmt,
            rows,
            pat,
        )


def element_name(
    local_dn: str | None, sender: str | None, dn_prefix: str | None, user_label: str | None
) -> str | None:
    """The measData's network element: managedElement localDn -> fileSender localDn ->
    dnPrefix -> userLabel, the first that is not blank (None when all are)."""
    for name in (local_dn, sender, dn_prefix, user_label):
        if name and name.strip():
            return name.strip()
    return None


def _reject_all(body: str, ref: str, reason: str, rows: PmRows) -> None:
    for k, m in enumerate(_ANY_PREFIX.mv.finditer(body), 1):
        rows.reject(f"{ref}/measValue[{k}]", reason, m.group(0))


def _mismatch(n: int, got: int) -> str:
    return f"measTypes/measResults length mismatch ({n} vs {got})"


def _meas_info(
    info_attrs: str,
    body: str,
    ref: str,
    ne: str | None,
    sender: str | None,
    dn_prefix: str | None,
    fmt: str,
    rows: PmRows,
    pat: _ElementPatterns,
) -> None:
    if ne is None:
        _reject_all(body, ref, NO_MANAGED_ELEMENT, rows)
        return
    if pat.plain:
        i = body.find("<measValue")
        n_mv = body.count("<measValue") if i >= 0 else 0
    else:
        found = pat.mv_start.search(body)
        i = found.start() if found else -1
        n_mv = len(pat.mv_start.findall(body)) if found else 0
    if n_mv == 0:  # no counter values: nothing to load or to reject
        return
    # The head (job, granPeriod, measTypes) repeats across NEs: read it once per file.
    head = body[:i]
    info = rows.cache.get(head)
    if info is None:
        info = rows.cache[head] = _meas_info_header(head, pat, rows)
    if isinstance(info, str):
        _reject_all(body, ref, info, rows)
        return
    job_id, gran_s, end_us, assumed, end_raw, positional, ps, ids = info
    n = len(ids)
    info_id = _attrs(info_attrs).get("measInfoId") or None if info_attrs else None
    meta_i = rows.add_info(
        sender=sender,
        ne=ne,
        info_id=info_id,
        gran_s=gran_s,
        end_us=end_us,
        end_raw=end_raw,
        tz_assumed=assumed,
        dn_prefix=dn_prefix,
        job_id=job_id,
        source_format=fmt,
        ref_prefix=ref + "/measValue[",
    )
    if "&" not in body:
        # Fast path: the common shapes, a few C-level findalls for the whole measInfo.
        if positional:
            fast = _MV_RES_FAST.findall(body)
            if len(fast) == n_mv:
                splits = [f[1].split() for f in fast]
                for v in splits:
                    if len(v) != n:
                        _reject_all(body, ref, _mismatch(n, len(v)), rows)
                        return
                rows.add_values(
                    meta_i,
                    _objects([f[0] for f in fast], ne),
                    [f[2] in _TRUE for f in fast],
                    _positions(n_mv),
                    ids,
                    list(chain.from_iterable(splits)),
                )
                return
        else:
            # One regex per measType list: validates the r sequence and captures every value.
            fast = _r_by_p_pattern(tuple(ps)).findall(body)
            if len(fast) == n_mv:
                rows.add_values(
                    meta_i,
                    _objects([f[0] for f in fast], ne),
                    [f[-1] in _TRUE for f in fast],
                    _positions(n_mv),
                    ids,
                    list(chain.from_iterable([f[1:-1] for f in fast])),
                )
                return
    _meas_values_any_shape(body, ref, meta_i, ne, positional, tuple(ps), ids, rows)


def _objects(objs: list[str], ne: str) -> list[str]:
    """measObjLdn values with `""` (the managed element itself) replaced by the element."""
    return objs if all(objs) else [o or ne for o in objs]


def _meas_info_header(head: str, pat: _ElementPatterns, rows: PmRows) -> tuple | str:
    """A measInfo's shared part -> (job, granularity, end, assumed, end_raw, positional, ps, ids)
    or the reason all its values are rejected."""
    gran = pat.gran.search(head)
    if gran is None:
        return "measInfo without granPeriod"
    g = _attrs(gran.group(1))
    end_raw = g.get("endTime") or ""
    try:
        gran_s = parse_duration_s(g.get("duration"))
        end_us, assumed = parse_pm_time(end_raw)
    except RecordError as exc:
        return str(exc)
    types_m = pat.types.search(head)
    if types_m is not None:
        names = _unesc(types_m.group(2) or "").split()
        ps = [str(i) for i in range(1, len(names) + 1)]
    else:
        pairs = [
            (_attrs(a).get("p", ""), _unesc(t or "").strip()) for a, t in pat.type_p.findall(head)
        ]
        names = [n for _, n in pairs]
        ps = [p for p, _ in pairs]
    if not names:
        return "measInfo without measTypes"
    if len(set(ps)) != len(ps):
        return "measType p repeated within a measInfo"
    job = pat.job.search(head)
    job_id = (_attrs(job.group(1)).get("jobId") or None) if job else None
    return (
        job_id,
        gran_s,
        end_us,
        assumed,
        end_raw,
        types_m is not None,
        ps,
        rows.counter_ids_of(names),
    )


def _join_on_p(
    rows: PmRows,
    meta_i: int,
    ref: str,
    k: int,
    obj: str,
    suspect: bool,
    pairs: list[tuple[str, str]],
    ps: tuple[str, ...],
    ids: list[int],
) -> None:
    """r joined to measType on p: a missing r is NULL, an unknown or repeated p is rejected."""
    known = set(ps)
    got: dict[str, str] = {}
    for p, v in pairs:
        if p not in known:
            rows.reject(f"{ref}/measValue[{k}]/r[@p={p}]", f"r p={p!r} without measType", v)
        elif p in got:
            rows.reject(f"{ref}/measValue[{k}]/r[@p={p}]", f"r p={p!r} repeated in a measValue", v)
        else:
            got[p] = v
    rows.add_value(meta_i, obj, suspect, k, ids, [got.get(p) for p in ps])


def _meas_values_any_shape(
    body: str,
    ref: str,
    meta_i: int,
    ne: str,
    positional: bool,
    ps: tuple[str, ...],
    ids: list[int],
    rows: PmRows,
) -> None:
    """Any other shape: prefixes, extra attributes, reordered children, missing r, entities."""
    n = len(ids)
    parsed = []
    for k, m in enumerate(_ANY_PREFIX.mv.finditer(body), 1):
        attrs, inner = m.group(1), m.group(2) or ""
        ldn = _attrs(attrs).get("measObjLdn")
        # measObjLdn="" is the managed element itself; a measValue without it names nothing.
        obj = (ldn.strip() or ne) if ldn is not None else ""
        sus = _ANY_PREFIX.suspect.search(inner)
        suspect = bool(sus) and (sus.group(2) or "").strip() in _TRUE
        res = _ANY_PREFIX.results.search(inner)
        if res is not None:
            vals: list[str | None] | None = _unesc(res.group(2) or "").split()
            if len(vals) != n:
                _reject_all(body, ref, _mismatch(n, len(vals)), rows)
                return
            pairs = None
        else:
            vals = None
            pairs = [
                (_attrs(a).get("p", ""), _unesc(t or "")) for a, t in _ANY_PREFIX.r.findall(inner)
            ]
        parsed.append((k, obj, suspect, vals, pairs, m.group(0)))
    for k, obj, suspect, vals, pairs, raw in parsed:
        if not obj:
            rows.reject(f"{ref}/measValue[{k}]", "measValue without measObjLdn", raw)
        elif vals is not None:
            rows.add_value(meta_i, obj, suspect, k, ids, vals)
        elif positional and pairs and not any(p for p, _ in pairs):
            # r without p under measTypes: positional like measResults.
            if len(pairs) != n:
                rows.reject(
                    f"{ref}/measValue[{k}]",
                    f"measTypes/r count mismatch ({n} vs {len(pairs)})",
                    raw,
                )
            else:
                rows.add_value(meta_i, obj, suspect, k, ids, [v for _, v in pairs])
        else:
            _join_on_p(rows, meta_i, ref, k, obj, suspect, pairs or [], ps, ids)


# --- legacy 32.401 DTD format: <mdc><mfh/><md><neid/><mi><mts/><gp/><mt/>…<mv><moid/><r/>…


def _legacy_md(md: etree._Element, md_i: int, sender: str | None, rows: PmRows) -> None:
    """One `<md>` block: its element (neid) and each of its `<mi>` measurement blocks."""
    ne = _legacy_element_name(md)
    mis = [mi for mi in md if _local(mi.tag) == "mi"]
    for mi_i, mi in enumerate(mis, 1):
        _legacy_mi(mi, f"md[{md_i}]/mi[{mi_i}]", ne, sender, rows)


def _legacy_element_name(md: etree._Element) -> str | None:
    """The network element of an `<md>`: `neid/nedn`, else `neid/neun`, else None."""
    ne = None
    for child in md:
        if _local(child.tag) != "neid":
            continue
        for c in child:
            name, text = _local(c.tag), (c.text or "").strip()
            if name == "nedn" and text:
                ne = text
            elif name == "neun" and ne is None and text:
                ne = text
    return ne


def _legacy_mi(
    mi: etree._Element, ref: str, ne: str | None, sender: str | None, rows: PmRows
) -> None:
    """One `<mi>`: end time `mts`, granularity `gp` (seconds), counter names `mt`, values `mv`;
    every `mv` is rejected with the reason when the block's shared part is unusable."""
    mts = gp = None
    names: list[str] = []
    mvs: list[etree._Element] = []
    for c in mi:
        name = _local(c.tag)
        if name == "mts":
            mts = (c.text or "").strip()
        elif name == "gp":
            gp = (c.text or "").strip()
        elif name == "mt":
            names.append((c.text or "").strip())
        elif name == "mv":
            mvs.append(c)

    def reject_all(reason: str) -> None:
        for k, mv in enumerate(mvs, 1):
            rows.reject(f"{ref}/mv[{k}]", reason, etree.tostring(mv, encoding="unicode"))

    if ne is None:
        reject_all("md without neid nedn/neun")
        return
    try:
        if not gp or not gp.isdigit() or int(gp) <= 0:
            raise RecordError(f"unparseable granularity period gp {gp!r}")
        end_us, assumed = parse_pm_time(mts, "mts")
    except RecordError as exc:
        reject_all(str(exc))
        return
    if not names:
        reject_all("mi without mt")
        return
    parsed = [_legacy_mv(mv) for mv in mvs]
    for _, vals, _ in parsed:
        if len(vals) != len(names):
            reject_all(f"mt/r count mismatch ({len(names)} vs {len(vals)})")
            return
    ids = rows.counter_ids_of(names)
    meta_i = rows.add_info(
        sender=sender,
        ne=ne,
        info_id=None,
        gran_s=int(gp),
        end_us=end_us,
        end_raw=mts or "",
        tz_assumed=assumed,
        dn_prefix=None,
        job_id=None,
        source_format="32.401-dtd",
        ref_prefix=ref + "/mv[",
    )
    for k, ((obj, vals, suspect), mv) in enumerate(zip(parsed, mvs, strict=True), 1):
        if not obj:
            rows.reject(f"{ref}/mv[{k}]", "mv without moid", etree.tostring(mv, encoding="unicode"))
        else:
            rows.add_value(meta_i, obj, suspect, k, ids, vals)


def _legacy_mv(mv: etree._Element) -> tuple[str, list[str], bool]:
    """One `<mv>`: (object `moid`, values `r` in order, suspect flag `sf`)."""
    obj, vals, suspect = "", [], False
    for c in mv:
        name = _local(c.tag)
        if name == "moid":
            obj = (c.text or "").strip()
        elif name == "r":
            vals.append(c.text or "")
        elif name == "sf":
            suspect = (c.text or "").strip().lower() in ("true", "1")
    return obj, vals, suspect
