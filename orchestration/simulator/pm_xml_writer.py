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


def _row_layout(net: Network, cells: np.ndarray) -> pl.DataFrame:
    """One row per (cell, period) in file order (NE, then period, then the NE's cells; the cells
    of an NE are adjacent in `cells`): `row` (index into `cells`), `per` (period of the day), the
    NE and cell names, and where a measData (`fn`/`ln`, first/last row of an NE) and a measInfo
    (`fi`/`li`, first/last row of an NE's period) open and close."""
    n_c = len(cells)
    ne = net.ne_ids[cells]
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
    grp = ne_group[order]
    first_in_info = np.r_[True, (per[1:] != per[:-1]) | (grp[1:] != grp[:-1])]
    last_in_info = np.r_[first_in_info[1:], True]
    return pl.DataFrame(
        {
            "row": order,
            "per": per,
            "ne": ne[order],
            "ldn": net.ldns[cells][order],
            "fi": first_in_info,
            "li": last_in_info,
            "fn": first_in_info & (per == 0),
            "ln": last_in_info & (per == PERIODS_PER_DAY - 1),
        }
    )


def _meas_types(p_layout: bool) -> str:
    """The counter names of a measInfo, in the vendor's layout."""
    if p_layout:
        return "".join(f'<measType p="{i + 1}">{c}</measType>' for i, c in enumerate(COUNTERS))
    return f"<measTypes>{' '.join(COUNTERS)}</measTypes>"


def _meas_results(vals: np.ndarray, p_layout: bool) -> pl.Expr:
    """Each row's counter values, in the vendor's layout (`r p=` elements or one measResults)."""
    vcols = _value_strings(vals)
    parts: list[pl.Expr | pl.Series] = []
    if p_layout:
        for i, s in enumerate(vcols):
            parts += [pl.lit(f'<r p="{i + 1}">'), s, pl.lit("</r>")]
    else:
        parts = [pl.lit("<measResults>")]
        for i, s in enumerate(vcols):
            parts += [s, pl.lit(" " if i < len(vcols) - 1 else "</measResults>")]
    return pl.concat_str(parts)


def _meas_value_line(types: str) -> pl.Expr:
    """One row's XML: the measData and measInfo it opens, its measValue, what it closes."""
    info_id = "RAN"  # one measurement job covers all cell counters
    return pl.concat_str(
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


def _file_header(day_t0: int, vendor: str, oss: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<measCollecFile xmlns="{NS}">\n'
        f'  <fileHeader fileFormatVersion="32.435 V10.0" vendorName="{vendor}">\n'
        f'    <fileSender localDn="{oss}" elementType="OSS"/>\n'
        f'    <measCollec beginTime="{iso(day_t0)}"/>\n'
        "  </fileHeader>"
    )


def _file_footer(day_t0: int) -> str:
    return (
        f'\n  <fileFooter>\n    <measCollec endTime="{iso(day_t0 + DAY_S)}"/>'
        "\n  </fileFooter>\n</measCollecFile>\n"
    )


def render_batch(
    net: Network, cells: np.ndarray, day_t0: int, values: np.ndarray, vendor: str, oss: str
) -> str:
    """XML text of one OSS batch for one day; `values` is (len(cells), 96, 8)."""
    rows = _row_layout(net, cells)
    end_times = np.array([iso(day_t0 + (p + 1) * PERIOD_S) for p in range(PERIODS_PER_DAY)])
    p_layout = vendor in P_LAYOUT_VENDORS
    vals = values[rows["row"].to_numpy(), rows["per"].to_numpy(), :]
    rows = rows.with_columns(
        end=pl.Series(end_times[rows["per"].to_numpy()]), body=_meas_results(vals, p_layout)
    )
    text = rows.select(_meas_value_line(_meas_types(p_layout)).str.join("")).item()
    return _file_header(day_t0, vendor, oss) + text + _file_footer(day_t0)


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
