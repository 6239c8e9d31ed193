"""The `itot` command: generate a landing zone, inspect or build it, read its KPIs and ledger,
serve it.

Every sub-command validates its paths first and reports a wrong path, an empty landing zone or an
unknown profile as one line on stderr with a non-zero exit, never as a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from orchestration import paths

PROFILE_NAMES = ("demo", "small", "large")
PROGRESS_EVERY = 50  # files between two progress lines of `itot inspect`


class ItotError(click.ClickException):
    """A user-facing error: printed as one line, exit code 1."""

    def show(self, file=None) -> None:  # noqa: D102 - one line, no usage banner
        click.echo(f"itot: error: {self.format_message()}", err=True)


BLOCKED_EXIT_CODE = 2


class BuiltWithBlocks(click.ClickException):
    """The build published the snapshot, but datasets were blocked: their one-line summary is
    the last line (stderr), exit code 2."""

    exit_code = BLOCKED_EXIT_CODE

    def show(self, file=None) -> None:  # noqa: D102 - the summary as the last line
        click.echo(self.format_message(), err=True)


def _landing_option(f):
    return click.option(
        "--landing",
        type=click.Path(path_type=Path),
        default=None,
        help="Landing zone to read (default: seeds/, or $ITOT_LANDING).",
    )(f)


def _data_option(f):
    return click.option(
        "--data",
        type=click.Path(path_type=Path),
        default=None,
        help="Data folder for bronze, warehouse, snapshot, history (default: data/ or $ITOT_DATA).",
    )(f)


def _check_landing(landing: Path) -> Path:
    if not landing.exists():
        raise ItotError(f"landing zone {landing} does not exist")
    if not landing.is_dir():
        raise ItotError(f"landing zone {landing} is not a folder")
    if not any(p.is_file() and p.name != "truth.json" for p in landing.rglob("*")):
        raise ItotError(f"landing zone {landing} holds no source files")
    return landing.resolve()


def _check_snapshot(data: Path) -> Path:
    snapshot = paths.serving_path(data)
    if not snapshot.exists():
        raise ItotError(
            f"no serving snapshot at {snapshot}: "
            f"run `itot build --data {data}` (or `make build`) first"
        )
    return snapshot


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="itot")
def main() -> None:
    """Unified IT/OT data platform for telecom operators."""


@main.command()
@click.option(
    "--profile",
    type=str,
    default="demo",
    show_default=True,
    help=f"Size of the synthetic operator: {', '.join(PROFILE_NAMES)}.",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the landing zone into.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--faults",
    is_flag=True,
    help="Then damage the zone in every catalogued way (docs/faults.md); truth.json lists them.",
)
def generate(profile: str, seed: int, out: Path, quiet: bool, faults: bool) -> None:
    """Write a synthetic operator's landing zone and its truth.json."""
    if profile not in PROFILE_NAMES:
        raise ItotError(f"unknown profile '{profile}' (choose from {', '.join(PROFILE_NAMES)})")
    if out.exists() and not out.is_dir():
        raise ItotError(f"--out {out} exists and is not a folder")
    from orchestration.simulator import generate as run_generate

    truth = run_generate(profile, seed, out, progress=not quiet, faults=faults)
    kpis = truth.get("kpis", {})
    click.echo(f"wrote the {profile} operator (seed {seed}) to {out}")
    if faults:
        click.echo(f"  injected {len(truth.get('faults', []))} faults (docs/faults.md)")
    for key, value in kpis.items():
        if not isinstance(value, (dict, list)):
            click.echo(f"  truth {key}: {value}")


@main.command()
@_landing_option
@_data_option
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.option(
    "--from-day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Build only the daily partitions from this UTC day (YYYY-MM-DD) on.",
)
@click.option(
    "--to-day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Build only the daily partitions up to this UTC day (alone: that one day).",
)
@click.option(
    "--engine",
    "engine_name",
    type=str,
    default=None,
    help="Engine the dbt models run on: duckdb or spark (default: $ITOT_ENGINE, else duckdb).",
)
def build(
    landing: Path | None,
    data: Path | None,
    quiet: bool,
    from_day,
    to_day,
    engine_name: str | None,
) -> None:
    """Materialise every asset in process and publish the serving snapshot.

    With --from-day/--to-day: only those days' partitions (and everything unpartitioned).
    Exit code 0: everything built; 1: the build failed (nothing new published); 2: published,
    but a dataset failed an ERROR check: its dbt models kept their last good version (stale),
    the last line says which dataset, by which check, on how many rows.
    The first line names the engine the dbt models run on (docs/spark.md)."""
    from orchestration import engine

    try:
        chosen = engine.checked_engine(engine_name or engine.current_engine())
    except engine.UnknownEngine as exc:
        raise ItotError(str(exc)) from exc
    os.environ[engine.ENGINE_ENV] = chosen  # dbt's subprocess and the snapshot read it
    landing = _check_landing(landing or paths.landing_dir())
    data = (data or paths.data_dir()).resolve()
    if data.exists() and not data.is_dir():
        raise ItotError(f"--data {data} exists and is not a folder")
    data.mkdir(parents=True, exist_ok=True)
    from orchestration.build import BuildError, build_all

    days = None
    if from_day or to_day:
        first, last = (from_day or to_day).date(), (to_day or from_day).date()
        if last < first:
            raise ItotError(f"--to-day {last} is before --from-day {first}")
        days = (first.isoformat(), last.isoformat())
    try:
        result = build_all(landing, data, progress=not quiet, days=days)
    except BuildError as exc:
        raise ItotError(str(exc)) from exc
    click.echo(f"built {landing} into {data}; serving snapshot: {paths.serving_path(data)}")
    if result is not None and getattr(result, "summary", None):
        click.echo(result.summary)
    if result is not None and getattr(result, "blocked", ""):
        raise BuiltWithBlocks(f"{result.blocked}; {result.stale_models} dbt models kept stale")


