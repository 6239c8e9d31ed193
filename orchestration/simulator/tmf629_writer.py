"""TMF629 Customer list writer (vectorised, chunked): the only file that holds customer PII."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from .customers import FIRST, LAST, PLANS, SEGMENTS, STREETS, Customers, city_of
from .jsonio import JsonArrayWriter
from .network import Network
from .timefmt import Period, iso, iso_series

CHUNK = 200_000


def _char(name: str, value: pl.Expr) -> list[pl.Expr]:
    return [
        pl.lit(f'{{"name":"{name}","value":"'),
        value,
        pl.lit('","@type":"StringCharacteristic"}'),
    ]


def _customer_frame(
    cust: Customers, net: Network, period: Period, cities: np.ndarray, a: int, b: int
) -> pl.DataFrame:
    """The columns of customers a..b-1 (0-based), as the strings the record is built from."""
    churn = cust.churn_t[a:b]
    return pl.DataFrame(
        {
            "num": pl.Series(np.arange(a + 1, b + 1)).cast(pl.Utf8).str.zfill(7),
            "first": np.array(FIRST)[cust.first[a:b]],
            "last": np.array(LAST)[cust.last[a:b]],
            "seg": np.array(SEGMENTS)[cust.segment[a:b]],
            "plan": np.array([p[0] for p in PLANS])[cust.plan[a:b]],
            "region": net.region[cust.home_cell[a:b]],
            "home": net.cell_ids[cust.home_cell[a:b]],
            "msisdn": pl.Series(cust.msisdn[a:b]).cast(pl.Utf8),
            "street": np.char.add(
                np.char.add(np.array(STREETS)[cust.street[a:b]], " "),
                cust.street_no[a:b].astype(str),
            ),
            "city": cities[a:b],
            "post": pl.Series(cust.post_code[a:b]).cast(pl.Utf8),
            "churned": churn >= 0,
            "end": iso_series(np.maximum(churn, 0)),
            "since": iso_series(
                cust.since_t[a:b] if cust.since_t is not None else np.full(b - a, period.t0)
            ).str.slice(0, 10),
        }
    )


def _customer_record(start: str) -> pl.Expr:
    """One TMF629 Customer as a JSON string, from `_customer_frame`'s columns; `start` is the
    records' validFor.startDateTime (the period's start)."""
    name = pl.concat_str([pl.col("first"), pl.lit(" "), pl.col("last")])
    email = pl.concat_str(
        [
            pl.col("first").str.to_lowercase(),
            pl.lit("."),
            pl.col("last").str.to_lowercase(),
            pl.col("num").str.strip_chars_start("0"),
            pl.lit("@example.net"),
        ]
    )
    return pl.concat_str(
        [
            pl.lit('{"id":"CUST-'),
            pl.col("num"),
            pl.lit('","@type":"Customer","name":"'),
            name,
            pl.lit('","status":"'),
            pl.when(pl.col("churned")).then(pl.lit("terminated")).otherwise(pl.lit("approved")),
            pl.lit(f'","validFor":{{"startDateTime":"{start}"'),
            pl.when(pl.col("churned"))
            .then(pl.concat_str([pl.lit(',"endDateTime":"'), pl.col("end"), pl.lit('"')]))
            .otherwise(pl.lit("")),
            pl.lit('},"engagedParty":{"id":"IND-'),
            pl.col("num"),
            pl.lit('","name":"'),
            name,
            pl.lit(
                '","@type":"PartyRef","@referredType":"Individual"},"contactMedium":['
                '{"contactType":"email","emailAddress":"'
            ),
            email,
            pl.lit('","@type":"EmailContactMedium"},{"contactType":"mobile","phoneNumber":"+46'),
            pl.col("msisdn"),
            pl.lit('","@type":"PhoneContactMedium"},{"contactType":"postalAddress","street1":"'),
            pl.col("street"),
            pl.lit('","city":"'),
            pl.col("city"),
            pl.lit('","postCode":"'),
            pl.col("post"),
            pl.lit('","@type":"GeographicAddressContactMedium"}],"account":[{"id":"ACC-'),
            pl.col("num"),
            pl.lit('","@type":"AccountRef","@referredType":"BillingAccount"}],"characteristic":['),
            *_char("segment", pl.col("seg")),
            pl.lit(","),
            *_char("region", pl.col("region")),
            pl.lit(","),
            *_char("plan", pl.col("plan")),
            pl.lit(","),
            *_char("homeCellId", pl.col("home")),
            pl.lit(","),
            *_char("customerSince", pl.col("since")),
            pl.lit("]}"),
        ]
    )


def write_customers(path: Path, cust: Customers, net: Network, period: Period) -> None:
    """One Customer per subscriber, CHUNK at a time; terminated customers carry
    validFor.endDateTime."""
    w = JsonArrayWriter(path)
    cities = city_of(cust, net)
    # the CRM extract covers the period: customer records begin with it
    record = _customer_record(iso(period.t0))
    for a in range(0, cust.n, CHUNK):
        b = min(cust.n, a + CHUNK)
        frame = _customer_frame(cust, net, period, cities, a, b)
        w.write_block(frame.select(record.str.join(",\n")).item(), b - a)
    w.close()
