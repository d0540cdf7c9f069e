"""Results: the answer's sections (apply now, confirm, pursue, channels, ended), ranked, with the
apply-now total per period; filters and search.

Channels and ended measures come last and start folded, with their counts.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from rich.table import Table
from rich.text import Text

from app.engine.assessment import SECTIONS
from app.render.report import FOLDED, clean, lapse_text, title as policy_title, totals_text

total_text = totals_text      # one wording of the total, as the reports and the handout

from .base import HuiqiScreen, title_bar
from .text import join, plain, screen_text
from .widgets import KeyBar, TextField

ORDER = [s for s in SECTIONS if s != "ineligible"]
STYLE = {"apply_now": "bold $success", "confirm": "bold $warning", "pursue": "bold $accent",
         "channels": "bold", "ended": "bold $text-muted"}


def matches(result, loc, kind, agency, words: str) -> bool:
    p = result.policy
    if kind and p.kind != kind:
        return False
    if agency and agency not in p.lead + p.partners:
        return False
    if words:
        hay = " ".join([p.title, policy_title(result, loc), p.summary, loc.policy_text(p, "summary"),
                        loc.kind(p.kind), *p.lead, *p.partners, *(loc.agency(a) for a in p.lead + p.partners),
                        p.id]).lower()
        return all(w in hay for w in words.lower().split())
    return True


class ResultsList(OptionList):
    """The results, grouped by section, as its screen hands them down (``show``); a choice is
    posted up: ``Opened(policy_id)`` or ``Toggled(section)`` (fold or unfold a section)."""

    class Opened(Message):
        def __init__(self, policy_id: str):
            super().__init__()
            self.policy_id = policy_id

    class Toggled(Message):
        def __init__(self, section: str):
            super().__init__()
            self.section = section

    loc = None
    catalog = None

    def show(self, a, loc, catalog, kind: str | None, agency: str | None, words: str,
             unfolded: set[str]) -> None:
        """Show the assessment's results that pass the filters, by section."""
        self.loc, self.catalog = loc, catalog
        old = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option] = []
        for status in ORDER:
            items = [r for r in a.by_section(status) if matches(r, loc, kind, agency, words)]
            if not items:
                continue
            folded = status in FOLDED and status not in unfolded and not words
            head = loc.t("ui.results.group", status=loc.t(f"section.{status}"), count=len(items))
            if status in FOLDED:
                mark = "[+] " if folded else "[-] "
                hint = loc.t("ui.results.unfold" if folded else "ui.results.fold")
                options.append(Option(join((mark + head, STYLE[status]), ("  " + hint, "dim")),
                                      id=f"toggle:{status}"))
            else:
                options.append(Option(plain(head, STYLE[status]), id=f"head:{status}", disabled=True))
            if folded:
                continue
            for n, r in enumerate(items, 1):
                options.append(Option(self._row(n, r), id=f"policy:{r.policy.id}"))
        if not options:
            options.append(Option(plain(loc.t("ui.results.nothing")), id="head:none", disabled=True))
        self.clear_options()
        self.add_options(options)
        ids = [o.id for o in options]
        if old in ids:
            self.highlighted = ids.index(old)
        else:
            self.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    def _row(self, n: int, r) -> Table:
        """Number, then title and a dim line under it, wrapped with a hanging indent."""
        loc, catalog = self.loc, self.catalog
        p = r.policy
        amount = loc.amount(r.amount, catalog)
        second = [amount, loc.kind(p.kind)]
        if r.section == "confirm" and r.missing:
            second = [amount, loc.t("ui.results.needs", facts=loc.join(
                [loc.fact_label(f, catalog) for f in r.missing[:2]]))]
        elif r.section == "pursue" and r.failing:
            second = [amount, loc.reason(r.failing[0], catalog, p.id)]
        elif r.section == "ended":
            second = [loc.status(r.status)] + ([lapse_text(r, loc)] if r.status == "lapsed" else [])
        elif p.lead:
            second.append(loc.agency(p.lead[0]))
        if r.policy.group and r.group_choice is False:
            second.append(loc.t("ui.results.group_other"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right", no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(f"{n}.", Text.assemble((screen_text(policy_title(r, loc)), "bold"), "\n",
                                            (screen_text(loc.t("ui.sep").join(second)), "dim")))
        return grid

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option_id or ""
        if oid.startswith("toggle:"):
            self.post_message(self.Toggled(oid.split(":", 1)[1]))
        elif oid.startswith("policy:"):
            self.post_message(self.Opened(oid.split(":", 1)[1]))


