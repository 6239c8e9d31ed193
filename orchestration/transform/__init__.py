"""What the dbt step decides, as plain functions without Dagster (the Dagster side is
`orchestration/defs/dbt/`): `changed_days` (which days the per-day incremental models must
rebuild on a plain build)."""
