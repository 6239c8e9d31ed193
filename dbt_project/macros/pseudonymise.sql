{#- Keyed hash of a direct identifier (name, e-mail, MSISDN, street address).

    The key comes from ITOT_PSEUDONYM_KEY. The default below is a PUBLIC DEMO KEY, published in
    this repository: anyone can recompute its hashes. Set ITOT_PSEUDONYM_KEY to a secret for any
    real data. The same key gives the same pseudonym, so pseudonyms still join across models.
    The hash is SHA-256 on every engine (hex, lower case), so DuckDB and Spark give the same
    pseudonym for the same key and value (tests/unit/test_engine_portability.py). -#}
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
        else 'ps_' || substr({{ sha256_hex("'" ~ (pseudonym_key() | replace("'", "''")) ~ "' || '|' || trim(" ~ column ~ ")") }}, 1, 24)
    end
{%- endmacro %}

{#- SHA-256 of a text expression as 64 lower-case hex digits. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}
