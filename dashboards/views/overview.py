"""Executive overview: the headline KPIs as tiles (a skeleton until the KPI marts land)."""

from __future__ import annotations

import streamlit as st

from dashboards import queries
from dashboards.frame import start_page
from dashboards.guards import with_retry

filters = start_page("Executive overview", queries.ORDERS_TABLES)
k = with_retry(lambda: queries.order_kpis(filters))
st.metric("Orders completed", f"{k['orders_completed']:,}", border=True)
