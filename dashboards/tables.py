"""Tables on the dashboards: every one is shown with a button that downloads it as CSV."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st


def csv_name(name: str, scope: str | None = None) -> str:
    """A file name for a downloaded table, e.g. `orders_by_channel_2026-01-01_2026-02-28.csv`."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in (scope or "")).strip("_")
    return f"{name}_{safe}.csv" if safe else f"{name}.csv"


def show_table(
    frame: pl.DataFrame,
    name: str,
    *,
    scope: str | None = None,
    column_config: dict[str, Any] | None = None,
    height: int | str = "auto",
) -> None:
    """`st.dataframe` plus a "Download CSV" button holding exactly the rows shown."""
    st.dataframe(frame, hide_index=True, column_config=column_config, height=height)
    st.download_button(
        "Download CSV",
        data=frame.write_csv(),
        file_name=csv_name(name, scope),
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"csv_{name}",
    )
