"""Reports of an assessment: the contract's JSON, plain text, Markdown and one printable HTML page.

Pure: no textual, no rich. All catalog and client text is escaped for the format it goes into.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from .assess import STATUS_ORDER, Assessment, Result
from .i18n import Locale

from .text import clean  # noqa: E402,F401  (untrusted text without control characters)


def md_escape(text: Any) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+\-!|~])", r"\\\1", clean(text))


def validity(result: Result, loc: Locale) -> str:
    p = result.policy
    if p.draft:
        return loc.t("validity.draft")
    if p.open_ended:
        text = loc.t("validity.open_ended")
        return (loc.t("validity.from", **{"from": loc.date(p.valid_from)}) + "，" + text) if p.valid_from and loc.zh else text
    if p.valid_until and p.valid_from:
        return loc.t("validity.from_until", **{"from": loc.date(p.valid_from), "until": loc.date(p.valid_until)})
    if p.valid_until:
        return loc.t("validity.until", until=loc.date(p.valid_until))
    issued = loc.t("validity.issued", date=loc.date(p.issued)) if p.issued else loc.t("validity.undated")
    start = (loc.t("validity.from", **{"from": loc.date(p.valid_from)}) + "; ") if p.valid_from else ""
    return f"{start}{loc.t('validity.unstated')} ({issued})" if not loc.zh else f"{start}{loc.t('validity.unstated')}（{issued}）"


def title(result: Result, loc: Locale) -> str:
    return loc.policy_text(result.policy, "title")


def _reasons(result: Result, assessment: Assessment, loc: Locale) -> list[str]:
    if not result.outcomes:
        return [loc.t("reason.no_conditions")]
    return [loc.reason(o, assessment.catalog, result.policy.id, i) for i, o in enumerate(result.outcomes)]


def _missing(result: Result, assessment: Assessment, loc: Locale) -> list[str]:
    return [loc.fact_label(f, assessment.catalog) for f in result.missing]


def _derived_text(assessment: Assessment, loc: Locale) -> list[tuple[str, str, str]]:
    """(label, value, how) for each derived fact."""
    out = []
    cat = assessment.catalog
    for name in ("size_class", "sme", "small_low_profit"):
        value = assessment.derived.get(name)
        why = assessment.derived_from.get(name, {})
        if value is None:
            shown = loc.t("derived.unknown")
        else:
            shown = loc.value(name, value, cat)
        params = {}
        if name == "size_class" and "industry" in why:
            params = {"industry": loc.t(f"industry.{why['industry_key']}") if loc.has(f"industry.{why.get('industry_key')}") else why["industry"],
                      "inputs": loc._join([loc.fact_label(f, cat) for f in why.get("inputs", [])])}
        out.append((loc.fact_label(name, cat), shown, loc.t(f"derived.{name}", **params)))
    return out


# ---------------------------------------------------------------- JSON (CONTRACT section 2)

def to_json(assessment: Assessment, loc: Locale) -> dict:
    cat = assessment.catalog
    derived = {}
    for k, v in assessment.derived.items():
        if isinstance(v, (set, frozenset)):
            derived[k] = None
            derived[f"{k}_possible"] = sorted(v, key=str)
        else:
            derived[k] = v
    results = []
    for r in assessment.shown:
        p = r.policy
        amount = None
        if r.amount is not None:
            amount = {"min": r.amount.min, "max": r.amount.max, "currency": "CNY",
                      "basis": loc.basis(r.amount, cat), "period": r.amount.period,
                      "needs": list(r.amount.needs)}
        entry = {
            "id": p.id,
            "title": title(r, loc),
            "status": r.status,
            "score": r.score,
            "amount": amount,
            "sources": [{"document": s.doc.title, "article": s.article,
                         "issued": s.doc.issued.isoformat() if s.doc.issued else None,
                         "quote": s.quote} for s in p.sources],
            "agencies": {"lead": list(p.lead), "partners": list(p.partners)},
            "agencies_text": {"lead": [loc.agency(a) for a in p.lead],
                              "partners": [loc.agency(a) for a in p.partners]},
            "steps": loc.policy_list(p, "steps"),
            "valid": {"from": p.valid_from.isoformat() if p.valid_from else None,
                      "until": p.valid_until.isoformat() if p.valid_until else None,
                      "open_ended": p.open_ended, "stated": bool(p.valid_until or p.open_ended),
                      "text": validity(r, loc)},
            "reasons": _reasons(r, assessment, loc),
            "missing": _missing(r, assessment, loc),
            # extensions
            "kind": p.kind,
            "summary": loc.policy_text(p, "summary"),
            "missing_facts": list(r.missing),
            "materials": loc.policy_list(p, "materials"),
            "group": None if not p.group else {
                "id": p.group, "title": group_title(cat.groups[p.group], loc), "choice": r.group_choice},
        }
        results.append(entry)
    return {
        "as_of": assessment.as_of.isoformat(),
        "catalog": {"version": cat.version, "policies": len(cat.policies),
                    "date": cat.date.isoformat() if cat.date else None},
        "profile": {"derived": derived,
                    "derived_from": {k: v.get("from", []) for k, v in assessment.derived_from.items()}},
        "results": results,
    }


def render_json(assessment: Assessment, loc: Locale) -> str:
    return json.dumps(to_json(assessment, loc), ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- shared structure

def _join(loc: Locale, items: list[str]) -> str:
    return ("、" if loc.zh else "; ").join(items)


def _sections(assessment: Assessment) -> list[tuple[str, list[Result]]]:
    return [(s, assessment.by_status(s)) for s in STATUS_ORDER if assessment.by_status(s)]


def _total_text(assessment: Assessment, loc: Locale) -> str:
    lo, hi = assessment.total()
    if lo == hi:
        return loc.money(hi)
    return loc.t("amount.between", min=loc.money(lo), max=loc.money(hi))


def _group_line(r: Result, assessment: Assessment, loc: Locale) -> str:
    if not r.policy.group:
        return ""
    g = group_title(assessment.catalog.groups[r.policy.group], loc)
    if r.group_choice:
        return f"{loc.t('report.group')}: {g} · {loc.t('report.group_choice')}"
    return f"{loc.t('report.group')}: {g}"


def group_title(group, loc: Locale) -> str:
    return loc.translated(f"group.{group.id}.title", group.title)


# ---------------------------------------------------------------- text

def render_text(assessment: Assessment, loc: Locale, name: str = "", warnings=()) -> str:
    cat = assessment.catalog
    out: list[str] = []
    w = out.append
    w(loc.t("report.title"))
    w("=" * 40)
    w(f"{loc.t('report.business')}: {clean(name) or loc.t('report.unnamed')}")
    w(f"{loc.t('report.as_of')}: {loc.date(assessment.as_of)}")
    w(f"{loc.t('report.catalog')}: {loc.t('report.catalog_line', version=clean(cat.version), count=len(cat.policies))}")
    w("")
    w(loc.t("report.derived") + ":")
    for label, value, how in _derived_text(assessment, loc):
        w(f"  {label}: {value}  ({how})")
    for key, params in warnings:
        w(f"  ! {loc.t(key, **params)}")
    w("")
    w(loc.t("report.summary") + ":")
    for status, items in _sections(assessment):
        w("  " + loc.t("report.count_line", status=loc.status(status), count=len(items)))
    w(f"  {loc.t('report.total')}: {_total_text(assessment, loc)}")
    if not assessment.shown:
        w(loc.t("report.none"))
    for status, items in _sections(assessment):
        w("")
        w(f"## {loc.status(status)} ({len(items)})")
        for n, r in enumerate(items, 1):
            p = r.policy
            w("")
            w(f"{n}. {clean(title(r, loc))}  [{loc.kind(p.kind)}]")
            w(f"   {loc.t('report.amount')}: {loc.amount(r.amount)}")
            if r.amount is not None:
                w(f"   {loc.t('report.basis')}: {clean(loc.basis(r.amount, cat))}")
            w(f"   {loc.t('report.validity')}: {validity(r, loc)}")
            group = _group_line(r, assessment, loc)
            if group:
                w(f"   {clean(group)}")
            w(f"   {loc.t('report.why')}:")
            for line in _reasons(r, assessment, loc):
                w(f"     {clean(line)}")
            if r.missing:
                w(f"   {loc.t('report.missing')}: {clean('、'.join(_missing(r, assessment, loc)) if loc.zh else ', '.join(_missing(r, assessment, loc)))}")
            if status in ("eligible", "possible", "near_miss"):
                w(f"   {loc.t('report.steps')}:")
                for i, step in enumerate(loc.policy_list(p, "steps"), 1):
                    w(f"     {i}) {clean(step)}")
                if p.materials:
                    w(f"   {loc.t('report.materials')}: {clean(_join(loc, loc.policy_list(p, 'materials')))}")
            w(f"   {loc.t('report.agencies')}: {clean(loc.agencies(p.lead))}"
              + (f" ({loc.t('report.partners')}: {clean(loc.agencies(p.partners))})" if p.partners else ""))
            for s in p.sources:
                w(f"   {loc.t('report.source')}: 《{clean(s.doc.title)}》 {clean(s.article)}")
                w(f"     「{clean(s.quote)}」")
    w("")
    w(loc.t("report.disclaimer"))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Markdown

def render_md(assessment: Assessment, loc: Locale, name: str = "", warnings=()) -> str:
    cat = assessment.catalog
    out: list[str] = []
    w = out.append
    e = md_escape
    w(f"# {loc.t('report.title')}")
    w("")
    w(f"- **{loc.t('report.business')}**: {e(name) or loc.t('report.unnamed')}")
    w(f"- **{loc.t('report.as_of')}**: {loc.date(assessment.as_of)}")
    w(f"- **{loc.t('report.catalog')}**: {e(loc.t('report.catalog_line', version=cat.version, count=len(cat.policies)))}")
    for label, value, how in _derived_text(assessment, loc):
        w(f"- **{e(label)}**: {e(value)} ({e(how)})")
    for key, params in warnings:
        w(f"- ⚠ {e(loc.t(key, **params))}")
    w("")
    w(f"## {loc.t('report.summary')}")
    w("")
    w("| | |")
    w("| --- | ---: |")
    for status, items in _sections(assessment):
        w(f"| {loc.status(status)} | {len(items)} |")
    w(f"| {e(loc.t('report.total'))} | {e(_total_text(assessment, loc))} |")
    if not assessment.shown:
        w("")
        w(loc.t("report.none"))
    for status, items in _sections(assessment):
        w("")
        w(f"## {loc.status(status)} ({len(items)})")
        for n, r in enumerate(items, 1):
            p = r.policy
            w("")
            w(f"### {n}. {e(title(r, loc))}")
            w("")
            w(f"- **{loc.t('report.amount')}**: {e(loc.amount(r.amount))}")
            if r.amount is not None:
                w(f"- **{loc.t('report.basis')}**: {e(loc.basis(r.amount, cat))}")
            w(f"- **{loc.t('report.validity')}**: {e(validity(r, loc))}")
            group = _group_line(r, assessment, loc)
            if group:
                w(f"- {e(group)}")
            w(f"- **{loc.t('report.why')}**:")
            for line in _reasons(r, assessment, loc):
                w(f"  - {e(line)}")
            if status in ("eligible", "possible", "near_miss"):
                w(f"- **{loc.t('report.steps')}**:")
                for i, step in enumerate(loc.policy_list(p, "steps"), 1):
                    w(f"  {i}. {e(step)}")
                if p.materials:
                    w(f"- **{loc.t('report.materials')}**: {e(_join(loc, loc.policy_list(p, 'materials')))}")
            w(f"- **{loc.t('report.agencies')}**: {e(loc.agencies(p.lead + p.partners))}")
            for s in p.sources:
                w(f"- **{loc.t('report.source')}**: 《{e(s.doc.title)}》 {e(s.article)}")
                w(f"  > {e(s.quote)}")
    w("")
    w(f"*{loc.t('report.disclaimer')}*")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
@page { size: A4; margin: 11mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "SimSun", sans-serif; font-size: 10pt;
       line-height: 1.35; color: #000; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; border-bottom: 1px solid #000;
margin: 12pt 0 4pt; } h3 { font-size: 11pt; margin: 8pt 0 2pt; }
table { border-collapse: collapse; } td, th { padding: 1pt 6pt; text-align: left; vertical-align: top; }
.meta td:first-child { font-weight: bold; } .amount { font-weight: bold; }
.policy { break-inside: avoid; margin-bottom: 6pt; } .quote { color: #333; font-size: 9pt; margin: 2pt 0 0 1em; }
ul, ol { margin: 2pt 0; padding-left: 1.5em; } .small { font-size: 9pt; color: #333; }
table.rows { width: 100%; font-size: 8.5pt; } table.rows th { border-bottom: 1px solid #000; }
table.rows td { border-bottom: 1px solid #ccc; }
"""


