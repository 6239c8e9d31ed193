"""Model artifacts versioned by content: the pickled model's SHA-256 names its file, so the
same training data and settings give the same version, and a score row names the exact model
that produced it."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from orchestration import paths

VERSION_CHARS = 12  # hex digits of the SHA-256 kept in model_version


def content_version(blob: bytes) -> str:
    """The first VERSION_CHARS hex digits of the blob's SHA-256."""
    return hashlib.sha256(blob).hexdigest()[:VERSION_CHARS]


def save_model(data: Path, model_name: str, model: Any) -> tuple[str, Path]:
    """Pickle `model` to `<data>/models/<model_name>/<version>.pkl` (atomically; an existing
    file of the same version is the same bytes and is kept). Returns (version, path)."""
    blob = pickle.dumps(model, protocol=5)
    version = content_version(blob)
    folder = paths.models_dir(data) / model_name
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{version}.pkl"
    if not out.exists():
        tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
        tmp.write_bytes(blob)
        os.replace(tmp, out)
    return version, out


def load_model(data: Path, model_name: str, version: str) -> Any:
    """The model saved under `version` (only artifacts this platform wrote are ever loaded)."""
    path = paths.models_dir(data) / model_name / f"{version}.pkl"
    return pickle.loads(path.read_bytes())  # noqa: S301 - our own artifact, content-addressed
