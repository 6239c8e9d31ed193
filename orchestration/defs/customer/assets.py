"""Customer (IT / BSS) bronze assets: TM Forum Open API resources and CSV exports."""

from orchestration.defs.ingest_assets import build_bronze_assets

DATASETS = (
    "customers",
    "product_orders",
    "order_events",
    "trouble_tickets",
    "customer_bills",
    "billing_rates",
    "usage",
    "survey_responses",
    "service_orders",
    "tmf_events",
)

customer_assets = build_bronze_assets(
    DATASETS,
    group="customer",
    descriptions={
        "customers": "TMF629 customers: one row per customer (direct identifiers in the clear).",
        "product_orders": "TMF622 product orders: one row per order, state at extraction.",
        "order_events": "TMF622 order state-change events: one row per event.",
        "trouble_tickets": "TMF621 trouble tickets: one row per ticket.",
        "customer_bills": "TMF678 customer bills: one row per bill.",
        "billing_rates": "TMF678 applied billing rates: one row per billed charge.",
        "usage": "TMF635 usage: one row per subscriber, day and serving cell.",
        "survey_responses": "NPS / CSAT survey responses: one row per response.",
        "service_orders": "TMF641 service orders: one row per order.",
        "tmf_events": "TM Forum event envelopes other than product-order state changes: "
        "one row per event.",
    },
)
