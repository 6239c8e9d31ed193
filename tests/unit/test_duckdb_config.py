"""DuckDB resource settings: every connection the build opens is limited (duckdb_config)."""

from __future__ import annotations

from pathlib import Path

from orchestration import duckdb_config


def test_connect_applies_memory_limit_threads_spill_folder_and_order(
    monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(duckdb_config.MEMORY_LIMIT_ENV, "1GB")
    monkeypatch.setenv(duckdb_config.THREADS_ENV, "1")
    monkeypatch.delenv(duckdb_config.TEMP_DIR_ENV, raising=False)
    with duckdb_config.connect(tmp_path) as con:
        limit, threads, temp, order, zone = con.execute(
            "select current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('temp_directory'), current_setting('preserve_insertion_order'), "
            "current_setting('TimeZone')"
        ).fetchone()
    assert limit.endswith("MiB") or limit.endswith("GiB")  # DuckDB reports 1GB as 953.6 MiB
    assert float(limit.split()[0]) < 1024
    assert (threads, order, zone) == (1, False, "UTC")
    assert temp == str(tmp_path.resolve() / duckdb_config.TEMP_DIR_NAME)


def test_defaults_when_nothing_is_set(monkeypatch, tmp_path: Path) -> None:
    for name in (duckdb_config.MEMORY_LIMIT_ENV, duckdb_config.THREADS_ENV):
        monkeypatch.delenv(name, raising=False)
    env = duckdb_config.duckdb_environment(tmp_path)
    assert env[duckdb_config.MEMORY_LIMIT_ENV] == duckdb_config.DEFAULT_MEMORY_LIMIT
    assert int(env[duckdb_config.THREADS_ENV]) >= 1


def test_dbt_profile_reads_the_same_variables() -> None:
    """profiles.yml names each variable; a rename on one side only would drop the limit."""
    profile = (Path(__file__).resolve().parents[2] / "dbt_project" / "profiles.yml").read_text()
    for name in (
        duckdb_config.MEMORY_LIMIT_ENV,
        duckdb_config.THREADS_ENV,
        duckdb_config.TEMP_DIR_ENV,
    ):
        assert f"env_var('{name}'" in profile
    assert f"'{duckdb_config.DEFAULT_MEMORY_LIMIT}'" in profile
    assert "/" + duckdb_config.TEMP_DIR_NAME in profile
    assert "preserve_insertion_order: false" in profile


def test_dbt_sets_the_spill_folder_once_per_database() -> None:
    """dbt-duckdb sets `settings` again on every cursor it opens; DuckDB refuses to set
    temp_directory once something spilled there (even to the same folder), so the spill folder
    must be a connect-time option, or every model after the first spill fails."""
    import yaml

    profile = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "dbt_project" / "profiles.yml").read_text()
    )
    dev = profile["itot"]["outputs"]["duckdb"]
    assert "temp_directory" not in dev["settings"]
    assert duckdb_config.TEMP_DIR_ENV in dev["config_options"]["temp_directory"]
