{#- Keyed hash of a direct identifier (name, e-mail, MSISDN, street address).

    The key comes from ITOT_PSEUDONYM_KEY. The default below is a PUBLIC DEMO KEY, published in
    this repository: anyone can recompute its hashes. Set ITOT_PSEUDONYM_KEY to a secret for any
    real data. The same key gives the same pseudonym, so pseudonyms still join across models.
    DuckDB-specific (sha256), kept in this one macro. -#}
{% macro pseudonym_key() -%}
    {{- env_var('ITOT_PSEUDONYM_KEY', demo_pseudonym_key()) -}}
{%- endmacro %}

{#- The public demo key: published here, so it protects nothing. -#}
{% macro demo_pseudonym_key() -%}
    itot-public-demo-key-NOT-A-SECRET
{%- endmacro %}

{#- on-run-start hook: warn in the run log whenever the public demo key is in use. -#}
{% macro warn_if_demo_pseudonym_key() %}
    {%- if execute and pseudonym_key() == demo_pseudonym_key() -%}
        {{ log("WARNING: pseudonymising with the PUBLIC DEMO KEY (ITOT_PSEUDONYM_KEY is not set): anyone can recompute these pseudonyms. Set ITOT_PSEUDONYM_KEY to a secret before loading real customer data.", info=true) }}
    {%- endif -%}
{% endmacro %}

{% macro pseudonymise(column) -%}
    case
        when {{ column }} is null then null
        else 'ps_' || substr(sha256('{{ pseudonym_key() | replace("'", "''") }}' || '|' || trim({{ column }})), 1, 24)
    end
{%- endmacro %}
