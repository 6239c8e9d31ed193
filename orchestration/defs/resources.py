"""Resources shared by every domain: where the landing zone and the data folder are."""

from pathlib import Path

import dagster as dg

from orchestration import paths


class ItotPaths(dg.ConfigurableResource):
    """The landing zone and the data folder.

    Unset fields follow `ITOT_LANDING` / `ITOT_DATA` at run time (see `orchestration.paths`), so
    the UI, `itot build` and the tests all resolve the same folders.
    """

    landing: str | None = None
    data: str | None = None

    def landing_dir(self) -> Path:
        return paths.resolve(self.landing) if self.landing else paths.landing_dir()

    def data_dir(self) -> Path:
        return paths.resolve(self.data) if self.data else paths.data_dir()
