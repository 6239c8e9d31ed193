"""TMF635 usage: one record per subscriber, day and serving cell (vectorised, one day at a time).

Sampling (documented in truth.json): on each day a subscriber has a record if (a) drawn at random
with the profile's usage_fraction, (b) their home cell was impaired that day (so the
experienced quality is always observable), or (c) they hold a planted unbilled product (every
fourth day, so leakage is detectable). Volumes are MB per day, durations seconds per day.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from .customers import PLANS, Customers
from .jsonio import JsonArrayWriter
from .network import Network
from .profiles import Profile
from .timefmt import Period, iso


def _char(name: str, value: pl.Expr, typ: str, quoted: bool) -> list[pl.Expr]:
    q = '"' if quoted else ""
    return [pl.lit(f'{{"name":"{name}","value":{q}'), value, pl.lit(f'{q},"@type":"{typ}"}}')]


def _usage_records(
    day: int,
    profile: Profile,
    period: Period,
    cust: Customers,
    cell_frac: np.ndarray,
    unbilled: np.ndarray,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The day's usage records, by customer: (customer index, cell index, volume in hundredths
    of MB, duration in s). Sampled: a share of the subscribers, every one whose home cell was
    impaired that day, and the unbilled products every 4th day; part of a customer's traffic
    goes to the neighbour sector (more of it when the home cell is impaired)."""
    rng = np.random.default_rng([seed, 202, day])
    t = period.day_t0(day)
    n = cust.n
    forced_unbilled = np.zeros(n, dtype=bool)
    forced_unbilled[unbilled[(unbilled + day) % 4 == 0]] = True
    home_hit = cell_frac[cust.home_cell, day] > 0
    pick = (rng.random(n) < profile.usage_fraction) | home_hit | forced_unbilled
    pick &= cust.active_on(t)
    idx = np.flatnonzero(pick)
    vol = rng.lognormal(0.0, 0.8, len(idx)) * np.array([p[2] for p in PLANS])[cust.plan[idx]]
    home, second = cust.home_cell[idx], cust.second_cell[idx]
    f_home = cell_frac[home, day]
    # an impaired home cell pushes part of the traffic to the neighbour sector
    split = (rng.random(len(idx)) < 0.3) | (f_home > 0)
    share = np.where(split, 0.8 * (1 - f_home), 1.0)
    cid = np.concatenate([idx, idx[split]])
    cell = np.concatenate([home, second[split]])
    v = np.concatenate([vol * share, vol[split] * (1 - share[split])])
    order = np.lexsort((np.arange(len(cid)), cid))
    cid, cell, v = cid[order], cell[order], np.maximum(v[order], 0.01)
    vol_c = np.rint(v * 100).astype(np.int64)  # hundredths of MB
    dur = np.minimum(86_400, np.rint(v * rng.uniform(2.0, 6.0, len(v)))).astype(np.int64) + 1
    return cid, cell, vol_c, dur


def _usage_json(t: int, stamp: str) -> pl.Expr:
    """One TMF635 Usage per row (columns seq, num, cell, vol: hundredths of MB, dur: s)."""
    vol_s = pl.concat_str(
        [
            (pl.col("vol") // 100).cast(pl.Utf8),
            pl.lit("."),
            (pl.col("vol") % 100).cast(pl.Utf8).str.zfill(2),
        ]
    )
    return pl.concat_str(
        [
            pl.lit(f'{{"id":"USG-{stamp}-'),
            pl.col("seq"),
            pl.lit(
                f'","@type":"Usage","usageDate":"{iso(t)}","usageType":"data","status":"rated",'
                '"relatedParty":[{"role":"Customer","partyOrPartyRole":{"id":"CUST-'
            ),
            pl.col("num"),
            pl.lit('","@referredType":"Customer"}}],"usageCharacteristic":['),
            *_char("servingCellId", pl.col("cell"), "StringCharacteristic", True),
            pl.lit(","),
            *_char(
                "productId",
                pl.concat_str([pl.lit("PRD-"), pl.col("num")]),
                "StringCharacteristic",
                True,
            ),
            pl.lit(","),
            *_char("volumeMB", vol_s, "FloatCharacteristic", False),
            pl.lit(","),
            *_char("durationSec", pl.col("dur").cast(pl.Utf8), "IntegerCharacteristic", False),
            pl.lit("]}"),
        ]
    )


def write_usage_day(
    out: Path,
    day: int,
    profile: Profile,
    period: Period,
    cust: Customers,
    net: Network,
    cell_frac: np.ndarray,
    unbilled: np.ndarray,
    seed: int,
) -> dict:
    """Write usage/tmf635_usage_<yyyymmdd>.json; returns per-record arrays for the truth."""
    cid, cell, vol_c, dur = _usage_records(day, profile, period, cust, cell_frac, unbilled, seed)
    t = period.day_t0(day)
    stamp = iso(t)[:10].replace("-", "")
    df = pl.DataFrame(
        {
            "seq": pl.Series(np.arange(1, len(cid) + 1)).cast(pl.Utf8).str.zfill(7),
            "num": pl.Series(cid + 1).cast(pl.Utf8).str.zfill(7),
            "cell": net.cell_ids[cell] if len(cell) else np.array([], dtype=str),
            "vol": vol_c,
            "dur": dur,
        }
    )
    w = JsonArrayWriter(out / "usage" / f"tmf635_usage_{stamp}.json")
    if len(cid):
        w.write_block(df.select(_usage_json(t, stamp).str.join(",\n")).item(), len(cid))
    w.close()
    return {"customers": np.unique(cid)}
