{#- The score of one task by who performed it (issue 4): human 0, human and system together 1,
    system 2. Any other resource type is unknown and scores null (it does not count). -#}
{% macro task_score(resource_type) -%}
    case {{ resource_type }}
        when 'human' then 0
        when 'human+system' then 1
        when 'system' then 2
    end
{%- endmacro %}
