"""Autonomy: a skeleton until its marts land in the serving snapshot.

It shows no figure it cannot read.
"""

from __future__ import annotations

import streamlit as st

from dashboards import queries
from dashboards.frame import start_page

start_page("Autonomy", queries.FRAME_TABLES)
MARTS = "the autonomy marts (level, score and category roles per workflow and month)"
st.info(f"This page reads {MARTS}, which this serving snapshot does not hold yet.")
