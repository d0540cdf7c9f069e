"""Which catalog content has no translation in a language (for ``python -m app i18n check``)."""

from __future__ import annotations

from app.engine.catalog import Catalog
from app.engine.problems import KEYS as PROBLEM_KEYS
from app.i18n.locale import Locale


def _labels(policy) -> list[str]:
    """The labels of a policy's conditions and amount tiers, in catalog order."""
    out = [n.label for c in policy.rules for n in c.walk() if n.label]
    for tier, when in zip((policy.amount or {}).get("tiers", []) or [], policy.tier_rules):
        if isinstance(tier, dict) and tier.get("label"):
            out.append(tier["label"])
        out += [n.label for n in when.walk() if n.label]
    return out


def missing_translations(catalog: Catalog, lang: str) -> list[str]:
    """Keys a translator must add to locales/{lang}.*.toml, in catalog order."""
    loc = Locale(lang)
    if loc.zh:
        return []
    have = loc.messages
    missing: list[str] = []

    def need(key: str, list_len: int | None = None) -> None:
        value = have.get(key)
        if list_len is None:
            ok = isinstance(value, str) and value.strip() != ""
        else:
            ok = isinstance(value, list) and len(value) == list_len
        if not ok and key not in missing:
            missing.append(key)

    for p in catalog.policies:
        need(f"policy.{p.id}.title")
        need(f"policy.{p.id}.summary")
        need(f"policy.{p.id}.steps", len(p.steps))
        if p.materials:
            need(f"policy.{p.id}.materials", len(p.materials))
        if p.note:
            need(f"policy.{p.id}.note")
        for label in _labels(p):
            need(f"label.{label}")
        for agency in p.lead + p.partners:
            need(f"agency.{agency}")
    for q in catalog.questions.values():
        need(f"question.{q.fact}.text")
        if q.help:
            need(f"question.{q.fact}.help")
        if q.label:
            need(f"question.{q.fact}.label")
        if q.unit:
            need(f"question.{q.fact}.unit")
    for list_name, codes in catalog.registry.codes.items():
        for value in codes:
            need(f"code.{list_name}.{value}")
    for g in catalog.groups.values():
        need(f"group.{g.id}.title")
    for key in PROBLEM_KEYS:          # what a catalog check can say (app/engine/problems.py)
        need(key)
    return missing
