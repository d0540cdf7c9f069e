"""Reports of an assessment: the contract's JSON, plain text, Markdown and one printable HTML page.

Pure: no textual, no rich. All catalog and client text is escaped for the format it goes into.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from app.engine.assessment import SECTIONS, Assessment, Result
from app.i18n.locale import Locale

from app.engine.text import clean  # noqa: E402,F401  (untrusted text without control characters)


def md_escape(text: Any) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+\-!|~])", r"\\\1", clean(text))


def _period_text(per, loc: Locale) -> str:
    """One source's period in words: its dates, else how old its document is."""
    doc = per.source.doc
    if per.open_ended:
        text = loc.t("validity.open_ended")
        return (loc.t("validity.from", **{"from": loc.date(per.start)}) + "，" + text) if per.start and loc.zh else text
    if per.until and per.start:
        return loc.t("validity.from_until", **{"from": loc.date(per.start), "until": loc.date(per.until)})
    if per.until:
        return loc.t("validity.until", until=loc.date(per.until))
    if doc.issued:
        issued = loc.t("validity.issued", date=loc.date(doc.issued))
    elif doc.age_text:
        issued = loc.translated(f"document.{doc.id}.age_text", doc.age_text)
    else:
        issued = loc.t("validity.undated")
    return f"{loc.t('validity.unstated')} ({issued})" if not loc.zh else f"{loc.t('validity.unstated')}（{issued}）"


def validity(result: Result, loc: Locale) -> str:
    """When the measure holds: one period, or each document's where they differ (a measure stated
    by a 2022 plan and a standing policy holds while either does)."""
    p = result.policy
    periods = [per for per in p.periods() if not per.draft]
    if not periods:
        return loc.t("validity.draft")
    texts: dict[str, str] = {}
    for per in periods:
        doc = per.source.doc
        texts.setdefault(loc.translated(f"document.{doc.id}.title", doc.title), _period_text(per, loc))
    if len(set(texts.values())) == 1:
        return next(iter(texts.values()))
    sep = "；" if loc.zh else "; "
    return sep.join(loc.t("validity.source_period", doc=doc, period=text) for doc, text in texts.items())


def lapse_text(result: Result, loc: Locale) -> str:
    """Why a measure has probably stopped, with the words of its source that tie it to the past."""
    lapse = result.policy.lapse
    if result.status != "lapsed" or lapse is None:
        return ""
    reason = loc.translated(f"policy.{result.policy.id}.lapsed", lapse.reason)
    return loc.t("reason.lapsed", reason=reason, words="」「".join(lapse.words))


def agencies_text(names: list[str], catalog, loc: Locale) -> str:
    """Agencies as printed, with the current name beside a renamed one where a seed gives it."""
    out = []
    for n in names:
        info = catalog.agencies.get(n, {}) if catalog is not None else {}
        if info.get("current"):
            src = catalog.documents.get(info.get("source", ""))
            out.append(loc.t("report.agency_renamed", name=loc.agency(n), current=loc.agency(info["current"]),
                             source=src.title if src else ""))
        else:
            out.append(loc.agency(n))
    return ("、" if loc.zh else "; ").join(out)


