"""The marts every build must publish: the definitions must declare them as assets
(tests/unit/test_definitions.py) and a built serving snapshot must hold them
(tests/integration/test_demo_build.py). Written once here, as the tests' expectation."""

CORE_MARTS = frozenset(
    {
        "dim_date",
        "dim_cell",
        "dim_customer",
        "fct_product_orders",
        "fct_orders_daily",
        "kpi_headline",
    }
)
