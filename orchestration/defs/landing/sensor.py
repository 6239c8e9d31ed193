"""A sensor on the landing zone: a run per daily partition that new files touch.

Each run targets every asset (landing scan, bronze, checks, dbt, serving snapshot) for one day:
the dated bronze assets ingest only the files touching that day, dbt gets `from_day`/`to_day`.
The cursor remembers each landing path's size, modification time and checksum, so a file seen
before (or the same bytes under another name) launches nothing.
"""

from __future__ import annotations

import hashlib

import dagster as dg

from orchestration.defs.resources import ItotPaths
from orchestration.ingest.watch import dump_state, find_new_deliveries, load_state

SENSOR_NAME = "landing_zone_sensor"


def run_key(day: str, files: list[str], checksums: list[str]) -> str:
    """One key per (day, new bytes): the same delivery never launches the same run twice."""
    digest = hashlib.sha256("\n".join(sorted(checksums)).encode()).hexdigest()[:16]
    return f"{day}:{len(files)}:{digest}"


@dg.sensor(
    name=SENSOR_NAME,
    target=dg.AssetSelection.all(),
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Watches the landing zone; launches a run per day that new files touch.",
)
def landing_zone_sensor(
    context: dg.SensorEvaluationContext, itot_paths: ItotPaths
) -> dg.SensorResult | dg.SkipReason:
    found = find_new_deliveries(
        itot_paths.landing_dir(), itot_paths.data_dir(), load_state(context.cursor)
    )
    cursor = dump_state(found.state)
    if not found.days:
        extra = f"; {len(found.duplicates)} duplicate deliveries" if found.duplicates else ""
        context.update_cursor(cursor)
        return dg.SkipReason(f"no new landing file touches a day{extra}")
    requests = []
    for day in found.days:
        files = sorted(
            rel for rel, per in found.new_files.items() if any(day in days for days in per.values())
        )
        checksums = [found.state[rel].checksum for rel in files]
        requests.append(
            dg.RunRequest(
                run_key=run_key(day, files, checksums),
                partition_key=day,
                tags={"itot/new_files": str(len(files))},
            )
        )
    context.log.info(f"{len(found.new_files)} new files touch {len(found.days)} days")
    return dg.SensorResult(run_requests=requests, cursor=cursor)
