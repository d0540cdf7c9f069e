"""Detail of one support: what the business gets and why, how to apply, and the source."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from app.render.report import group_title, lapse_text, title as policy_title, validity

from .base import HuiqiScreen, title_bar
from .results import STYLE
from .text import join, plain
from .widgets import KeyBar

WARNINGS = {"expired": "ui.detail.expired", "draft": "ui.detail.draft", "not_yet": "ui.detail.not_yet",
            "lapsed": "ui.detail.lapsed",
            "near_miss": "ui.detail.near_miss", "possible": "ui.detail.possible"}


class DetailScreen(HuiqiScreen):
    PLACE = "detail"

    def __init__(self, policy_id: str):
        super().__init__()
        self.policy_id = policy_id

    def compose(self) -> ComposeResult:
        yield from title_bar(self.loc.t("ui.detail.title"))
        with VerticalScroll(id="detail-body"):
            yield from self._blocks()
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()

    def _result(self):
        a = self.huiqi.assessment()
        return next((r for r in a.results if r.policy.id == self.policy_id), None), a

    def _blocks(self):
        app, loc = self.huiqi, self.loc
        cat = app.catalog
        r, a = self._result()
        if r is None:
            yield Static(plain(loc.t("ui.detail.gone")))
            return
        p = r.policy

        def head(key: str) -> Static:
            return Static(plain(loc.t(key), "bold $primary"), classes="detail-head")

        def body(text, style: str = "") -> Static:
            return Static(text if not isinstance(text, str) else plain(text, style), classes="detail-text")

        def field(key: str, value, style: str = "") -> Static:
            sep = "：" if loc.zh else ": "
            return Static(join((loc.t(key) + sep, "bold $primary"), (value, style)), classes="detail-field")

        yield Static(plain(policy_title(r, loc), "bold"), id="detail-title")
        yield Static(join((loc.status(r.status), STYLE.get(r.status, "bold")), loc.t("ui.sep"),
                          loc.kind(p.kind)), id="detail-status")
        if r.status in WARNINGS:
            yield Static(plain(loc.t(WARNINGS[r.status]), "bold" if r.status in ("expired", "draft", "lapsed") else ""),
                         classes=f"detail-warning -{r.status}")
        if r.status == "lapsed":
            yield Static(plain(lapse_text(r, loc)), classes="detail-warning -lapsed")
        summary = loc.policy_text(p, "summary")
        yield field("ui.detail.gets", summary)
        yield field("report.amount", loc.amount(r.amount, cat), "bold")
        if r.amount is not None:
            yield field("report.basis", loc.basis(r.amount, cat))
            if r.amount.needs:
                yield body(loc.t("ui.detail.amount_needs", facts=loc.join(
                    [loc.fact_label(f, cat) for f in r.amount.needs])), "dim")
        yield field("report.validity", validity(r, loc))
        yield head("ui.detail.conditions")
        for i, outcome in enumerate(r.outcomes):
            style = {True: "$success", False: "$error", None: "$warning"}[outcome.value]
            text = loc.reason(outcome, cat, p.id, i)
            mark, rest = text[:1], text[1:]
            yield Static(join((mark, f"bold {style}"), rest), classes="detail-reason")
        if r.missing:
            yield head("report.missing")
            yield body(loc.join([loc.fact_label(f, cat) for f in r.missing]))
        if r.status == "near_miss" and r.failing:
            yield head("ui.detail.to_qualify")
            for o in r.failing:
                yield body(loc.describe(o.cond, cat, p.id))
        if p.group and p.group in cat.groups:
            g = cat.groups[p.group]
            yield head("report.group")
            choice = loc.t("report.group_choice") if r.group_choice else loc.t("ui.detail.group_other")
            yield body(join(group_title(g, loc), "\n", (choice, "dim")))
        yield head("report.steps")
        for i, step in enumerate(loc.policy_list(p, "steps"), 1):
            yield body(f"{i}. {step}")
        if p.materials:
            yield head("report.materials")
            for m in loc.policy_list(p, "materials"):
                yield body(f"- {m}")
        yield head("report.agencies")
        yield field("report.lead", loc.agencies(p.lead))
        if p.partners:
            yield field("report.partners", loc.agencies(p.partners))
        yield head("report.source")
        for s in p.sources:
            yield body(join((f"《{s.doc.title}》 {s.article}", "bold")))
            if s.doc.issued:
                yield body(loc.t("validity.issued", date=loc.date(s.doc.issued)), "dim")
            yield Static(plain(f"「{s.quote}」", verbatim=True), classes="detail-quote")
        if p.note:
            yield head("ui.detail.note")
            yield body(loc.policy_text(p, "note"))

    async def rebuilt(self) -> None:
        self.query_one("#detail-body").focus()

    def refresh_detail(self) -> None:
        self.run_worker(self.recompose(), exclusive=True, group="detail")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_whatif(self) -> None:
        from .whatif import WhatIfScreen
        self.app.push_screen(WhatIfScreen(), lambda _: self.refresh_detail())
