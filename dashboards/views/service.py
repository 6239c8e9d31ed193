"""Service quality and experience: a skeleton until its marts land in the serving snapshot.

It shows no figure it cannot read.
"""

from __future__ import annotations

import streamlit as st

from dashboards import queries
from dashboards.frame import start_page

start_page("Service quality and experience", queries.FRAME_TABLES)
MARTS = "the network and experience marts (cell quality, incidents, revenue at risk)"
st.info(f"This page reads {MARTS}, which this serving snapshot does not hold yet.")
