"""Home: start a new assessment, resume, saved clients, review, switch language, help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .base import HuiqiScreen, title_bar
from .messages import CatalogLoaded
from .text import join, plain
from .widgets import KeyBar


class HomeScreen(HuiqiScreen):
    PLACE = "home"

    def compose(self) -> ComposeResult:
        loc = self.loc
        yield from title_bar(loc.t("app.tagline"))
        with Vertical(id="home-body"):
            yield Static(plain(loc.t("ui.home.intro")), id="home-intro")
            yield OptionList(*self._options(), id="home-menu")
            yield Static(id="home-catalog")
        yield KeyBar()

    def _options(self) -> list[Option]:
        loc, app = self.loc, self.huiqi
        started = app.session.started
        ready = app.catalog is not None
        items = [
            ("new", "F3", loc.t("ui.home.new"), not ready and bool(app.catalog_problems)),
            ("resume", "F4", loc.t("ui.home.resume"), not started),
            ("clients", "F5", loc.t("ui.home.clients"), not ready),
            ("review", "F6", loc.t("ui.home.review"), not ready),
            ("results", "F7", loc.t("ui.home.results"), not (started and ready)),
            ("language", "F2", loc.t("ui.home.language"), False),
            ("help", "F1", loc.t("ui.home.help"), False),
            ("quit", "^q", loc.t("ui.home.quit"), False),
        ]
        return [Option(join((f"{key:>3}  ", "dim"), label), id=oid, disabled=disabled)
                for oid, key, label, disabled in items]

    def on_mount(self) -> None:
        self.show_state()
        self.call_after_refresh(self.huiqi.home_painted)

    def on_screen_resume(self) -> None:
        self.show_state()

    def on_catalog_loaded(self, message: CatalogLoaded) -> None:
        self.show_state()

    async def rebuilt(self) -> None:
        self.show_state()
        self.query_one("#home-menu").focus()

    def show_state(self) -> None:
        """Refresh the menu and the catalog line (shown, or the catalog has been read)."""
        if not self.is_mounted:
            return
        app, loc = self.huiqi, self.loc
        menu = self.query_one("#home-menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(self._options())
        if highlighted is not None:
            menu.highlighted = highlighted
        info = self.query_one("#home-catalog", Static)
        if app.catalog is not None:
            cat = app.catalog
            source = app.catalog_source
            parts = [loc.t("ui.home.catalog", version=cat.version, date=loc.date(cat.date),
                           count=len(cat.policies))]
            if source in ("installed", "last_good"):
                parts.append(loc.t("ui.home.catalog_from", source=loc.t(f"store.source.{source}")))
            parts += ["\n", loc.t("ui.home.as_of", date=loc.date(app.as_of))]
            if app.catalog_notices:
                parts += ["\n", (loc.t("ui.home.catalog_fallback"), "bold $warning")]
            info.update(join(*parts))
        elif app.catalog_problems:
            info.update(plain(loc.t("ui.home.catalog_broken"), "bold $error"))
            if not any(type(s).__name__ == "CatalogProblemScreen" for s in app.screen_stack):
                self.call_later(app.require_catalog)
        else:
            info.update(plain(loc.t("ui.home.loading")))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        action = event.option_id
        if action == "language":
            self.run_worker(self.huiqi.action_switch_language())
        elif action == "quit":
            self.run_worker(self.huiqi.action_quit())
        elif action:
            getattr(self.huiqi, f"action_{action}")()
