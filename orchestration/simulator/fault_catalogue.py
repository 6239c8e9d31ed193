"""The fault catalogue: every way `itot generate --faults` damages a landing zone.

One entry per fault. `kind` says how the damage lands:
- `record`: one or more damaged records are ADDED to an existing, otherwise clean file of the
  zone (never replacing a good record), so that file loads `partial`: its good records load,
  the damaged ones are quarantined;
- `file`: a new damaged file is added next to the clean ones, and is quarantined whole (or,
  for record-level damage in a new file, record by record).

Either way no record that the truth counts is removed or changed, so `truth.json` `kpis` stay
exact for the damaged zone. `records_removed` is how many records the fault makes the platform
quarantine (the ledger's `rows_quarantined` for the fault's file and dataset); a file that
cannot be read at all counts as one record. `reason` is the exact reject reason, or its fixed
beginning (details such as a parser's message follow it). docs/faults.md is this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from orchestration.ingest import dataset_spec as v
from orchestration.ingest.detect import EMPTY
from orchestration.ingest.landing import ESCAPES, TRAVERSAL
from orchestration.sources import pm_rows, pm_xml, ves_json
from orchestration.sources.csv_common import HUGE_LINE

Kind = Literal["record", "file"]


@dataclass(frozen=True)
class Fault:
    """One catalogued fault: what is damaged and what the platform must make of it."""

    id: str
    name: str
    description: str
    format: str | None  # landing format the damaged file is detected as (None: unrecognised)
    dataset: str | None  # dataset of the ledger row that shows it (None: no format)
    kind: Kind
    records_removed: int
    status: Literal["partial", "quarantined"]
    reason: str  # exact reject reason, or its fixed beginning


PM, VES = "3gpp_pm_xml", "ves_json"
CATALOGUE: tuple[Fault, ...] = (
    # --- 3GPP PM XML: whole files -------------------------------------------------------------
    Fault("F01", "pm_truncated_xml", "PM XML file cut off in the middle of a measValue",
          PM, "pm_counters", "file", 1, "quarantined", "not well-formed XML"),
    Fault("F02", "pm_truncated_gzip", "gzip-compressed PM file cut off (no end-of-stream)",
          PM, "pm_counters", "file", 1, "quarantined", "unreadable file: EOFError"),
    Fault("F03", "pm_wrong_encoding", "PM XML declared UTF-8 but written in Latin-1 (ü as 0xFC)",
          PM, "pm_counters", "file", 1, "quarantined", pm_xml.NOT_DECLARED_ENCODING),
    Fault("F04", "pm_entity_expansion", "PM XML whose DTD defines nested entities (XML bomb)",
          PM, "pm_counters", "file", 1, "quarantined", pm_xml.ENTITIES_REJECTED),
    Fault("F05", "pm_external_entity", "PM XML referencing file:///etc/passwd as an entity (XXE)",
          PM, "pm_counters", "file", 1, "quarantined", pm_xml.EXTERNAL_ENTITY_REJECTED),
    Fault("F06", "xml_unknown_root", "well-formed XML with an unknown root element",
          None, None, "file", 1, "quarantined", "unrecognised format: XML root element"),
    # --- 3GPP PM XML: damaged measInfo blocks added to a clean day file -----------------------
    Fault("F07", "pm_length_mismatch", "measInfo with 2 measTypes and 3 measResults per value "
          "(3 measValues)", PM, "pm_counters", "record", 3, "partial",
          "measTypes/measResults length mismatch (2 vs 3)"),
    Fault("F08", "pm_negative_counter", "RRC.ConnEstab.Att = -42",
          PM, "pm_counters", "record", 1, "partial", v.NEGATIVE_COUNTER),
    Fault("F09", "pm_absurd_counter", "RRC.ConnEstab.Att = 999999999 in 15 minutes",
          PM, "pm_counters", "record", 1, "partial", v.COUNTER_ABOVE_BOUND),
    Fault("F10", "pm_prb_over_100", "RRU.PrbUsedDl = 250 %",
          PM, "pm_counters", "record", 1, "partial", v.PERCENT_ABOVE_100),
    Fault("F11", "pm_unavailable_over_period", "CELL.UnavailTime = 5000 s in a 900 s period",
          PM, "pm_counters", "record", 1, "partial", v.UNAVAILABLE_OVER_PERIOD),
    Fault("F12", "pm_unknown_cell", "counters of EUtranCellFDD=99, a cell not in the inventory",
          PM, "pm_counters", "record", 1, "partial", v.PM_UNKNOWN_CELL),
    Fault("F13", "pm_future_period", "a period ending in 2099",
          PM, "pm_counters", "record", 1, "partial", v.PM_FUTURE),
    Fault("F14", "pm_period_before_2000", "a period ending in 1999",
          PM, "pm_counters", "record", 1, "partial", v.PM_BEFORE_FLOOR),
    Fault("F15", "pm_non_numeric", "a counter value 'abc'",
          PM, "pm_counters", "record", 1, "partial", "non-numeric value 'abc'"),
    Fault("F16", "pm_duplicate_value", "a counter value repeated for the same cell and period",
          PM, "pm_counters", "record", 1, "partial", pm_rows.DUPLICATE),
    Fault("F17", "pm_bad_granperiod", "granPeriod duration 'PT15X'",
          PM, "pm_counters", "record", 1, "partial", "unparseable granPeriod duration 'PT15X'"),
    # --- VES fault events added to a clean day file -------------------------------------------
    Fault("F18", "ves_duplicate_event", "a VES fault event sent twice",
          VES, "alarm_events", "record", 1, "partial", ves_json.DUPLICATE),
    Fault("F19", "ves_unknown_cell", "an alarm on CELL-999999, a cell not in the inventory",
          VES, "alarm_events", "record", 1, "partial", v.ALARM_UNKNOWN_CELL),
    Fault("F20", "ves_future_event", "an alarm raised in 2099",
          VES, "alarm_events", "record", 1, "partial", v.ALARM_FUTURE),
    Fault("F21", "ves_event_before_2000", "an alarm raised in 1999",
          VES, "alarm_events", "record", 1, "partial", v.ALARM_BEFORE_FLOOR),
    Fault("F22", "ves_unknown_severity", "eventSeverity 'SEVERE'",
          VES, "alarm_events", "record", 1, "partial", "unknown eventSeverity 'SEVERE'"),
    Fault("F23", "ves_unknown_domain", "commonEventHeader.domain 'faultx'",
          VES, "alarm_events", "record", 1, "partial", "unsupported VES domain 'faultx'"),
    Fault("F24", "ves_missing_header", "an event without commonEventHeader",
          VES, "alarm_events", "record", 1, "partial", "missing commonEventHeader"),
    # --- TMF622 orders and their state-change events ------------------------------------------
    Fault("F25", "order_event_duplicate", "a ProductOrderStateChangeEvent sent twice",
          "tmf622_order_event", "order_events", "record", 1, "partial",
          v.ORDER_EVENT_DUPLICATE),
    Fault("F26", "order_event_out_of_order", "a completed order going back to inProgress an "
          "hour later", "tmf622_order_event", "order_events", "record", 1, "partial",
          v.OUT_OF_ORDER),
    Fault("F27", "order_event_future", "a new event file whose one event is dated 2099",
          "tmf622_order_event", "order_events", "file", 1, "quarantined", v.ORDER_EVENT_FUTURE),
    Fault("F28", "order_completed_before_created", "an order completed two days before it was "
          "created", "tmf622_product_order", "product_orders", "record", 1, "partial",
          v.COMPLETED_BEFORE_CREATED),
    Fault("F29", "order_missing_id", "a new order file whose order has no id",
          "tmf622_product_order", "product_orders", "file", 1, "quarantined", "missing id"),
    Fault("F30", "ticket_wrong_type", "a resource of @type 'Widget' in the trouble ticket list",
          "tmf621_trouble_ticket", "trouble_tickets", "record", 1, "partial",
          "unexpected @type 'Widget' (expected TroubleTicket)"),
    Fault("F31", "tmf_truncated_json", "a copy of the product order list cut off mid-record",
          "tmf622_product_order", "product_orders", "file", 1, "quarantined",
          "not valid JSON: truncated document"),
    # --- other TMF resources --------------------------------------------------------------------
    Fault("F32", "ticket_naive_timestamp", "a trouble ticket whose creationDate has no offset",
          "tmf621_trouble_ticket", "trouble_tickets", "file", 1, "quarantined",
          "timestamp without offset"),
    Fault("F33", "ticket_utf16_bom", "trouble tickets re-encoded as UTF-16 with a byte-order "
          "mark", "tmf621_trouble_ticket", "trouble_tickets", "file", 1, "quarantined",
          "not UTF-8: UTF-16 LE byte-order mark"),
    Fault("F34", "customer_latin1", "customers written in Latin-1 (names with ü, é)",
          "tmf629_customer", "customers", "file", 1, "quarantined",
          "not UTF-8: UnicodeDecodeError"),
    Fault("F35", "bill_non_numeric_amount", "a bill whose amountDue.value is 'abc'",
          "tmf678_customer_bill", "customer_bills", "record", 1, "partial",
          "non-numeric amountDue.value 'abc'"),
    Fault("F36", "usage_negative_volume", "a usage record of -512 MB",
          "tmf635_usage", "usage", "record", 1, "partial", v.USAGE_NEGATIVE),
    # --- CSV exports ----------------------------------------------------------------------------
    Fault("F37", "survey_nps_out_of_range", "a survey response with NPS 11",
          "survey_csv", "survey_responses", "record", 1, "partial",
          "nps_score '11' out of range 0-10"),
    Fault("F38", "survey_missing_column", "a survey export without its response_date column",
          "survey_csv", "survey_responses", "file", 1, "quarantined",
          "missing column(s) response_date"),
    Fault("F39", "survey_huge_line", "a survey export whose one data line is 1.5 MiB",
          "survey_csv", "survey_responses", "file", 1, "quarantined", HUGE_LINE),
    Fault("F40", "process_duplicate_event", "a process log line written twice",
          "process_log_csv", "process_events", "record", 1, "partial", v.PROCESS_DUPLICATE),
    Fault("F41", "process_missing_case", "a process log event without case_id",
          "process_log_csv", "process_events", "file", 1, "quarantined", "missing case_id"),
    Fault("F42", "inventory_bad_latitude", "an inventory row with latitude 123.4",
          "inventory_csv", "inventory_cells", "record", 1, "partial",
          "latitude '123.4' out of range -90..90"),
    # --- the landing zone itself ----------------------------------------------------------------
    Fault("F43", "empty_file", "a zero-byte file",
          None, None, "file", 1, "quarantined", EMPTY),
    Fault("F44", "symlink_escape", "a symbolic link to ../../../../../../../../etc/passwd",
          None, None, "file", 1, "quarantined", ESCAPES),
    Fault("F45", "encoded_path_traversal", "a file named ..%2F..%2Fetc%2Fpasswd (valid content)",
          None, None, "file", 1, "quarantined", TRAVERSAL),
)  # fmt: skip

BY_ID: dict[str, Fault] = {f.id: f for f in CATALOGUE}


def render_markdown() -> str:
    """docs/faults.md: the catalogue as a table (a unit test keeps the file equal to this)."""
    lines = [
        "# Faults injected by `itot generate --faults`",
        "",
        "Generated from `orchestration/simulator/fault_catalogue.py` (edit the catalogue, then run",
        "`python -m orchestration.simulator.fault_catalogue > docs/faults.md`).",
        "",
        "`itot generate --faults` first writes the clean operator, then damages its landing",
        "zone in each of these ways. `record` faults add damaged records to an otherwise clean",
        "file (the file loads `partial`); `file` faults add a damaged file (quarantined whole,",
        "counted as one record). No record the truth counts is removed or changed, so",
        "`truth.json` `kpis` stay exact; `truth.json` `faults` lists each fault with its file,",
        "the ledger status and the number of records it makes the platform quarantine.",
        "",
        f"{len(CATALOGUE)} faults.",
        "",
        "| id | fault | damage | format | dataset | kind | quarantined | status | reason |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in CATALOGUE:
        cells = (
            f.id,
            f"`{f.name}`",
            f.description,
            f.format or "(unrecognised)",
            f.dataset or "(none)",
            f.kind,
            str(f.records_removed),
            f.status,
            f"`{f.reason}`",
        )
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
