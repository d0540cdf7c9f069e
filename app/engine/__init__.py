"""The engine: pure functions of a catalog and a business's answers.

catalog (the model, built from parsed TOML), rules (conditions parsed once into typed nodes that
evaluate three-valued, explain themselves and name the facts they still need), amounts, derive
(facts computed from others), profile (answers checked field by field; the one "does not apply"
rule), assessment (status and section of each policy), ranking (what the business stands to
gain), needed_facts (which questions are still needed), planner (which question next), session
(answers being given).

It never imports storage, rendering, i18n, textual or rich, and never reads or writes a file:
import-linter contracts in pyproject.toml prove it on every CI run.
"""
