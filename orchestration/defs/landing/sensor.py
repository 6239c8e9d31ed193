"""A sensor on the landing zone: a run per daily partition that new files touch.

Each run targets every asset (landing scan, bronze, checks, dbt, serving snapshot) for one day:
the dated bronze assets ingest only the files touching that day, dbt gets `from_day`/`to_day`.
A file touching a day before the first partition (`partitions.FIRST_DAY`: older than anything
built) asks for one run of everything instead, as `itot build` does: Dagster has no partition to
name for it; the UI shows its day once the code location is reloaded.
The cursor remembers each landing path's size, modification time and checksum, so a file seen
before (or the same bytes under another name) launches nothing.
"""

from __future__ import annotations

import hashlib

import dagster as dg

from orchestration.defs import partitions
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
    in_partitions, earlier = partitions.split_at_first_day(found.days, partitions.FIRST_DAY)
    requests = []
    for day in in_partitions:
        files = _files_touching(found.new_files, {day})
        requests.append(
            dg.RunRequest(
                run_key=run_key(day, files, [found.state[rel].checksum for rel in files]),
                partition_key=day,
                tags={"itot/new_files": str(len(files))},
            )
        )
    if earlier:
        files = _files_touching(found.new_files, set(earlier))
        context.log.info(
            f"{len(files)} new files touch {len(earlier)} days before the first partition "
            f"{partitions.FIRST_DAY}: one run of everything"
        )
        requests.append(
            dg.RunRequest(
                run_key=run_key("all", files, [found.state[rel].checksum for rel in files]),
                tags={"itot/new_files": str(len(files)), "itot/days_before_first": earlier[0]},
            )
        )
    context.log.info(f"{len(found.new_files)} new files touch {len(found.days)} days")
    return dg.SensorResult(run_requests=requests, cursor=cursor)


def _files_touching(new_files: dict[str, dict[str, set[str]]], days: set[str]) -> list[str]:
    """The new landing paths whose records touch one of `days`, sorted."""
    return sorted(rel for rel, per in new_files.items() if any(days & d for d in per.values()))
