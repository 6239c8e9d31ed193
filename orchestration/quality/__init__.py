"""Data quality of the bronze datasets (no Dagster imports).

- `suites`: one expectation suite per bronze dataset, declared as data (keys, ranges, enums, times),
  each expectation tagged `error` (blocks downstream) or `warning` (shown, run goes on).
- `validate`: loads a dataset's bronze Parquet (a bounded, key-hashed sample when large) and runs
  its suite with Great Expectations 1.x; returns plain result records.
- `freshness`: per dataset, how far its newest record and newest file arrival lag behind the
  landing zone's newest; flagged above a per-source threshold.
- `results`: the result record schema and its Parquet files under `$ITOT_DATA/quality/`.
"""
