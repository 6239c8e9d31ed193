"""The dashboards' entry point: `streamlit run dashboards/app.py`.

Pages read only the serving snapshot (`$ITOT_DATA/serving.duckdb`); see dashboards/queries/.
The global filters (dashboards/filters.py) are rendered here, in the sidebar, before the page
runs, so every page sees the same period, regions, technologies and segments, kept in the URL.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts only this folder on sys.path; the repo root makes `dashboards` importable
# when the project is not installed (it is, editable, in the uv venv).
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from dashboards import filters, guards  # noqa: E402
from dashboards.pages import PAGES, PAGES_DIR  # noqa: E402
from dashboards.queries import runner, snapshot  # noqa: E402

st.set_page_config(page_title="itot · IT/OT data platform", page_icon="📡", layout="wide")

navigation = st.navigation(
    [
        st.Page(PAGES_DIR / f"{stem}.py", title=title, icon=icon, default=i == 0)
        for i, (stem, title, icon) in enumerate(PAGES)
    ]
)
# One read-only connection serves this run's queries and is closed when the run ends (even on
# st.stop or a rerun), so no connection outlives a run.
with runner.one_connection_per_run():
    if guards.snapshot_has(snapshot.FRAME_TABLES):
        filters.sidebar()
    navigation.run()
