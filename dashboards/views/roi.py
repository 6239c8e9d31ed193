"""ROI: does the automation program pay, and when?

Benefits by lever as a waterfall down to the net after the program's cost, cumulative benefit
against cumulative cost with the payback month, the assumptions behind every number beside them,
and a what-if panel: change the cost per fallout, the loaded labour rate or the program's cost
and see ROI and payback recomputed (dashboards/roi_model.py) from the avoided quantities of the
marts. The ROI counts whole months: every month with a day in the period; region, technology and
segment do not apply (the program is priced for the whole operator).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, roi_model
from dashboards.page_header import start_page
from dashboards.queries import roi as queries
from dashboards.tables import show_table

# The assumptions an executive may change in the what-if panel (roi_assumptions keys).
WHAT_IF = (
    ("cost_per_fallout", "Cost per fallout (EUR)"),
    ("loaded_labour_rate_per_hour", "Loaded labour rate (EUR/hour)"),
    ("program_cost_per_month", "Program cost per month (EUR)"),
    ("program_cost_one_off", "Program cost, one-off (EUR)"),
)


def _avoided(frame: pl.DataFrame) -> list[roi_model.Avoided]:
    return [
        roi_model.Avoided(month, lever, avoided or 0.0)
        for month, lever, avoided in frame.select("month_label", "lever", "avoided").iter_rows()
    ]


def _tiles(result: roi_model.RoiResult, prefix: str = "") -> None:
    tiles = [
        ("Benefit", f"{result.benefit:,.0f} EUR", f"{result.benefit:.4f}",
         "Sum of every lever's avoided outcome × its money assumption."),
        ("Cost", f"{result.cost:,.0f} EUR", f"{result.cost:.4f}",
         "Program cost per month, plus the one-off in the first month."),
        ("ROI", "—" if result.roi_pct is None else f"{result.roi_pct:.1f} %",
         "n/a" if result.roi_pct is None else f"{result.roi_pct:.4f}",
         "(benefit − cost) ÷ cost."),
        ("Payback month", result.payback_month or "not yet", result.payback_month or "none",
         "First month whose cumulative benefit reaches the cumulative cost."),
    ]  # fmt: skip
    for column, (label, shown, exact, definition) in zip(st.columns(4), tiles, strict=True):
        with column:
            st.metric(f"{prefix}{label}", shown, help=f"Exact: {exact}.", border=True)
            st.caption(definition)


def _what_if(avoided: list[roi_model.Avoided], months: list[str], defaults: dict) -> None:
    st.subheader("What if…")
    st.caption(
        "Change an assumption: ROI and payback are recomputed from the same avoided hours, "
        "fallouts, truck rolls, churners and leakage. Nothing is saved; the reference table "
        "`roi_assumptions` stays the source of truth."
    )
    edited = dict(defaults)
    for column, (key, label) in zip(st.columns(len(WHAT_IF)), WHAT_IF, strict=True):
        with column:
            edited[key] = st.number_input(
                label,
                min_value=0.0,
                value=float(defaults.get(key, 0.0)),
                step=max(1.0, round(float(defaults.get(key, 0.0)) / 10, 0)),
                key=f"what_if_{key}",
            )
    result = roi_model.recompute(avoided, months, edited)
    _tiles(result, prefix="What-if ")
    st.plotly_chart(
        charts.roi_cumulative(
            result.months, result.cumulative_benefit, result.cumulative_cost,
            result.payback_month,
        ),
        key="roi_what_if",
    )  # fmt: skip


def render() -> None:
    filters = start_page(
        "ROI",
        queries.ROI_TABLES,
        "Does the automation program pay, and when? Benefit = (baseline rate × today's volume "
        "− actual) × money, per lever; months with a day in the period.",
    )
    monthly = queries.roi_monthly(filters)
    if monthly.is_empty():
        st.info("No ROI months in this period.")
        return
    avoided_frame = queries.roi_avoided(filters)
    assumptions = queries.roi_assumptions()
    defaults = dict(zip(assumptions["assumption"], assumptions["value"], strict=True))
    months = monthly["month_label"].to_list()
    avoided = _avoided(avoided_frame)
    actual = roi_model.recompute(avoided, months, defaults)
    _tiles(actual)

    left, right = st.columns([3, 2])
    with left:
        st.subheader("Benefit by lever, net of the program's cost")
        st.plotly_chart(charts.roi_waterfall(actual.benefit_by_lever, actual.cost), key="wf")
        st.subheader("Cumulative benefit against cost")
        st.plotly_chart(
            charts.roi_cumulative(
                months, actual.cumulative_benefit, actual.cumulative_cost, actual.payback_month
            ),
            key="roi_cumulative",
        )
    with right:
        st.subheader("Assumptions behind every number")
        show_table(assumptions, "roi_assumptions", height=420)
        st.subheader("Per month")
        show_table(monthly, "roi_monthly", scope=filters.describe())
    _what_if(avoided, months, defaults)


render()
