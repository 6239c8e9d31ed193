"""3GPP TS 32.435 measCollecFile writer: one file per OSS batch and day.

Two value layouts, as vendors use them: `measTypes`/`measResults` (Ericsson, Huawei) and
`measType p=`/`r p=` (Nokia). XML text is built with vectorised Polars string ops, one batch at
a time, so memory stays bounded by the batch size.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import polars as pl

from .network import Network
from .pm_counters import COUNTERS, PRB
from .timefmt import DAY_S, PERIOD_S, PERIODS_PER_DAY, iso

NS = "http://www.3gpp.org/ftp/specs/archive/32_series/32.435#measCollec"
P_LAYOUT_VENDORS = {"Nokia"}


def file_name(day_t0: int, oss: str, gz: bool) -> str:
    a = iso(day_t0)
    b = iso(day_t0 + DAY_S)
    stamp = f"A{a[0:4]}{a[5:7]}{a[8:10]}.0000+0000-{b[0:4]}{b[5:7]}{b[8:10]}.0000+0000"
    return f"{stamp}_{oss}.xml" + (".gz" if gz else "")


def _value_strings(vals: np.ndarray) -> list[pl.Series]:
    """Format the counter columns: ints as-is, PRB tenths as 'x.y'."""
    cols = []
    for k in range(len(COUNTERS)):
        s = pl.Series(vals[:, k])
        if k == PRB:
            s = pl.concat_str([(s // 10).cast(pl.Utf8), pl.lit("."), (s % 10).cast(pl.Utf8)])
        else:
            s = s.cast(pl.Utf8)
        cols.append(s)
    return cols


def render_batch(
    net: Network, cells: np.ndarray, day_t0: int, values: np.ndarray, vendor: str, oss: str
) -> str:
    """XML text of one OSS batch for one day; `values` is (len(cells), 96, 8)."""
    n_c = len(cells)
    # row order: NE, then period, then cell (cells of an NE are adjacent in `cells`)
    ne = net.ne_ids[cells]
    ldn = net.ldns[cells]
    ne_change = np.r_[True, ne[1:] != ne[:-1]]
    ne_group = np.cumsum(ne_change) - 1
    starts = np.flatnonzero(ne_change)
    ends = np.r_[starts[1:], n_c]
    order = np.concatenate(
        [
            (np.arange(s, e)[None, :] + np.zeros((PERIODS_PER_DAY, 1), dtype=int)).ravel()
            for s, e in zip(starts, ends, strict=True)
        ]
    )
    per = np.concatenate(
        [np.repeat(np.arange(PERIODS_PER_DAY), e - s) for s, e in zip(starts, ends, strict=True)]
    )
    vals = values[order, per, :]
    grp = ne_group[order]
    first_in_info = np.r_[True, (per[1:] != per[:-1]) | (grp[1:] != grp[:-1])]
    last_in_info = np.r_[first_in_info[1:], True]
    first_in_ne = first_in_info & (per == 0)
    last_in_ne = last_in_info & (per == PERIODS_PER_DAY - 1)

    end_times = np.array([iso(day_t0 + (p + 1) * PERIOD_S) for p in range(PERIODS_PER_DAY)])
    p_layout = vendor in P_LAYOUT_VENDORS
    if p_layout:
        types = "".join(f'<measType p="{i + 1}">{c}</measType>' for i, c in enumerate(COUNTERS))
    else:
        types = f"<measTypes>{' '.join(COUNTERS)}</measTypes>"
    info_id = "RAN"  # one measurement job covers all cell counters
    df = pl.DataFrame(
        {
            "ne": ne[order],
            "ldn": ldn[order],
            "end": end_times[per],
            "fi": first_in_info,
            "li": last_in_info,
            "fn": first_in_ne,
            "ln": last_in_ne,
        }
    )
    vcols = _value_strings(vals)
    if p_layout:
        parts: list[pl.Expr | pl.Series] = []
        for i, s in enumerate(vcols):
            parts += [pl.lit(f'<r p="{i + 1}">'), s, pl.lit("</r>")]
        body = pl.concat_str(parts)
    else:
        parts = [pl.lit("<measResults>")]
        for i, s in enumerate(vcols):
            parts += [s, pl.lit(" " if i < len(vcols) - 1 else "</measResults>")]
        body = pl.concat_str(parts)
    df = df.with_columns(body=body)
    line = pl.concat_str(
        [
            pl.when(pl.col("fn"))
            .then(
                pl.concat_str(
                    [
                        pl.lit('\n  <measData>\n    <managedElement localDn="'),
                        pl.col("ne"),
                        pl.lit('"/>'),
                    ]
                )
            )
            .otherwise(pl.lit("")),
            pl.when(pl.col("fi"))
            .then(
                pl.concat_str(
                    [
                        pl.lit(
                            f'\n    <measInfo measInfoId="{info_id}">\n      <job jobId="1"/>'
                            '\n      <granPeriod duration="PT900S" endTime="'
                        ),
                        pl.col("end"),
                        pl.lit(f'"/>\n      <repPeriod duration="PT900S"/>\n      {types}'),
                    ]
                )
            )
            .otherwise(pl.lit("")),
            pl.lit('\n      <measValue measObjLdn="'),
            pl.col("ldn"),
            pl.lit('">'),
            pl.col("body"),
            pl.lit("</measValue>"),
            pl.when(pl.col("li")).then(pl.lit("\n    </measInfo>")).otherwise(pl.lit("")),
            pl.when(pl.col("ln")).then(pl.lit("\n  </measData>")).otherwise(pl.lit("")),
        ]
    )
    text = df.select(line.str.join("")).item()
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<measCollecFile xmlns="{NS}">\n'
        f'  <fileHeader fileFormatVersion="32.435 V10.0" vendorName="{vendor}">\n'
        f'    <fileSender localDn="{oss}" elementType="OSS"/>\n'
        f'    <measCollec beginTime="{iso(day_t0)}"/>\n'
        "  </fileHeader>"
    )
    foot = (
        f'\n  <fileFooter>\n    <measCollec endTime="{iso(day_t0 + DAY_S)}"/>'
        "\n  </fileFooter>\n</measCollecFile>\n"
    )
    return head + text + foot


def write_file(path: Path, text: str, gz: bool) -> None:
    """Write text (UTF-8); gzip with mtime=0 and no file name so output is byte-identical."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if gz:
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f,
        ):
            f.write(data)
    else:
        path.write_bytes(data)
