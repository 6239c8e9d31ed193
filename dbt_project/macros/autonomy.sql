{#- The autonomy rule of docs/kpi_definitions.md (issue 4, 3GPP TS 28.100 Table 5-1).

    autonomy_role: a task category's role in a workflow-month from its number of scored tasks
    `n` and their score sum `s` (human 0, human+system 1, system 2), decided in integers so no
    rounding can flip it: System when 5s >= 9n (mean >= 1.8), Human when 5s <= n (mean <= 0.2),
    otherwise Human & System. A category without tasks is Human.

    autonomy_role_rank: Human 0 < Human & System 1 < System 2.

    autonomy_level: the highest level of Table 5-1 whose every required role is met (a role is
    met when the category's rank is at least the table's). The requirements grow with the level,
    so the highest met level is the number of levels 1..5 met. -#}
{% macro autonomy_role(n, s) -%}
    case
        when coalesce({{ n }}, 0) = 0 then 'Human'
        when 5 * {{ s }} >= 9 * {{ n }} then 'System'
        when 5 * {{ s }} <= {{ n }} then 'Human'
        else 'Human & System'
    end
{%- endmacro %}

{% macro autonomy_role_rank(role) -%}
    case {{ role }} when 'System' then 2 when 'Human & System' then 1 else 0 end
{%- endmacro %}


{% macro autonomy_level(execution, awareness, analysis, decision, intent) -%}
    {%- set levels = [
        [1, 1, 0, 0, 0],
        [2, 1, 1, 0, 0],
        [2, 2, 1, 1, 0],
        [2, 2, 2, 2, 1],
        [2, 2, 2, 2, 2],
    ] -%}
    {%- set ranks = [execution, awareness, analysis, decision, intent] -%}
    (
    {%- for required in levels %}
        {% if not loop.first %}+ {% endif %}case when
            {%- for minimum in required %}
            {{ ranks[loop.index0] }} >= {{ minimum }}{% if not loop.last %} and{% endif %}
            {%- endfor %}
        then 1 else 0 end
    {%- endfor %}
    )
{%- endmacro %}
