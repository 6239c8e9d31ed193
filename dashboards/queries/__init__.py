"""Every SQL the dashboards run against the serving snapshot: one module per page, and the one
cached runner they all go through.

- `runner.py`: `fetch` (bound parameters only, one read-only connection per script run,
  results cached per snapshot version, a swapped snapshot retried once);
- `global_filters.py`: `GlobalFilters`, the sidebar's choice as the queries take it;
- `snapshot.py`: the snapshot's tables, reporting period and filter options (every page);
- `overview.py`, `autonomy.py`, `orders.py`, `service.py`, `roi.py`, `predict_act.py`,
  `data_health.py`: each page's queries and the tables it needs (`*_TABLES`).

Grain of the marts read is in each module's docstring, docs/data_contracts.md and each mart's yml.
"""