DETAILED = 5   # the handout details this many top eligible supports,
QUOTE_CHARS = 90   # the handout's quotes are cut here (marked ……); reports carry them whole
LISTED = 8    # and lists this many more eligible ones as table rows,
SHORT = 5     # and this many of the possible and near-miss ones


def render_html(assessment: Assessment, loc: Locale, name: str = "", warnings=()) -> str:
    """A printable handout: one or two A4 pages for a typical client. The best eligible supports
    in full (amount, steps, agencies, source); the other eligible, possible and near-miss ones as
    table rows; expired and draft ones only counted (they are not available)."""
    cat = assessment.catalog
    h = lambda s: html.escape(clean(s))  # noqa: E731
    out: list[str] = []
    w = out.append
    lang = "zh-CN" if loc.zh else "en"
    w(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">')
    w(f"<title>{h(loc.t('report.title'))} - {h(name)}</title><style>{_CSS}</style></head><body>")
    w(f"<h1>{h(loc.t('report.title'))}</h1>")
    w('<table class="meta">')
    w(f"<tr><td>{h(loc.t('report.business'))}</td><td>{h(name) or h(loc.t('report.unnamed'))}</td>"
      f"<td>{h(loc.t('report.as_of'))}</td><td>{h(loc.date(assessment.as_of))}</td></tr>")
    derived = _derived_text(assessment, loc)
    w("<tr>" + "".join(f"<td>{h(label)}</td><td>{h(value)}</td>" for label, value, _ in derived[:2]) + "</tr>")
    w(f"<tr><td>{h(derived[2][0])}</td><td>{h(derived[2][1])}</td>"
      f"<td>{h(loc.t('report.catalog'))}</td><td>{h(loc.t('report.catalog_line', version=cat.version, count=len(cat.policies)))}</td></tr>")
    w("</table>")
    w(f"<p class=small>{h(derived[0][2])}</p>")
    for key, params in warnings:
        w(f"<p class=small>! {h(loc.t(key, **params))}</p>")
    counts = " · ".join(f"{h(loc.status(s))} {len(items)}" for s, items in _sections(assessment))
    w(f"<p><b>{h(loc.t('report.summary'))}</b>: {counts}<br>"
      f"{h(loc.t('report.total'))}: <span class=amount>{h(_total_text(assessment, loc))}</span></p>")
    if not assessment.shown:
        w(f"<p>{h(loc.t('report.none'))}</p>")

    eligible = assessment.by_status("eligible")
    detailed = eligible[:DETAILED]
    if detailed:
        w(f"<h2>{h(loc.status('eligible'))} ({len(eligible)})</h2>")
    for n, r in enumerate(detailed, 1):
        p = r.policy
        w('<div class="policy">')
        w(f"<h3>{n}. {h(title(r, loc))} <span class=amount>{h(loc.amount(r.amount))}</span></h3>")
        if r.amount is not None:
            w(f"<div class=small>{h(loc.basis(r.amount, cat))}</div>")
        w(f"<div class=small>{h(loc.t('report.validity'))}: {h(validity(r, loc))}"
          f" · {h(loc.t('report.lead'))}: {h(loc.agencies(p.lead))}</div>")
        group = _group_line(r, assessment, loc)
        if group:
            w(f"<div class=small>{h(group)}</div>")
        w("<ol>" + "".join(f"<li>{h(s)}</li>" for s in loc.policy_list(p, "steps")) + "</ol>")
        if p.materials:
            w(f"<div class=small>{h(loc.t('report.materials'))}: {h(_join(loc, loc.policy_list(p, 'materials')))}</div>")
        src = p.sources[0]
        quote = src.quote if len(src.quote) <= QUOTE_CHARS else src.quote[:QUOTE_CHARS] + "……"
        w(f"<div class=quote>《{h(src.doc.title)}》{h(src.article)}：「{h(quote)}」</div>")
        w("</div>")

    def table(status: str, items: list[Result], extra_head: str, extra, heading: bool = True) -> None:
        if not items:
            return
        if heading and status != "eligible":
            w(f"<h2>{h(loc.status(status))} ({len(assessment.by_status(status))})</h2>")
        w("<table class=rows>")
        w(f"<tr><th>{h(loc.t('report.policy'))}</th><th>{h(loc.t('report.amount'))}</th>"
          f"<th>{h(loc.t('report.agencies'))}</th><th>{h(extra_head)}</th></tr>")
        for r in items:
            w(f"<tr><td>{h(title(r, loc))}</td><td>{h(loc.amount(r.amount))}</td>"
              f"<td>{h(loc.agencies(r.policy.lead))}</td><td>{h(extra(r))}</td></tr>")
        w("</table>")

    sep = "、" if loc.zh else ", "
    table("eligible", eligible[DETAILED:DETAILED + LISTED], loc.t("report.first_step"),
          lambda r: loc.policy_list(r.policy, "steps")[0])
    if len(eligible) > DETAILED + LISTED:
        w(f"<p class=small>{h(loc.t('report.more', count=len(eligible) - DETAILED - LISTED))}</p>")
    possible = assessment.by_status("possible")
    if possible:
        # The handout names the questions that would settle them, most useful first.
        counts: dict[str, int] = {}
        for r in possible:
            for f in r.missing:
                counts[f] = counts.get(f, 0) + 1
        asks = sorted(counts, key=lambda f: -counts[f])
        w(f"<h2>{h(loc.status('possible'))} ({len(possible)})</h2>")
        w(f"<p>{h(loc.t('report.answer_these', count=len(possible)))} "
          + sep.join(f"{h(loc.fact_label(f, cat))} ({counts[f]})" for f in asks[:8]) + "</p>")
        table("possible", possible[:SHORT], loc.t("report.missing"),
              lambda r: sep.join(_missing(r, assessment, loc)), heading=False)
    near = assessment.by_status("near_miss")
    table("near_miss", near[:SHORT], loc.t("report.why"),
          lambda r: " ".join(loc.reason(o, cat, r.policy.id) for o in r.failing))
    rest = [(s, len(assessment.by_status(s))) for s in ("not_yet", "expired", "draft", "ineligible")
            if assessment.by_status(s)]
    if rest:
        w(f"<p class=small>{h(loc.t('report.not_listed', items=sep.join(f'{loc.status(s)} {n}' for s, n in rest)))}</p>")
    w(f"<p class=small>{h(loc.t('report.disclaimer'))}</p></body></html>")
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "md": render_md, "html": render_html}
