"""A landing file's records per dataset, exactly as ingest loads them: parsed without ever
raising on bad input, split per dataset, then checked by the record rules.

Ingest (`run.ingest_dataset`, one dataset at a time) and `itot inspect` (`dry_run`, every
dataset of a file at once) both call `file_records`, so what inspect reports is what a build
loads. Rows are conserved per dataset: `rows_in == rows.height + len(rejects)`.

Parser failures: any exception or schema drift becomes a whole-file reject (`parser error:
<ExcType>: <msg>`) under the format's primary dataset; a secondary dataset then gets nothing.
A secondary dataset that holds no record of the file is absent from the result (no ledger row).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import polars as pl

from orchestration.ingest.record_rules import Context, apply_record_rules
from orchestration.sources import parse_all, parser_for_dataset
from orchestration.sources.result import ParseResult, describe_error, file_rejected

NO_RESULT = "parser returned no result"


def parse_safely(parser: ModuleType, path: Path) -> dict[str, ParseResult]:
    """{dataset: ParseResult} of one file; on any exception or a rows schema that is not the
    dataset's SCHEMA, {primary dataset: one whole-file reject naming the error}."""
    try:
        results = parse_all(parser, path)
        for name, res in results.items():
            schema = parser_for_dataset(name).SCHEMA
            if res.rows.schema != pl.Schema(schema):
                raise TypeError(f"{name} rows schema {dict(res.rows.schema)} != SCHEMA {schema}")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the dataset
        reason = f"parser error: {describe_error(exc)}"
        return {parser.DATASET: file_rejected(parser.SCHEMA, reason)}
    return results


def dataset_share(
    parser: ModuleType, results: dict[str, ParseResult], dataset: str
) -> ParseResult | None:
    """`dataset`'s part of a file's parse results; None when a secondary dataset holds no
    record of it (the primary dataset always has a result: a missing one is a reject)."""
    result = results.get(dataset)
    primary = parser.DATASET == dataset
    if result is None:
        return file_rejected(parser.SCHEMA, NO_RESULT) if primary else None
    if not primary and result.rows_in == 0:
        return None
    return result


def safe_parse(parser: ModuleType, path: Path, dataset: str | None = None) -> ParseResult | None:
    """The file's parse result for `dataset` (default: the primary one), before the record
    rules; None when a secondary dataset holds no record of the file."""
    return dataset_share(parser, parse_safely(parser, path), dataset or parser.DATASET)


def file_records(
    parser: ModuleType, path: Path, datasets: Iterable[str], ctx: Context
) -> dict[str, ParseResult]:
    """{dataset: what ingest loads and quarantines} for each of `datasets` that the file feeds:
    parsed once (`parse_safely`), split (`dataset_share`), checked by the record rules
    (`record_rules`, against `ctx`: the inventory and "now")."""
    results = parse_safely(parser, path)
    out: dict[str, ParseResult] = {}
    for dataset in datasets:
        share = dataset_share(parser, results, dataset)
        if share is not None:
            out[dataset] = apply_record_rules(dataset, share, ctx)
    return out
