"""TMF678 monthly CustomerBill and AppliedCustomerBillingRate (one recurring rate per product and
month), vectorised. Planted leakage: some active products are never billed (no bill, no rate).

Planted bill shocks: during a billing month a few customers run up out-of-bundle charges (data
or roaming beyond the plan) that the operator bills at once, in an interim bill of its own: a
CustomerBill dated that day whose one AppliedCustomerBillingRate (type `usage`, name
`Out-of-bundle usage`) charges SHOCK_RATIO times the plan's monthly price, so the bill is well
above the customer's usual one. A shock raises the customer's churn hazard (churn_risk.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from .customers import PLANS, Customers
from .jsonio import JsonArrayWriter
from .timefmt import DAY_S, Period, iso, month_starts

TAX = 0.25  # VAT
CHUNK = 200_000
SHOCK_RATIO = (2.0, 5.0)  # an interim bill charges U(2, 5) x the plan's monthly price
SHOCK_RATE_NAME = "Out-of-bundle usage"


@dataclass(frozen=True)
class BillShock:
    """One interim bill well above the customer's usual bill (a planted churn driver)."""

    customer: int  # 0-based customer index
    t: int  # epoch seconds: the interim bill's date
    excl_cents: int  # its out-of-bundle charge without tax, in euro cents


def pick_unbilled(cust: Customers, k: int, rng: np.random.Generator) -> np.ndarray:
    """Customer indexes whose main product is never billed (chosen among never-churned ones)."""
    loyal = np.flatnonzero(cust.churn_t < 0)
    return np.sort(rng.choice(loyal, size=min(k, len(loyal)), replace=False))


def billing_months(period: Period) -> list[tuple[int, int]]:
    """[start, end) epoch seconds of the calendar months that end inside the period."""
    ms = month_starts(period)
    pairs = zip(ms[:-1], ms[1:], strict=True)
    return [(a, b) for a, b in pairs if a >= period.t0 and b <= period.t1]


def plant_bill_shocks(
    cust: Customers,
    period: Period,
    unbilled: np.ndarray,
    per_day: float,
    rng: np.random.Generator,
) -> list[BillShock]:
    """Interim bills inside each billing month (before its last day, the bill run): a Poisson
    number per day (mean `per_day`) of customers billed that month (active at its start, not
    among `unbilled`) and still active that second, each at most once per month."""
    out: list[BillShock] = []
    skip = np.zeros(cust.n, dtype=bool)
    skip[unbilled] = True
    price_c = np.array([round(p[1] * 100) for p in PLANS], dtype=np.int64)
    for a, b in billing_months(period):
        days = (b - a) // DAY_S - 1
        t = np.sort(a + rng.integers(0, days * DAY_S, rng.poisson(per_day * days)))
        taken = np.zeros(cust.n, dtype=bool)
        billed = cust.active_on(a) & ~skip
        for ts in t:
            who = np.flatnonzero(billed & cust.active_on(int(ts)) & ~taken)
            if not len(who):
                continue
            c = int(rng.choice(who))
            taken[c] = True
            ratio = rng.uniform(*SHOCK_RATIO)
            out.append(BillShock(c, int(ts), int(round(price_c[cust.plan[c]] * ratio))))
    return out


def drop_shocks_after_churn(shocks: list[BillShock], cust: Customers) -> list[BillShock]:
    """Customers who left get no interim bill after their termination."""
    return [s for s in shocks if cust.churn_t[s.customer] < 0 or s.t < cust.churn_t[s.customer]]


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


def _rate_json(bill_date: str, cover: str, rate_type: str = "recurring") -> pl.Expr:
    """One TMF678 AppliedCustomerBillingRate per row: the row's `plan` column names the charge
    (the plan's recurring charge on its monthly bill; an interim bill's usage charge)."""
    return pl.concat_str(
        [
            pl.lit('{"id":"ACBR-'),
            pl.col("bill"),
            pl.lit(
                f'","@type":"AppliedCustomerBillingRate","date":"{bill_date}",'
                f'"type":"{rate_type}","name":"'
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


def _shock_rows(shocks: list[BillShock], first_bill: int) -> pl.DataFrame:
    """Interim bills numbered from `first_bill`: the charge in cents without and with tax."""
    excl = np.array([s.excl_cents for s in shocks], dtype=np.int64)
    return pl.DataFrame(
        {
            "bill": pl.Series(np.arange(first_bill, first_bill + len(shocks)))
            .cast(pl.Utf8)
            .str.zfill(7),
            "num": pl.Series(np.array([s.customer + 1 for s in shocks], dtype=np.int64))
            .cast(pl.Utf8)
            .str.zfill(7),
            "excl": excl,
            "incl": np.rint(excl * (1 + TAX)).astype(np.int64),
            "plan": [SHOCK_RATE_NAME] * len(shocks),
        }
    )


def _write_shocks(
    wb: JsonArrayWriter, wr: JsonArrayWriter, ym: str, a: int, shocks: list[BillShock], first: int
) -> list[str]:
    """One interim bill and usage rate per shock (dated at the shock, covering the month so
    far) appended to the month's files; returns their bill ids."""
    ids = []
    for j, s in enumerate(shocks):
        cover = f'{{"startDateTime":"{iso(a)}","endDateTime":"{iso(s.t - 1)}"}}'
        row = _shock_rows([s], first + j)
        res = row.select(
            _bill_json(ym, iso(s.t), cover).alias("b"),
            _rate_json(iso(s.t), cover, "usage").alias("r"),
        )
        wb.write_block(res["b"].item(), 1)
        wr.write_block(res["r"].item(), 1)
        ids.append(f"BILL-{row['bill'].item()}")
    return ids


def write_bills(
    out: Path,
    cust: Customers,
    unbilled: np.ndarray,
    period: Period,
    shocks: list[BillShock],
) -> list[str]:
    """Write bills and rates per month (the monthly bill run, then that month's interim bills
    of `shocks`, in time order as plant_bill_shocks returns them); returns the interim bills'
    ids in that order."""
    skip = np.zeros(cust.n, dtype=bool)
    skip[unbilled] = True
    n_bills = 0
    ids: list[str] = []
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
        month_shocks = [s for s in shocks if a <= s.t < b]
        ids += _write_shocks(wb, wr, ym, a, month_shocks, n_bills + 1)
        n_bills += len(month_shocks)
        wb.close()
        wr.close()
    return ids
