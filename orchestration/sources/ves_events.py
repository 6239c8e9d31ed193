"""Bronze spec of `ves_events`: VES events that are neither alarms nor counters.

Heartbeats, notifications (FileReady), stndDefined events other than 3GPP alarm notifications,
and the other VES domains (stateChange, syslog, pnfRegistration, ...): one row per event, the
domain's fields kept as JSON. Written by `ves_json.parse_all`.
"""

from __future__ import annotations

import polars as pl

from orchestration.sources.timestamps import TS_DTYPE

DATASET = "ves_events"
SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "event_key": pl.String(),
    "domain": pl.String(),
    "event_name": pl.String(),
    "source_name": pl.String(),
    "reporting_entity": pl.String(),
    "sequence": pl.Int64(),
    "event_time_utc": TS_DTYPE,
    "last_time_utc": TS_DTYPE,
    "event_time_raw": pl.String(),
    "time_suspect": pl.Boolean(),
    "time_zone_offset": pl.String(),
    "time_zone_offset_min": pl.Int32(),
    "ves_version": pl.String(),
    "fields_json": pl.String(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day of the event start."""
    return rows["event_time_utc"].dt.date()
