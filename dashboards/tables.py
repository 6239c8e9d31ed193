"""Tables on the dashboards: every one is shown with a button that downloads it as CSV."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

# Rows a grid shows of a table that can run to thousands (the large profile's 10,000 cells): a
# browser draws a 10,000-row grid about 0.7 s slower than a few hundred rows. Pages read it at
# run time (`tables.LISTED_ROWS`), so tests can lower it.
LISTED_ROWS = 200


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
    limit: int | None = None,
) -> None:
    """`st.dataframe` plus a "Download CSV" button holding exactly the rows shown, or, with
    `limit` (e.g. `LISTED_ROWS`), the first `limit` rows shown (the frame's order decides
    which), a caption saying so, and every row in the CSV."""
    shown = frame if limit is None or frame.height <= limit else frame.head(limit)
    # An empty text cell reads as empty, not as the word "None" the grid prints for a null.
    shown = shown.with_columns(pl.col(pl.String).fill_null(""))
    st.dataframe(shown, hide_index=True, column_config=column_config, height=height)
    if shown.height < frame.height:
        st.caption(f"The first {shown.height:,} of {frame.height:,} rows; the CSV holds all.")
    st.download_button(
        "Download CSV",
        data=frame.write_csv(),
        file_name=csv_name(name, scope),
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"csv_{name}",
    )
