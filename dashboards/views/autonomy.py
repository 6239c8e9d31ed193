"""Autonomy: what is our autonomy level per workflow, and why?

Per workflow and month: the integer level of 3GPP TS 28.100 Table 5-1 with the decimal score;
the role (Human, Human & System, System) each of the five task categories earned, which is what
sets the level; and the tasks still done by people alone, ranked by volume, as the next
automation candidates. The process log has no region, technology or segment: only the period
filter applies here (monthly figures for every month with a day in the period).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts
from dashboards.page_header import start_page
from dashboards.queries import autonomy as queries
from dashboards.tables import show_table

WORKFLOW_KEY = "workflow"
RULE = (
    "| level | Execution | Awareness | Analysis | Decision | Intent |\n"
    "|---|---|---|---|---|---|\n"
    "| L0 | H | H | H | H | H |\n"
    "| L1 | H&S | H&S | H | H | H |\n"
    "| L2 | S | H&S | H&S | H | H |\n"
    "| L3 | S | S | H&S | H&S | H |\n"
    "| L4 | S | S | S | S | H&S |\n"
    "| L5 | S | S | S | S | S |\n"
)


def _tiles(monthly: pl.DataFrame) -> None:
    workflows = sorted(monthly["workflow"].unique().to_list())
    for column, workflow in zip(st.columns(len(workflows)), workflows, strict=True):
        rows = monthly.filter(pl.col("workflow") == workflow).sort("month_start_date")
        first, last = rows.row(0, named=True), rows.row(-1, named=True)
        delta = None
        if rows.height > 1 and last["autonomy_score"] is not None:
            change = last["autonomy_score"] - first["autonomy_score"]
            delta = f"{change:+.2f} since {first['month_label']}"
        with column:
            st.metric(
                f"{workflow} · {last['month_label']}",
                f"{charts.level_label(last['autonomy_level'])} · {last['autonomy_score']:.2f}",
                delta=delta,
                help=(
                    f"Exact: level {last['autonomy_level']}, score {last['autonomy_score']:.4f} "
                    f"({last['tasks_scored']:,} tasks in {last['month_label']})."
                ),
                border=True,
            )
            st.caption(
                "Integer level by the 3GPP rule; decimal score = 2.5 × weighted mean task score."
            )


def render() -> None:
    filters = start_page(
        "Autonomy",
        queries.AUTONOMY_TABLES,
        "Per workflow: the autonomy level (L0–L5, 3GPP TS 28.100) with its decimal score, why "
        "(who performs each task category), and the tasks people still do alone. Only the "
        "period filter applies (the process log has no region or segment).",
    )
    monthly = queries.autonomy_monthly(filters)
    if monthly.is_empty():
        st.info("No process-log tasks in this period.")
        return
    _tiles(monthly)

    left, right = st.columns([3, 2])
    with left:
        st.subheader("Level over time")
        st.plotly_chart(charts.autonomy_levels(monthly), key="autonomy_levels")
    with right:
        st.subheader("The rule")
        st.markdown(RULE)
        st.caption(
            "A category is System when its mean task score ≥ 1.8 (human 0, human+system 1, "
            "system 2), Human when ≤ 0.2, else Human & System; the level is the highest whose "
            "every required role is met."
        )

    st.subheader("Why: who performs each task category")
    workflows = sorted(monthly["workflow"].unique().to_list())
    workflow = st.selectbox("Workflow", workflows, key=WORKFLOW_KEY, bind="query-params")
    categories = queries.autonomy_categories(filters).filter(pl.col("workflow") == workflow)
    if not categories.is_empty():
        st.plotly_chart(charts.role_heatmap(categories), key="role_heatmap")
    show_table(
        monthly.filter(pl.col("workflow") == workflow),
        f"autonomy_{workflow}",
        scope=filters.describe(),
    )

    st.subheader("Tasks still done by people alone (next automation candidates)")
    tasks = queries.human_tasks(filters)
    st.caption("Ranked by the number of tasks a person performed without a system in the period.")
    show_table(
        tasks,
        "human_tasks",
        scope=filters.describe(),
        column_config={
            "human_tasks": st.column_config.NumberColumn("Human tasks", format="localized"),
            "assisted_tasks": st.column_config.NumberColumn("Human+system", format="localized"),
            "all_tasks": st.column_config.NumberColumn("All tasks", format="localized"),
            "human_share_pct": st.column_config.ProgressColumn(
                "Done by humans alone", format="%.1f%%", min_value=0, max_value=100
            ),
        },
    )


render()
