{#- A float column's values as exact decimals (12 places), for sums that a rebuild must repeat
    to the bit: a parallel sum of doubles adds its rows in whatever order the threads deliver
    them, and the last bits of the result follow that order (kpi_roi_lever_daily once differed
    between two builds of the same data). A decimal sum is integer arithmetic: the same in any
    order. Use as `sum({{ exact_sum_term('x') }})`; cast the result back where a double is
    wanted. -#}
{% macro exact_sum_term(column) -%}
    cast({{ column }} as decimal(38, 12))
{%- endmacro %}
