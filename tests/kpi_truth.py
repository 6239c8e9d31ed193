"""Comparing `itot kpis` with the simulator's truth.json, as docs/kpi_definitions.md says:
counted figures, autonomy levels and roles exactly, other floats within 1e-4, and the estimated
ROI benefit within 10% of the benefit the simulator planted."""

from __future__ import annotations

from orchestration.serving.kpis import KEY_ORDER

FLOAT_TOLERANCE = 1e-4
PLANTED_ROI_TOLERANCE = 0.10
# The keys of the KPI contract (docs/kpi_definitions.md), in its order: the platform's own list,
# written once. The truth side stays independent: the simulator names its keys itself, and
# test_simulator checks that truth.json carries exactly these.
CONTRACT_KEYS = KEY_ORDER
# The order KPIs a re-delivery or a day's rebuild of order files may change.
ORDER_KEYS = CONTRACT_KEYS[:3]


def kpi_mismatches(path: str, got: object, want: object) -> list[str]:
    """Where `got` differs from `want`: ints, strings, None and bools exactly (same type), floats
    within FLOAT_TOLERANCE, objects key by key with the same keys."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{path}: {got!r} is not an object"]
        out = []
        if set(got) != set(want):
            out.append(f"{path}: keys {sorted(set(got) ^ set(want))} differ")
        for key in sorted(set(got) & set(want)):
            out += kpi_mismatches(f"{path}.{key}", got[key], want[key])
        return out
    if isinstance(want, bool) or want is None or isinstance(want, str | int):
        same = got == want and type(got) is type(want)
        return [] if same else [f"{path}: {got!r} != {want!r}"]
    if not isinstance(got, int | float) or isinstance(got, bool):
        return [f"{path}: {got!r} is not a number (want {want!r})"]
    return [] if abs(got - want) <= FLOAT_TOLERANCE else [f"{path}: {got!r} != {want!r}"]


def assert_kpis_equal(actual: dict, expected: dict) -> None:
    """Every key of `expected` (truth.json["kpis"]) present in `actual` and equal."""
    missing = set(expected) - set(actual)
    assert not missing, f"missing KPI keys: {sorted(missing)}"
    problems = []
    for key in expected:
        problems += kpi_mismatches(key, actual[key], expected[key])
    assert not problems, "\n".join(problems)


def assert_kpis_match_truth(kpis: dict, truth: dict) -> None:
    """The whole contract: truth.json carries every contract key, `itot kpis` equals it on each,
    and the ROI benefit lies within 10% of the planted one."""
    assert set(truth["kpis"]) == set(CONTRACT_KEYS), "truth.json does not carry the contract's keys"
    assert_kpis_equal(kpis, truth["kpis"])
    planted = truth["planted"]["roi"]["benefit"]
    estimated = kpis["roi"]["benefit"]
    assert abs(estimated - planted) <= PLANTED_ROI_TOLERANCE * abs(planted), (
        f"ROI benefit {estimated} is not within 10% of the planted {planted}"
    )
