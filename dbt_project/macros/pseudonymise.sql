{#- Keyed hash of a direct identifier (name, e-mail, MSISDN, street address).

    The key comes from ITOT_PSEUDONYM_KEY. The default below is a PUBLIC DEMO KEY, published in
    this repository: anyone can recompute its hashes. Set ITOT_PSEUDONYM_KEY to a secret for any
    real data. The same key gives the same pseudonym, so pseudonyms still join across models.
    DuckDB-specific (sha256), kept in this one macro. -#}
{% macro pseudonym_key() -%}
    {{- env_var('ITOT_PSEUDONYM_KEY', 'itot-public-demo-key-NOT-A-SECRET') -}}
{%- endmacro %}

{% macro pseudonymise(column) -%}
    case
        when {{ column }} is null then null
        else 'ps_' || substr(sha256('{{ pseudonym_key() | replace("'", "''") }}' || '|' || trim({{ column }})), 1, 24)
    end
{%- endmacro %}
