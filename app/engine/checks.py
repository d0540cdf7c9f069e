"""Catalog self-checks beyond validation: the policies' own examples, and article coverage."""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.assessment import assess_policy
from app.engine.catalog import Catalog
from app.engine.profile import effective_facts


@dataclass
class ExampleFailure:
    policy: str
    line: int
    index: int
    message: str

    def __str__(self) -> str:
        return f"{self.policy} example {self.index} (line {self.line}): {self.message}"


def run_examples(catalog: Catalog) -> tuple[int, list[ExampleFailure]]:
    """Run every policy's examples; (number run, failures)."""
    failures: list[ExampleFailure] = []
    count = 0
    for policy in catalog.policies:
        for i, ex in enumerate(policy.examples, 1):
            count += 1
            facts, _ = effective_facts(ex.facts, ex.as_of, catalog)
            result = assess_policy(policy, facts, catalog, ex.as_of)
            problems = []
            if result.status != ex.status:
                problems.append(f"status {result.status}, expected {ex.status}")
            if ex.amount is not None:
                got = None if result.amount is None else [result.amount.min, result.amount.max]
                want = None if ex.amount == [] else ex.amount
                if got != want and not (want is None and got == [None, None]):
                    problems.append(f"amount {got}, expected {want}")
            if problems:
                failures.append(ExampleFailure(policy.id, ex.line, i, "; ".join(problems)))
    return count, failures


@dataclass
class DocCoverage:
    doc_id: str
    title: str
    articles: list[str]
    cited: list[str]
    excluded: list[str]
    unaccounted: list[str]
    unknown_cited: list[str]   # cited but not in the document's article list


def coverage(catalog: Catalog) -> list[DocCoverage]:
    cited: dict[str, set[str]] = {}
    for p in catalog.policies:
        for s in p.sources:
            cited.setdefault(s.doc.id, set()).add(s.article)
    excluded: dict[str, set[str]] = {}
    for e in catalog.excluded:
        excluded.setdefault(e.get("doc"), set()).add(e.get("article"))
    out = []
    for doc in catalog.documents.values():
        c, x = cited.get(doc.id, set()), excluded.get(doc.id, set())
        out.append(DocCoverage(
            doc.id, doc.title, list(doc.articles),
            [a for a in doc.articles if a in c], [a for a in doc.articles if a in x and a not in c],
            [a for a in doc.articles if a not in c and a not in x],
            sorted(a for a in c if a not in doc.articles)))
    return out
