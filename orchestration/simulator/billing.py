"""TMF678 monthly CustomerBill and AppliedCustomerBillingRate (one recurring rate per product and
month), vectorised. Planted leakage: some active products are never billed (no bill, no rate).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from .customers import PLANS, Customers
from .jsonio import JsonArrayWriter
from .timefmt import Period, iso, month_starts

TAX = 0.25  # VAT
CHUNK = 200_000


def pick_unbilled(cust: Customers, k: int, rng: np.random.Generator) -> np.ndarray:
    """Customer indexes whose main product is never billed (chosen among never-churned ones)."""
    loyal = np.flatnonzero(cust.churn_t < 0)
    return np.sort(rng.choice(loyal, size=min(k, len(loyal)), replace=False))


def billing_months(period: Period) -> list[tuple[int, int]]:
    """[start, end) epoch seconds of the calendar months that end inside the period."""
    ms = month_starts(period)
    pairs = zip(ms[:-1], ms[1:], strict=True)
    return [(a, b) for a, b in pairs if a >= period.t0 and b <= period.t1]


def _money(cents: pl.Expr) -> pl.Expr:
    return pl.concat_str(
        [(cents // 100).cast(pl.Utf8), pl.lit("."), (cents % 100).cast(pl.Utf8).str.zfill(2)]
    )


def _amount(field: str, cents: pl.Expr) -> list[pl.Expr]:
    return [pl.lit(f'"{field}":{{"unit":"EUR","value":'), _money(cents), pl.lit("}")]


def _account(num: pl.Expr) -> list[pl.Expr]:
    return [
        pl.lit('"billingAccount":{"id":"ACC-'),
        num,
        pl.lit('","@referredType":"BillingAccount"}'),
    ]


def _bill_json(ym: str, bill_date: str, cover: str) -> pl.Expr:
    """One TMF678 CustomerBill per row (columns bill, num, excl, incl: cents)."""
    return pl.concat_str(
        [
            pl.lit('{"id":"BILL-'),
            pl.col("bill"),
            pl.lit(f'","@type":"CustomerBill","billNo":"{ym}-'),
            pl.col("bill"),
            pl.lit(f'","billDate":"{bill_date}","state":"sent","billingPeriod":{cover},'),
            *_amount("amountDue", pl.col("incl")),
            pl.lit(","),
            *_amount("taxExcludedAmount", pl.col("excl")),
            pl.lit(","),
            *_amount("taxIncludedAmount", pl.col("incl")),
            pl.lit(","),
            *_account(pl.col("num")),
            pl.lit(',"relatedParty":[{"role":"Customer","partyOrPartyRole":{"id":"CUST-'),
            pl.col("num"),
            pl.lit('","@referredType":"Customer"}}]}'),
        ]
    )


def _rate_json(bill_date: str, cover: str) -> pl.Expr:
    """One TMF678 AppliedCustomerBillingRate per row: the plan's recurring charge on its bill."""
    return pl.concat_str(
        [
            pl.lit('{"id":"ACBR-'),
            pl.col("bill"),
            pl.lit(
                f'","@type":"AppliedCustomerBillingRate","date":"{bill_date}",'
                '"type":"recurring","name":"'
            ),
            pl.col("plan"),
            pl.lit('","bill":{"id":"BILL-'),
            pl.col("bill"),
            pl.lit('"},"product":{"id":"PRD-'),
            pl.col("num"),
            pl.lit('"},'),
            *_account(pl.col("num")),
            pl.lit(f',"periodCoverage":{cover},'),
            *_amount("taxExcludedAmount", pl.col("excl")),
            pl.lit("}"),
        ]
    )


def _bill_rows(cust: Customers, idx: np.ndarray, first_bill: int) -> pl.DataFrame:
    """The customers `idx` billed with numbers from `first_bill`: their plan's price in cents
    without and with tax."""
    price_c = np.array([round(p[1] * 100) for p in PLANS], dtype=np.int64)
    excl = price_c[cust.plan[idx]]
    return pl.DataFrame(
        {
            "bill": pl.Series(np.arange(first_bill, first_bill + len(idx)))
            .cast(pl.Utf8)
            .str.zfill(7),
            "num": pl.Series(idx + 1).cast(pl.Utf8).str.zfill(7),
            "excl": excl,
            "incl": np.rint(excl * (1 + TAX)).astype(np.int64),
            "plan": np.array([p[0] for p in PLANS])[cust.plan[idx]],
        }
    )


def write_bills(out: Path, cust: Customers, unbilled: np.ndarray, period: Period) -> dict:
    """Write bills and rates per month; returns {"bills": n} for the truth file."""
    skip = np.zeros(cust.n, dtype=bool)
    skip[unbilled] = True
    n_bills = 0
    for a, b in billing_months(period):
        ym = datetime.fromtimestamp(a, tz=UTC).strftime("%Y%m")
        bill_date = iso(b - 7200)  # the billing run closes the month at 22:00
        cover = f'{{"startDateTime":"{iso(a)}","endDateTime":"{iso(b - 1)}"}}'
        bill, rate = _bill_json(ym, bill_date, cover), _rate_json(bill_date, cover)
        who = np.flatnonzero(cust.active_on(a) & ~skip)
        wb = JsonArrayWriter(out / "bills" / f"tmf678_customer_bills_{ym}.json")
        wr = JsonArrayWriter(out / "bills" / f"tmf678_billing_rates_{ym}.json")
        for s in range(0, len(who), CHUNK):
            idx = who[s : s + CHUNK]
            res = _bill_rows(cust, idx, n_bills + 1).select(
                bill.str.join(",\n").alias("b"), rate.str.join(",\n").alias("r")
            )
            wb.write_block(res["b"].item(), len(idx))
            wr.write_block(res["r"].item(), len(idx))
            n_bills += len(idx)
        wb.close()
        wr.close()
    return {"bills": n_bills}
