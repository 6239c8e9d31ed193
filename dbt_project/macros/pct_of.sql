{#- A share in percent, as every KPI ratio is written (docs/kpi_definitions.md):
    100 * numerator / denominator as a double, rounded to 4 decimals, null when the denominator
    is 0 or null. The one place the SQL side writes a KPI ratio; the Python side's twin is
    `orchestration.serving.kpi_window._ratio_pct` (windows of `itot kpis --from/--to`), and
    test_kpis_truth checks that both give the same figures. -#}
{% macro pct_of(numerator, denominator) -%}
    cast(
        case
            when {{ denominator }} > 0
                then round(cast(100.0 as {{ type_double() }}) * {{ numerator }} / {{ denominator }}, 4)
        end
        as {{ type_double() }}
    )
{%- endmacro %}
