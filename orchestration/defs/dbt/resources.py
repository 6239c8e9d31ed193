"""The dbt CLI resource, bound to the project."""

from dagster_dbt import DbtCliResource

from orchestration.defs.dbt.project import dbt_executable, dbt_project

dbt_resource = DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
