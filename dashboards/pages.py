"""The dashboards' pages, in sidebar order: (file stem in `views/`, title, icon).

The first is the default page, served at "/"; every other page is served at "/<stem>". The title
is the page's own `st.title`. Kept apart from `app.py` (which runs Streamlit calls on import) so
tests and the bench can read the table.
"""

from __future__ import annotations

from pathlib import Path

# The pages live in `views/`, not `pages/`: Streamlit treats a `pages/` folder beside the entry
# script as a v1 multipage app until st.navigation has run once, so a deep link such as
# /orders opened first after a restart would bypass app.py (no page config, extra sidebar
# entries).
PAGES_DIR = Path(__file__).resolve().parent / "views"

PAGES = (
    ("overview", "Executive overview", ":material/dashboard:"),
    ("autonomy", "Autonomy", ":material/smart_toy:"),
    ("orders", "Orders and provisioning", ":material/local_shipping:"),
    ("service", "Service quality and experience", ":material/cell_tower:"),
    ("roi", "ROI", ":material/savings:"),
    ("predict_act", "Predict and act", ":material/online_prediction:"),
    ("data_health", "Data health", ":material/health_and_safety:"),
)


def url_path(stem: str) -> str:
    """The page's URL path below the app's root: "" for the default page."""
    return "" if stem == PAGES[0][0] else stem