def as_printed_note(result: Result, loc: Locale) -> str:
    """Agency names are as printed in the year of issue (sources before 2025)."""
    issued = result.policy.issued
    if issued is None or issued.year >= 2025:
        return ""
    return loc.t("report.agency_as_printed", year=issued.year)


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
        key = f"derived.{name}"
        if name == "size_class" and why.get("not_enterprise"):
            key = "derived.size_class_nonprofit"
        elif name == "size_class" and "industry" not in why:
            key = "derived.size_class_no_sector"
        if name == "size_class" and "industry" in why:
            params = {"industry": loc.t(f"industry.{why['industry_key']}") if loc.has(f"industry.{why.get('industry_key')}") else why["industry"],
                      "inputs": loc.join([loc.fact_label(f, cat) for f in why.get("inputs", [])])}
        out.append((loc.fact_label(name, cat), shown, loc.t(key, **params)))
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
            "valid": _valid(r, loc),
            "reasons": _reasons(r, assessment, loc),
            "missing": _missing(r, assessment, loc),
            # extensions
            "kind": p.kind,
            "summary": loc.policy_text(p, "summary"),
            "missing_facts": list(r.missing),
            "materials": loc.policy_list(p, "materials"),
            "group": None if not p.group else {
                "id": p.group, "title": group_title(cat.groups[p.group], loc), "choice": r.group_choice},
            "section": r.section,
            "section_title": loc.t(f"section.{r.section}"),
            "rank": None if r.rank is None else {
                "value": r.rank.value, "currency": r.rank.currency, "fit": r.rank.fit,
                "certainty": r.rank.certainty, "expected_yuan": r.rank.expected_yuan},
            "delivers": p.delivers or None,
            "concrete": p.concrete,
            "entities": list(p.entities) if p.entities else None,
            "lapsed": None if p.lapse is None or r.status != "lapsed" else {
                "since": p.lapse.since.isoformat(), "reason": p.lapse.reason, "words": list(p.lapse.words),
                "text": lapse_text(r, loc)},
            "periods": [{"document": per.source.doc.title, "article": per.source.article,
                         "from": per.start.isoformat() if per.start else None,
                         "until": per.until.isoformat() if per.until else None,
                         "open_ended": per.open_ended, "state": per.state(assessment.as_of)}
                        for per in p.periods()],
        }
        results.append(entry)
    totals = assessment.totals("apply_now")
    return {
        "as_of": assessment.as_of.isoformat(),
        "sections": [{"id": key, "title": loc.t(f"section.{key}"), "count": len(items)}
                     for key, items in sections(assessment)],
        "totals": {"section": "apply_now",
                   "per_period": {k: {"min": v[0], "max": v[1], "currency": "CNY"}
                                  for k, v in totals.per_period.items()},
                   "unstated": totals.unstated, "text": totals_text(assessment, loc)},
        "catalog": {"version": cat.version, "policies": len(cat.policies),
                    "date": cat.date.isoformat() if cat.date else None},
        "profile": {"derived": derived,
                    "derived_from": {k: v.get("from", []) for k, v in assessment.derived_from.items()}},
        "results": results,
    }


def _valid(r: Result, loc: Locale) -> dict:
    start, until = r.policy.span()
    return {"from": start.isoformat() if start else None,
            "until": until.isoformat() if until else None,
            "open_ended": r.policy.open_ended, "stated": bool(until or r.policy.open_ended),
            "text": validity(r, loc)}