class ResultsScreen(HuiqiScreen):
    PLACE = "results"

    def __init__(self):
        super().__init__()
        self.unfolded: set[str] = set()
        self.kind: str | None = None
        self.agency: str | None = None
        self.words = ""

    def compose(self) -> ComposeResult:
        loc = self.loc
        yield from title_bar(loc.t("ui.results.title"))
        yield Static(id="results-summary")
        with Horizontal(id="results-filters"):
            yield Select([], prompt=loc.t("ui.results.all_kinds") + " ^t", id="filter-kind", compact=True)
            yield Select([], prompt=loc.t("ui.results.all_agencies") + " ^g", id="filter-agency", compact=True)
            yield TextField(value=self.words, placeholder=loc.t("ui.results.search"), id="filter-search",
                        compact=True)
        yield ResultsList(id="results-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#results-list").focus()

    def on_screen_resume(self) -> None:
        self.refresh_results()

    async def rebuilt(self) -> None:
        self.refresh_results()
        self.query_one("#results-list").focus()

    def refresh_results(self) -> None:
        """Assess the current answers and show them (after any change)."""
        app, loc = self.huiqi, self.loc
        if app.catalog is None or not self.query("#results-list"):
            return
        a = app.assessment()
        counts = {s: len(a.by_section(s)) for s in ORDER}
        name = app.session.name
        self.query_one("#titlebar").show(loc.t("ui.results.title"),
                                         (name + "  " if name else "") + loc.date(app.as_of))
        summary = [loc.t("ui.results.count", status=loc.t(f"section.{s}"), count=counts[s])
                   for s in ("apply_now", "confirm", "pursue") if counts[s] or s == "apply_now"]
        self.query_one("#results-summary", Static).update(join(
            loc.t("ui.sep").join(summary), "\n",
            (loc.t("ui.results.total", amount=totals_text(a, loc)), "bold")))
        self._fill_filters(a)
        self._fill_list()

    def _fill_filters(self, a) -> None:
        loc = self.loc
        kinds = sorted({r.policy.kind for r in a.shown}, key=lambda k: loc.kind(k))
        agencies: dict[str, int] = {}
        for r in a.shown:
            for name in r.policy.lead:
                agencies[name] = agencies.get(name, 0) + 1
        kind_select = self.query_one("#filter-kind", Select)
        agency_select = self.query_one("#filter-agency", Select)
        with kind_select.prevent(Select.Changed), agency_select.prevent(Select.Changed):
            kind_select.set_options([(Text(loc.kind(k)), k) for k in kinds])
            agency_select.set_options([(Text(clean(loc.agency(n))), n)
                                       for n in sorted(agencies, key=lambda n: (-agencies[n], n))])
            if self.kind in kinds:
                kind_select.value = self.kind
            else:
                self.kind = None
            if self.agency in agencies:
                agency_select.value = self.agency
            else:
                self.agency = None

    def _fill_list(self) -> None:
        self.query_one("#results-list", ResultsList).show(
            self.huiqi.assessment(), self.loc, self.huiqi.catalog, self.kind, self.agency, self.words,
            self.unfolded)

    # ------------------------------------------------------------ events
    def on_results_list_toggled(self, event: "ResultsList.Toggled") -> None:
        event.stop()
        self.unfolded ^= {event.section}
        self._fill_list()

    def on_results_list_opened(self, event: "ResultsList.Opened") -> None:
        event.stop()
        from .detail import DetailScreen
        self.app.push_screen(DetailScreen(event.policy_id))

    @on(Select.Changed, "#filter-kind")
    def _kind(self, event: Select.Changed) -> None:
        self.kind = None if event.value is Select.NULL else event.value
        self._fill_list()

    @on(Select.Changed, "#filter-agency")
    def _agency(self, event: Select.Changed) -> None:
        self.agency = None if event.value is Select.NULL else event.value
        self._fill_list()

    @on(Input.Changed, "#filter-search")
    def _search(self, event: Input.Changed) -> None:
        self.words = event.value.strip()
        self._fill_list()

    @on(Input.Submitted, "#filter-search")
    def _search_done(self) -> None:
        self.query_one("#results-list").focus()

    def _focus(self, selector: str) -> None:
        found = self.query(selector)      # keys may arrive before the screen is built
        if found:
            found.first().focus()

    def action_focus_kind(self) -> None:
        self._focus("#filter-kind")

    def action_focus_agency(self) -> None:
        self._focus("#filter-agency")

    def action_focus_search(self) -> None:
        self._focus("#filter-search")

    def action_back(self) -> None:
        listing = self.query("#results-list")
        if listing and self.focused is not listing.first():
            listing.first().focus()
            return
        self.app.pop_screen()

    def action_whatif(self) -> None:
        from .whatif import WhatIfScreen
        self.app.push_screen(WhatIfScreen(), lambda _: self.refresh_results())
