"""Catalog problems as message keys with parameters, and their English text.

The engine may not word messages in the user's language (it does not import app.i18n): a problem
is a key under ``catalog.problem.`` with plain parameters (names, numbers, brief reprs, paths), and
its English text is made here, once, from the template below. The locales word the same keys
(locales/{lang}.catalog_problems.toml); a test holds the English locale to these templates and
both languages to every key here.

``where`` is the place in the catalog ("policy svc-x: conditions[0].all[1]"): a parameter, never
translated as a whole. A problem found inside a condition or an amount is placed in its policy or
question with ``Msg.within``, which puts the owner in front of ``where``.
"""

from __future__ import annotations

from typing import Any

PREFIX = "catalog.problem."

# key (without PREFIX) -> English template (str.format; every parameter is already text or a number)
MESSAGES: dict[str, str] = {
    # reading the file
    "not_utf8": "not UTF-8 text",
    "not_toml": "not valid TOML: {reason}",
    "unexpected_shape": "catalog has an unexpected shape ({error}: {detail})",
    "read_no_file": "file not found",
    "read_not_regular": "not a regular file (a folder, device or pipe)",
    "read_too_large": "larger than {limit}",
    "read_failed": "cannot read: {reason}",
    "cache_unusable": "cache unusable",
    "internal": "{error}: {detail}",
    "none_found": "no catalog found",
    # the catalog as a whole
    "unknown_top_key": "unknown top-level key '{key}'",
    "missing_meta": "missing [catalog] table with version and date",
    "meta_version": "catalog.version must be text",
    "meta_date": "catalog.date must be a date (YYYY-MM-DD)",
    "not_array": "'{name}' must be an array of tables ([[{name}]])",
    "fact_not_asked": "fact '{name}' is used but no question asks it",
    # shared by several kinds of entry ({where}: agency X, question X, policy X, …)
    "unknown_key": "{where}: unknown key '{key}'",
    "bad_date": "{where}: bad date in {key}",
    "until_before_from": "{where}: valid_until is before valid_from",
    "region_codes": "{where}: region must list league codes",
    "missing": "{where}: missing {key}",
    "unknown_code_list": "{where}: unknown code list {value}",
    "duplicate_id": "{where}: duplicate id '{id}'",
    # agencies, codes, sets
    "agency_name": "agency: needs name",
    "code_fields": "code: needs text 'value' and 'label'",
    "code_twice": "code: '{value}' already exists in list '{list}'",
    "set_id": "set: id must be lowercase letters, digits and _, got {value}",
    "set_values": "{where}: values must be a non-empty list of codes",
    "set_unknown_code": "{where}: unknown code '{code}' in list '{list}'",
    "unknown_set": "{where}: unknown named set {value}",
    "pasted_set": "{where}: a pasted list of {count} codes equals the named set '@{set}'; refer to it by name",
    "pasted_set_near": "{where}: a pasted list of {count} codes nearly equals (differs by {diff}) the named "
                       "set '@{set}'; refer to it by name",
    # questions
    "question_type": "{where}: type must be one of {choices}",
    "question_table": "{where}: table must be one of {choices}",
    "question_choices_needed": "{where}: a code fact needs choices",
    "question_fact_name": "question: a fact name is lowercase ASCII letters, digits and _, starting with a "
                          "letter; got {value}",
    "question_unknown_fact": "question: unknown fact {value} (a new fact needs 'type' and 'table')",
    "question_derived": "question: '{name}' is derived, it is not asked",
    "question_twice": "question: duplicate question for fact '{name}'",
    "question_section": "{where}: section must be one of {choices}",
    "question_choices_list": "{where}: choices must be a list of tables",
    "question_choice_code": "{where}: unknown code in choices: {value}",
    "question_choice_label": "{where}: the label of choice '{value}' must be text",
    "question_choices_twice": "{where}: choices name {values} more than once",
    # documents
    "document_id": "document: missing id",
    "document_id_text": "document: id must be text",
    "document_articles": "{where}: articles must be a list of text",
    "document_articles_twice": "{where}: duplicate article(s) {values}",
    "document_period_text": "{where}: a period needs period_text (the words that give it)",
    # groups
    "group_fields": "group: needs id and title",
    # policies
    "policy_id": "policy: id must be lowercase letters, digits and hyphens, got {value}",
    "policy_kind": "{where}: kind must be one of {choices}",
    "policy_sources": "{where}: needs at least one source",
    "source_table": "{where}: each source must be a table",
    "source_document": "{where}: unknown document {value}",
    "source_article": "{where}: source needs an article",
    "source_article_unknown": "{where}: article {value} is not in document {document}'s articles",
    "source_quote": "{where}: source {article} needs a quote",
    "policy_lead": "{where}: lead must list at least one agency",
    "policy_partners": "{where}: partners must be a list of text",
    "open_ended_bool": "{where}: open_ended must be true or false",
    "open_ended_until": "{where}: open_ended with a valid_until",
    "conditions_list": "{where}: conditions must be a list",
    "policy_steps": "{where}: needs at least two steps",
    "policy_materials": "{where}: materials must be a list of text",
    "region_wider": "{where}: region {codes} is outside its document's scope ({scope}); a policy may only "
                    "narrow it",
    "unknown_group": "{where}: unknown group {value}",
    "policy_entities": "{where}: entities must list some of {choices}",
    "policy_delivers": "{where}: delivers must be one of {choices}",
    "lapsed_fields": "{where}: lapsed needs since (a date), reason (text) and words (a list of text)",
    "lapsed_word": "{where}: lapsed word {value} is not in the policy's quotes",
    "policy_examples": "{where}: needs at least one [[policy.example]]",
    "example_as_of": "{where}: example {n} needs as_of (a date)",
    "example_status": "{where}: example {n}: status must be one of {choices}",
    "example_facts": "{where}: example {n}: facts must be a table",
    "example_fact": "{where}: example {n}: fact {field}: {error} (got {value})",
    "example_amount": "{where}: example {n}: amount must be [min, max] in yuan, or []",
    "policy_twice": "policy: duplicate id '{id}'",
    # excluded articles
    "excluded_document": "excluded: unknown document {value}",
    "excluded_article": "excluded: article {value} is not in document {document}'s articles",
    "excluded_reason": "{where}: missing reason",
    "excluded_cited": "{where}: the article is also cited by a policy",
    # conditions (app/engine/rules.py); {where} is the condition's path
    "cond_too_deep": "{where}: conditions nested more than {depth} deep",
    "cond_not_table": "{where}: a condition must be a table, got {type}",
    "cond_label": "{where}: label must be text",
    "cond_changeable": "{where}: changeable must be true or false",
    "cond_composite": "{where}: use one of all/any/not, without fact",
    "cond_unknown_keys": "{where}: unknown key(s) {keys}",
    "cond_empty": "{where}: {op} needs a non-empty list of conditions",
    "cond_no_fact": "{where}: needs 'fact' or one of all/any/not",
    "cond_unknown_fact": "{where}: unknown fact '{name}'",
    "cond_no_test": "{where}: fact '{name}' has no test (gte, gt, lte, lt, eq, in, has, has_any, has_all)",
    "cond_combine": "{where}: combine only gte/gt/lte/lt in one condition",
    "cond_two_bounds": "{where}: two lower or two upper bounds",
    "cond_number_bound": "{where}: {op} on number fact '{name}' needs a number (at most {limit})",
    "cond_date_bound": "{where}: {op} on date fact '{name}' needs a date (YYYY-MM-DD)",
    "cond_op_type": "{where}: {op} does not apply to {type} fact '{name}'",
    "cond_has_list": "{where}: 'has' applies to list facts; '{name}' is {type}",
    "cond_in_code": "{where}: '{op}' applies to single-code facts; '{name}' is {type}",
    "cond_in_list": "{where}: '{op}' applies to list facts; '{name}' is {type}",
    "cond_codes_empty": "{where}: '{op}' needs a non-empty list of codes",
    "cond_code_text": "{where} needs code text, got {value}",
    "cond_unknown_code": "{where}: unknown code '{value}' for fact '{name}'",
    "cond_value_bool": "{where} on '{name}' needs true or false",
    "cond_value_number": "{where} on '{name}' needs a number",
    "cond_value_text": "{where} on '{name}' needs text",
    "cond_value_type": "{where} does not apply to {type} fact '{name}'",
    # amounts (app/engine/amounts.py); {where} is "amount" within its policy
    "amount_table": "{where} must be a table",
    "amount_kind": "{where}: kind must be one of {choices}, got {value}",
    "amount_keys": "{where}: unknown key(s) {keys} for kind {kind}",
    "amount_period": "{where}: period must be one of {choices}",
    "amount_months": "{where}: months must be a positive integer (at most 1200)",
    "amount_note": "{where}: note must be text",
    "amount_needs": "{where}: {kind} needs '{key}'",
    "amount_yuan": "{where}: '{key}' must be a non-negative number of yuan (at most {limit})",
    "amount_min_max": "{where}: min is above max",
    "amount_base": "{where}: {kind} needs its base fact ('fact')",
    "amount_unknown_fact": "{where}: unknown fact '{name}'",
    "amount_base_number": "{where}: base fact '{name}' is not a number",
    "amount_per_unit": "{where}: per_unit needs 'per_unit' or 'per_unit_min' and 'per_unit_max'",
    "amount_rate": "{where}: rate must be a fraction in (0, 1], e.g. 0.2 for 20%",
    "amount_up_to": "{where}: up_to must be true or false",
    "amount_tiers": "{where}: tiered needs a non-empty list 'tiers'",
    "amount_tier_when": "{where}: tiers[{i}] needs 'when'",
    "amount_tier_value": "{where}: tiers[{i}] needs 'value' or 'min' and 'max' in yuan (at most {limit})",
}

KEYS = tuple(PREFIX + k for k in MESSAGES)


class Msg(str):
    """A problem's English text (a ``str``, so it reads and compares as before) that also carries
    its message ``key`` and ``params`` for the locales."""

    key: str
    params: dict[str, Any]

    def __new__(cls, short_key: str, /, **params: Any) -> "Msg":
        text = MESSAGES[short_key].format(**params)
        obj = super().__new__(cls, text)
        obj.key, obj.params = PREFIX + short_key, params
        return obj

    def within(self, owner: str) -> "Msg":
        """The same problem placed in ``owner`` ("policy svc-x", "amount"): ``owner: where``."""
        params = dict(self.params)
        params["where"] = f"{owner}: {params['where']}" if params.get("where") else owner
        return Msg(self.key[len(PREFIX):], **params)