def render_json(assessment: Assessment, loc: Locale) -> str:
    return json.dumps(to_json(assessment, loc), ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- shared structure

def _join(loc: Locale, items: list[str]) -> str:
    return ("、" if loc.zh else "; ").join(items)


FOLDED = ("channels", "ended", "ineligible")


def sections(assessment: Assessment) -> list[tuple[str, list[Result]]]:
    """The answer's sections in order, the non-empty ones (assess.SECTIONS)."""
    return [(s, assessment.by_section(s)) for s in SECTIONS if assessment.by_section(s)]


def status_counts(items: list[Result], loc: Locale) -> str:
    counts: dict[str, int] = {}
    for r in items:
        counts[r.status] = counts.get(r.status, 0) + 1
    sep = "、" if loc.zh else ", "
    return sep.join(f"{loc.status(s)} {n}" for s, n in counts.items())


def totals_text(assessment: Assessment, loc: Locale) -> str:
    """What the apply-now section is worth: per period (never added across periods), as a range,
    with the number of items whose source states no figure. Never a bare 0."""
    items = assessment.by_section("apply_now")
    if not items:
        return loc.t("totals.none")
    t = assessment.totals("apply_now")
    if t.empty:
        return loc.t("totals.all_unstated", count=t.unstated)
    parts = []
    for period in ("once", "year", "month"):
        if period in t.per_period:
            lo, hi = t.per_period[period]
            money = loc.money(hi) if lo == hi else (
                loc.t("amount.up_to", max=loc.money(hi)) if lo == 0 else
                loc.t("amount.between", min=loc.money(lo), max=loc.money(hi)))
            parts.append(loc.t(f"totals.{period}", amount=money))
    text = loc.t("totals.sep").join(parts)
    if t.unstated:
        text += loc.t("totals.sep") + loc.t("totals.unstated", count=t.unstated)
    return text


def _group_line(r: Result, assessment: Assessment, loc: Locale) -> str:
    if not r.policy.group:
        return ""
    g = group_title(assessment.catalog.groups[r.policy.group], loc)
    if r.group_choice:
        return f"{loc.t('report.group')}: {g} · {loc.t('report.group_choice')}"
    return f"{loc.t('report.group')}: {g}"


def group_title(group, loc: Locale) -> str:
    return loc.translated(f"group.{group.id}.title", group.title)


# ---------------------------------------------------------------- one report model

@dataclass
class Item:
    """One result as every format shows it (plain text; each renderer escapes for its format)."""
    id: str
    title: str
    status: str
    kind: str
    amount: str
    basis: str
    validity: str
    lapse: str
    group: str
    reasons: list[str]
    missing: list[str]
    steps: list[str]
    materials: list[str]
    lead: str
    agencies: str
    as_printed: str
    sources: list[tuple[str, str, str]]     # (document title, article, quote)
    failing: list[str]


@dataclass
class Part:
    key: str
    title: str
    items: list[Item]
    folded: bool
    counts: str        # for folded parts: per status


@dataclass
class Report:
    title: str
    meta: list[tuple[str, str]]               # (label, value)
    derived: list[tuple[str, str, str]]       # (label, value, how)
    warnings: list[str]
    summary: list[tuple[str, int]]            # (section title, count)
    total_label: str
    total: str
    parts: list[Part]
    asks: list[tuple[str, int]]               # facts that settle the confirm section, most first
    disclaimer: str
    empty: str


def build_report(assessment: Assessment, loc: Locale, name: str = "", warnings=()) -> Report:
    cat = assessment.catalog

    def item(r: Result) -> Item:
        p = r.policy
        return Item(
            id=p.id, title=clean(title(r, loc)), status=r.status, kind=loc.kind(p.kind),
            amount=loc.amount(r.amount, cat), basis=clean(loc.basis(r.amount, cat)) if r.amount else "",
            validity=clean(validity(r, loc)), lapse=clean(lapse_text(r, loc)),
            group=clean(_group_line(r, assessment, loc)),
            reasons=[clean(x) for x in _reasons(r, assessment, loc)],
            missing=[clean(x) for x in _missing(r, assessment, loc)],
            steps=[clean(x) for x in loc.policy_list(p, "steps")],
            materials=[clean(x) for x in loc.policy_list(p, "materials")],
            lead=clean(agencies_text(p.lead, cat, loc)),
            agencies=clean(agencies_text(p.lead, cat, loc))
            + (f" ({loc.t('report.partners')}: {clean(loc.agencies(p.partners))})" if p.partners else ""),
            as_printed=as_printed_note(r, loc),
            sources=[(clean(s.doc.title), clean(s.article), clean(s.quote)) for s in p.sources],
            failing=[clean(loc.reason(o, cat, p.id)) for o in r.failing])

    parts = []
    for key, results in sections(assessment):
        parts.append(Part(key, loc.t(f"section.{key}"), [item(r) for r in results],
                          key in FOLDED, status_counts(results, loc)))
    counts: dict[str, int] = {}
    for r in assessment.by_section("confirm"):
        for f in r.missing:
            counts[f] = counts.get(f, 0) + 1
    asks = [(clean(loc.fact_label(f, cat)), n) for f, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    return Report(
        title=loc.t("report.title"),
        meta=[(loc.t("report.business"), clean(name) or loc.t("report.unnamed")),
              (loc.t("report.as_of"), loc.date(assessment.as_of)),
              (loc.t("report.catalog"), clean(loc.t("report.catalog_line", version=cat.version,
                                                         count=len(cat.policies))))],
        derived=[(clean(a), clean(b), clean(c)) for a, b, c in _derived_text(assessment, loc)],
        warnings=[clean(loc.t(key, **params)) for key, params in warnings],
        summary=[(p.title, len(p.items)) for p in parts],
        total_label=loc.t("totals.head"), total=totals_text(assessment, loc),
        parts=parts, asks=asks, disclaimer=loc.t("report.disclaimer"), empty=loc.t("report.none"))


def item_blocks(it: Item, loc: Locale) -> list[tuple]:
    """One result's detail, in order, as blocks every text format renders its own way:
    ("field", label, value), ("note", text), ("list", label, lines, numbered),
    ("source", document, article, quote)."""
    t = loc.t
    out: list[tuple] = [("field", t("report.amount"), it.amount)]
    if it.basis:
        out.append(("field", t("report.basis"), it.basis))
    out.append(("field", t("report.validity"), it.validity))
    if it.group:
        out.append(("note", it.group))
    out.append(("list", t("report.why"), it.reasons, False))
    if it.missing:
        out.append(("field", t("report.missing"), _join(loc, it.missing)))
    out.append(("list", t("report.steps"), it.steps, True))
    if it.materials:
        out.append(("field", t("report.materials"), _join(loc, it.materials)))
    out.append(("field", t("report.agencies"), it.agencies))
    if it.as_printed:
        out.append(("note", it.as_printed))
    out += [("source", doc, art, quote) for doc, art, quote in it.sources]
    return out


# How each text format writes a block: field, note, list head, numbered line, bullet line,
# source head, quote. ``{a}``/``{b}`` are the block's escaped parts.
TEXT_FORMAT = ("   {a}: {b}", "   {a}", "   {a}:", "     {i}) {a}", "     {a}", "   {s}: 《{a}》 {b}", "     「{a}」")
MD_FORMAT = ("- **{a}**: {b}", "- {a}", "- **{a}**:", "  {i}. {a}", "  - {a}", "- **{s}**: 《{a}》 {b}", "  > {a}")


def block_lines(blocks: list[tuple], fmt: tuple, esc, loc: Locale) -> list[str]:
    field, note, head, numbered, bullet, source, quote = fmt
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "field":
            out.append(field.format(a=esc(block[1]), b=esc(block[2])))
        elif kind == "note":
            out.append(note.format(a=esc(block[1])))
        elif kind == "list":
            out.append(head.format(a=esc(block[1])))
            out += [(numbered if block[3] else bullet).format(i=i, a=esc(line))
                    for i, line in enumerate(block[2], 1)]
        else:
            out.append(source.format(s=esc(loc.t("report.source")), a=esc(block[1]), b=esc(block[2])))
            out.append(quote.format(a=esc(block[3])))
    return out


# ---------------------------------------------------------------- text

def render_text(assessment: Assessment, loc: Locale, name: str = "", warnings=()) -> str:
    rep = build_report(assessment, loc, name, warnings)
    out: list[str] = []
    w = out.append
    w(rep.title)
    w("=" * 40)
    for label, value in rep.meta:
        w(f"{label}: {value}")
    w("")
    w(loc.t("report.derived") + ":")
    for label, value, how in rep.derived:
        w(f"  {label}: {value}  ({how})")
    for line in rep.warnings:
        w(f"  ! {line}")
    w("")
    w(loc.t("report.summary") + ":")
    for title_, count in rep.summary:
        w("  " + loc.t("report.count_line", status=title_, count=count))
    w(f"  {rep.total_label}: {rep.total}")
    if not rep.parts:
        w(rep.empty)
    for part in rep.parts:
        w("")
        w(f"## {part.title} ({len(part.items)})")
        if part.folded:
            w(f"   {part.counts}")
        for n, it in enumerate(part.items, 1):
            w("")
            w(f"{n}. {it.title}  [{it.kind}]")
            if part.folded:
                w(f"   {loc.t('report.validity')}: {it.validity}")
                if it.lapse:
                    w(f"   {it.lapse}")
                continue
            out += block_lines(item_blocks(it, loc), TEXT_FORMAT, str, loc)
    w("")
    w(rep.disclaimer)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Markdown

def render_md(assessment: Assessment, loc: Locale, name: str = "", warnings=()) -> str:
    rep = build_report(assessment, loc, name, warnings)
    out: list[str] = []
    w = out.append
    e = md_escape
    w(f"# {e(rep.title)}")
    w("")
    for label, value in rep.meta:
        w(f"- **{e(label)}**: {e(value)}")
    for label, value, how in rep.derived:
        w(f"- **{e(label)}**: {e(value)} ({e(how)})")
    for line in rep.warnings:
        w(f"- ⚠ {e(line)}")
    w("")
    w(f"## {e(loc.t('report.summary'))}")
    w("")
    w("| | |")
    w("| --- | ---: |")
    for title_, count in rep.summary:
        w(f"| {e(title_)} | {count} |")
    w(f"| {e(rep.total_label)} | {e(rep.total)} |")
    if not rep.parts:
        w("")
        w(e(rep.empty))
    for part in rep.parts:
        w("")
        w(f"## {e(part.title)} ({len(part.items)})")
        if part.folded:
            w("")
            w(e(part.counts))
            w("")
            for it in part.items:
                w(f"- {e(it.title)} — {e(it.validity)}" + (f" — {e(it.lapse)}" if it.lapse else ""))
            continue
        for n, it in enumerate(part.items, 1):
            w("")
            w(f"### {n}. {e(it.title)}")
            w("")
            out += block_lines(item_blocks(it, loc), MD_FORMAT, e, loc)
    w("")
    w(f"*{e(rep.disclaimer)}*")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- HTML

# Fonts: Windows stations have Microsoft YaHei / SimSun / SimHei; Linux ones Noto Sans CJK SC or
# WenQuanYi. Without any CJK font the browser falls back to its own and Chinese may print as boxes.
_CSS = """
@page { size: A4; margin: 10mm 12mm; }
body { font-family: "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
       "WenQuanYi Micro Hei", "SimHei", "SimSun", "PingFang SC", sans-serif; font-size: 9.5pt;
       line-height: 1.3; color: #000; max-width: 186mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 3pt; } h2 { font-size: 11.5pt; border-bottom: 1px solid #000;
margin: 8pt 0 3pt; break-after: avoid; } h3 { font-size: 10.5pt; margin: 5pt 0 1pt; break-after: avoid; }
table { border-collapse: collapse; } td, th { padding: 0.5pt 5pt; text-align: left; vertical-align: top; }
.meta td:nth-child(odd) { font-weight: bold; } .amount { font-weight: bold; }
.policy { break-inside: avoid; margin-bottom: 4pt; } .quote { color: #333; font-size: 8.5pt; margin: 1pt 0 0 1em; }
ol { margin: 1pt 0; padding-left: 1.5em; } .small { font-size: 8.5pt; color: #222; }
table.rows { width: 100%; font-size: 8.5pt; break-inside: auto; } table.rows th { border-bottom: 1px solid #000; }
table.rows thead { display: table-header-group; } table.rows tr { break-inside: avoid; }
table.rows td { border-bottom: 1px solid #ccc; } .keep { break-inside: avoid; }
"""

QUOTE_CHARS = 80   # the handout's quotes are cut here (marked ……); reports carry them whole
DETAILED = 8       # the handout details at most this many apply-now items,
SHORT = 6          # and lists this many confirm / pursue items as table rows


def render_html(assessment: Assessment, loc: Locale, name: str = "", warnings=()) -> str:
    """The one-page handout: the apply-now items in full (amount, steps, agency, materials, the
    quote), the confirm and pursue items as short tables with what is missing, the rest as counts;
    the catalog version and as-of date."""
    rep = build_report(assessment, loc, name, warnings)
    h = html.escape
    out: list[str] = []
    w = out.append
    lang = "zh-CN" if loc.zh else "en"
    w(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">')
    w(f"<title>{h(rep.title)} - {h(clean(name))}</title><style>{_CSS}</style></head><body>")
    w(f"<h1>{h(rep.title)}</h1>")
    w('<table class="meta">')
    cells = rep.meta + [(label, value) for label, value, _ in rep.derived[:3]]
    for i in range(0, len(cells), 3):
        w("<tr>" + "".join(f"<td>{h(a)}</td><td>{h(b)}</td>" for a, b in cells[i:i + 3]) + "</tr>")
    w("</table>")
    for line in rep.warnings:
        w(f"<p class=small>! {h(line)}</p>")
    w(f"<p><b>{h(rep.total_label)}</b>: <span class=amount>{h(rep.total)}</span></p>")
    if not rep.parts:
        w(f"<p>{h(rep.empty)}</p>")
    parts = {p.key: p for p in rep.parts}
    now = parts.get("apply_now")
    printed = ""
    if now:
        w(f"<h2>{h(now.title)} ({len(now.items)})</h2>")
        for n, it in enumerate(now.items[:DETAILED], 1):
            w('<div class="policy">')
            w(f"<h3>{n}. {h(it.title)} <span class=amount>{h(it.amount)}</span></h3>")
            if it.basis:
                w(f"<div class=small>{h(it.basis)}</div>")
            w(f"<div class=small>{h(loc.t('report.validity'))}: {h(it.validity)}"
              f" · {h(loc.t('report.lead'))}: {h(it.lead)}</div>")
            if it.group:
                w(f"<div class=small>{h(it.group)}</div>")
            w("<ol>" + "".join(f"<li>{h(s)}</li>" for s in it.steps) + "</ol>")
            if it.materials:
                w(f"<div class=small>{h(loc.t('report.materials'))}: {h(_join(loc, it.materials))}</div>")
            doc, art, quote = it.sources[0]
            quote = quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS] + "……"
            w(f"<div class=quote>《{h(doc)}》{h(art)}：「{h(quote)}」</div>")
            w("</div>")
            printed = printed or it.as_printed
        if len(now.items) > DETAILED:
            w(f"<p class=small>{h(loc.t('report.more', count=len(now.items) - DETAILED))}</p>")

    def table(part, head: str, extra) -> None:
        if not part:
            return
        w('<div class="keep">')
        w(f"<h2>{h(part.title)} ({len(part.items)})</h2>")
        w(f"<table class=rows><thead><tr><th>{h(loc.t('report.policy'))}</th><th>{h(loc.t('report.worth'))}</th>"
          f"<th>{h(head)}</th></tr></thead><tbody>")
        for it in part.items[:SHORT]:
            w(f"<tr><td>{h(it.title)}</td><td>{h(it.amount)}</td><td>{h(extra(it))}</td></tr>")
        w("</tbody></table></div>")
        if len(part.items) > SHORT:
            w(f"<p class=small>{h(loc.t('report.more', count=len(part.items) - SHORT))}</p>")

    sep = "、" if loc.zh else ", "
    table(parts.get("confirm"), loc.t("report.settle"), lambda it: sep.join(it.missing[:2]))
    table(parts.get("pursue"), loc.t("report.gap"), lambda it: " ".join(it.failing))
    rest = [f"{p.title} {len(p.items)}" for p in rep.parts if p.folded]
    if rest:
        w(f"<p class=small>{h(loc.t('report.counts_rest', items=sep.join(rest)))}</p>")
    if printed:
        w(f"<p class=small>{h(printed)}</p>")
    w(f"<p class=small>{h(rep.disclaimer)}</p></body></html>")
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "md": render_md, "html": render_html}
