"""The dashboards' entry point: `streamlit run dashboards/app.py`.

Pages read only the serving snapshot (`$ITOT_DATA/serving.duckdb`); see dashboards/queries.py.
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

# The pages live in `views/`, not `pages/`: Streamlit treats a `pages/` folder beside the entry
# script as a v1 multipage app until st.navigation has run once, so a deep link such as
# /overview opened first after a restart would bypass this file (no page config, extra
# sidebar entries).
PAGES_DIR = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="itot · IT/OT data platform", page_icon="📡", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            PAGES_DIR / "overview.py", title="Overview", icon=":material/dashboard:", default=True
        ),
    ]
)
navigation.run()