@main.command()
@_data_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--from",
    "start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First UTC day of a sub-period (YYYY-MM-DD; default: the reporting period's first).",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last UTC day of a sub-period, included (YYYY-MM-DD; default: the period's last).",
)
def kpis(data: Path | None, as_json: bool, start, end) -> None:
    """Print the headline KPIs from the serving snapshot (whole period, or --from/--to)."""
    snapshot = _check_snapshot(data or paths.data_dir())
    from orchestration.serving import read_kpis

    try:
        values = read_kpis(
            snapshot,
            start.date() if start is not None else None,
            end.date() if end is not None else None,
        )
    except ValueError as exc:
        raise ItotError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(values, indent=2, sort_keys=True))
        return
    from orchestration.report import kpi_table

    window = ""
    if start is not None or end is not None:
        window = (
            f" from {start.date() if start else 'the start'} to {end.date() if end else 'the end'}"
        )
    kpi_table(values, title=f"Headline KPIs{window}").print()


@main.command("inspect")
@_landing_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (as `itot ledger --json`).")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.option(
    "--progress-every",
    type=click.IntRange(min=1),
    default=PROGRESS_EVERY,
    show_default=True,
    help="A progress line on stderr after this many files.",
)
def inspect_landing(landing: Path | None, as_json: bool, quiet: bool, progress_every: int) -> None:
    """Dry run: what a build would load and quarantine from each file, and why. Writes nothing.

    Per file: detected format, status, rows in / loaded / quarantined, top reason and the
    datasets it feeds; then a summary per dataset. Exit 0 even when files are quarantined."""
    landing = _check_landing(landing or paths.landing_dir())
    from orchestration.ingest.dry_run import dry_run

    def progress(done: int, total: int) -> None:
        if not quiet and (done % progress_every == 0 or done == total):
            click.echo(f"itot inspect: {done}/{total} files read", err=True)

    run = dry_run(landing, progress=progress)
    if as_json:
        click.echo(json.dumps(run.files(), indent=2, default=str))
        return
    from orchestration.report import datasets_table, files_table

    files_table(run.files(), title=f"What a build of {landing} would ingest").print()
    datasets_table(run.datasets(), title="Per dataset").print()


@main.command()
@_data_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def ledger(data: Path | None, as_json: bool) -> None:
    """Print the ingest ledger: per source file, rows in, loaded and quarantined, and per
    dataset it feeds."""
    data = data or paths.data_dir()
    if not paths.ledger_dir(data).exists():
        raise ItotError(f"no ingest ledger in {data}: run `itot build --data {data}` first")
    from orchestration.ingest.ledger import read_ledger
    from orchestration.ingest.ledger_files import files_view

    files = files_view(read_ledger(data))
    if as_json:
        click.echo(json.dumps(files, indent=2, default=str))
        return
    from orchestration.report import files_table

    files_table(files, title="Ingest ledger").print()


@main.command()
@_landing_option
@_data_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--dagster-port", default=3000, show_default=True, type=int)
@click.option("--dashboard-port", default=8501, show_default=True, type=int)
def serve(
    landing: Path | None, data: Path | None, host: str, dagster_port: int, dashboard_port: int
) -> None:
    """Serve the Dagster UI with its daemon and the dashboards until Ctrl-C."""
    landing = (landing or paths.landing_dir()).resolve()
    data = (data or paths.data_dir()).resolve()
    data.mkdir(parents=True, exist_ok=True)
    from orchestration.dev_servers import serve as run_serve

    sys.exit(run_serve(landing, data, host, dagster_port, dashboard_port))


if __name__ == "__main__":
    main()
