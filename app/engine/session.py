"""One assessment in progress: the answers stated so far, and where the questionnaire stands.

Pure. ``facts`` holds stated facts only (fact name -> checked value); an unknown answer is simply
absent. ``to_profile`` gives the contract's profile tables, ready to be written to a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.engine.facts import TABLES, FactRegistry


@dataclass
class Session:
    facts: dict[str, Any] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)       # questions answered or skipped
    position: str | None = None                       # fact of the question shown last

    @property
    def name(self) -> str:
        return self.facts.get("name") or ""

    @property
    def started(self) -> bool:
        return bool(self.facts or self.seen)

    def answer(self, fact: str, value: Any) -> None:
        """State a fact; ``None`` means unknown (the fact is removed)."""
        if value is None:
            self.facts.pop(fact, None)
        else:
            self.facts[fact] = value
        self.seen.add(fact)

    def skip(self, fact: str) -> None:
        self.answer(fact, None)

    def copy(self) -> "Session":
        return Session({k: (list(v) if isinstance(v, list) else v) for k, v in self.facts.items()},
                       set(self.seen), self.position)

    def to_profile(self, registry: FactRegistry) -> dict[str, dict[str, Any]]:
        """The contract's tables: {"business": {...}, "situation": {...}, "plans": {...}}."""
        out: dict[str, dict[str, Any]] = {t: {} for t in TABLES}
        for name, value in self.facts.items():
            fact = registry.get(name)
            if fact is None or fact.derived or fact.table not in out:
                continue
            out[fact.table][name] = value
        return {t: body for t, body in out.items() if body}

    @classmethod
    def from_facts(cls, facts: dict[str, Any]) -> "Session":
        return cls(dict(facts), set(facts))
