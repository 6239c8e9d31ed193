"""`show_table`: the grid a browser draws, and the CSV download beside it."""

from __future__ import annotations

import io

import polars as pl
from streamlit.testing.v1 import AppTest


def _app(rows: int, limit: int | None) -> None:
    import polars as pl
    import streamlit as st
    from streamlit.runtime import Runtime

    from dashboards.tables import show_table

    show_table(pl.DataFrame({"n": list(range(rows))}), "things", limit=limit)
    # The run's media files (the CSV) live in its runtime's manager: keep it for the test.
    st.session_state["media"] = Runtime.instance().media_file_mgr


def run(rows: int, limit: int | None) -> tuple[AppTest, pl.DataFrame]:
    at = AppTest.from_function(_app, kwargs={"rows": rows, "limit": limit}).run()
    assert not at.exception, [e.value for e in at.exception]
    (button,) = at.get("download_button")
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    csv = at.session_state["media"].read_file(file_id)
    assert csv is not None, button.proto.url
    return at, pl.read_csv(io.BytesIO(csv.content))


def test_limit_caps_the_grid_and_the_csv_holds_every_row() -> None:
    at, csv = run(rows=250, limit=100)
    assert at.dataframe[0].value["n"].tolist() == list(range(100))  # the frame's first rows
    assert csv["n"].to_list() == list(range(250))
    assert [c.value for c in at.caption] == ["The first 100 of 250 rows; the CSV holds all."]


def test_without_limit_or_under_it_grid_and_csv_agree_and_nothing_is_said() -> None:
    for limit in (None, 250):
        at, csv = run(rows=250, limit=limit)
        assert len(at.dataframe[0].value) == csv.height == 250
        assert not at.caption
