"""The Textual app: holds the session, the catalog and the language; screens do the rest.

Start-up is kept light for the first paint: screens are imported when first shown and the catalog
is read right after the home screen is painted.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from app.i18n.locale import Locale, normalize_lang
from app.engine.session import Session

from .base import Localized, localize_bindings
from .commands import APP, bindings_for, palette_commands

if TYPE_CHECKING:
    from app.engine.assessment import Assessment
    from app.engine.catalog import Problem
    from app.engine.catalog import Catalog, Question
    from app.storage.client_store import Client, ClientInfo, Workspace

READ_DELAY = 0.08        # seconds between the first frame and reading the catalog

THEMES = ("textual-dark", "textual-light", "ansi-dark", "ansi-light")


FEW_COLOURS = ("standard", "windows", None)     # rich's colour systems of 16 colours or fewer


def pick_theme(requested: str | None = None, color_system: str | None = "truecolor") -> str:
    """The theme asked for, else HUIQI_THEME, else ansi-dark on a terminal of 16 colours or
    fewer, else textual-dark.

    ``color_system`` is what rich detected for the terminal (the app's console: TERM=xterm or the
    Linux console give 'standard', xterm-256color '256', COLORTERM=truecolor 'truecolor';
    TEXTUAL_COLOR_SYSTEM forces one). Textual's own themes drawn in 16 colours come out as
    bright white on cyan with bright red borders; ansi-dark uses the terminal's own colours."""
    choice = requested or os.environ.get("HUIQI_THEME")
    if choice:
        return choice
    if os.environ.get("TEXTUAL_COLOR_SYSTEM", "").lower() == "standard" or color_system in FEW_COLOURS:
        return "ansi-dark"
    return "textual-dark"


class HuiqiApp(App[None]):
    CSS_PATH = "huiqi.tcss"
    BINDINGS = bindings_for(APP)

    def __init__(self, lang: str | None = None, as_of: dt.date | None = None,
                 catalog_path: str | Path | None = None, theme: str | None = None):
        super().__init__()
        from app.storage import settings
        chosen = settings.chosen_language(lang)
        self._first_start = chosen is None
        self.loc = Locale(normalize_lang(chosen))
        self.as_of = as_of or dt.date.today()
        self.catalog_path = catalog_path
        self.catalog: Catalog | None = None
        self.catalog_problems: list["Problem"] = []     # said by screens/problem.py in the user's language
        self.catalog_source = "file"                # installed | bundled | last_good | file
        self.catalog_notices: list[str] = []        # catalogs that failed and were passed over
        self.session = Session()
        self.client: Client | None = None          # the saved client the session belongs to
        self.save_error: str | None = None          # why the last autosave failed, if it did
        self._workspace: Workspace | None = None
        self._resume_offered = False
        self.home_screen: Screen | None = None      # the bottom of the stack, known
        self._theme_choice = pick_theme(theme, self.console.color_system)
        self._loading = False
        self._read_lock = threading.Lock()
        self._catalog_read: tuple | None = None     # what the (background) read found
        localize_bindings(self, self.loc)

    # ------------------------------------------------------------ start
    def get_driver_class(self):
        """The terminal driver, reading input with a parser that keeps a paste whole."""
        driver = super().get_driver_class()
        from .paste import use_paste_safe_parser
        use_paste_safe_parser(driver)
        return driver

    def on_mount(self) -> None:
        theme = self._theme_choice if self._theme_choice in self.available_themes else "textual-dark"
        if theme != self.theme:
            self.theme = theme
        self.title = self.loc.t("app.name")
        from .home import HomeScreen
        self.home_screen = HomeScreen()
        self.push_screen(self.home_screen)
        if self._first_start:
            from .language import LanguageScreen

            async def chosen(lang: str | None) -> None:
                await self.set_language(lang or self.loc.lang)
            self.push_screen(LanguageScreen(), chosen)

    def home_painted(self) -> None:
        """The home screen is drawn: now read the catalog (once), in a thread, so the first
        frame reaches the terminal without waiting for it."""
        if self.catalog is None and not self.catalog_problems and not self._loading:
            self._loading = True
            # a moment's grace: the frame is written to the terminal by Textual's writer thread,
            # which a catalog read holding the interpreter would otherwise hold up
            self.set_timer(READ_DELAY, lambda: self.run_worker(
                self._read_in_thread, thread=True, exit_on_error=False, group="catalog"))

    def _read_in_thread(self) -> None:
        outcome = self._read_catalog()
        from .widgets import _locales
        _locales()               # both languages for type-to-find, read here rather than on a key
        try:
            self.call_from_thread(self._apply_catalog, outcome)   # a no-op if applied meanwhile
        except RuntimeError:                     # the app closed while reading
            pass

    def load_catalog(self) -> None:
        """Read the catalog now (a key pressed before the background read was over)."""
        self._apply_catalog(self._read_catalog())

    def _read_catalog(self) -> tuple:
        """(catalog, problems, source, fallbacks): safe to run in a thread (it touches no
        widget). A broken catalog becomes problems, never a traceback."""
        from app.engine.catalog import CatalogError
        from app.storage.catalog_files import load_catalog
        from app.storage.paths import bundled_catalog
        with self._read_lock:
            if self._catalog_read is not None:
                return self._catalog_read
            target = self.catalog_path or bundled_catalog()
            catalog, problems, source, fallbacks = None, [], "file", []
            try:
                if self.catalog_path is None:    # the installed update, else the bundled one;
                    from app.storage import catalog_store   # a broken one falls back, and says so
                    act = catalog_store.active()
                    catalog, fallbacks = act.catalog, [(f, p, act) for f, p in act.fallback_from]
                    source = act.source
                else:
                    catalog = load_catalog(target)
            except CatalogError as exc:
                problems = list(exc.problems)    # worded by the problem screen, in the language shown
            except Exception as exc:  # noqa: BLE001 - a catalog must never crash the app
                from app.engine.catalog import Problem
                from app.engine.problems import Msg
                problems = [Problem.of(str(target), 0, Msg("internal", error=type(exc).__name__,
                                                           detail=str(exc)))]
            self._catalog_read = (catalog, problems, source, fallbacks)
            return self._catalog_read

    def _apply_catalog(self, outcome: tuple) -> None:
        catalog, problems, source, fallbacks = outcome
        if self.catalog is not None or self.catalog_problems:
            return                               # applied already
        self.catalog, self.catalog_problems, self.catalog_source = catalog, problems, source
        from app.storage.catalog_store import fallback_message
        for failed, failures, act in fallbacks:
            notice = fallback_message(self.loc, failed, failures, act)
            self.catalog_notices.append(notice)
            self.notify(notice, severity="warning", timeout=30, markup=False)
        from .messages import CatalogLoaded
        for screen in self.screen_stack:
            screen.post_message(CatalogLoaded())
        if self.catalog is not None:
            self.call_later(self.offer_resume)

    def require_catalog(self) -> bool:
        """True when the catalog is usable; otherwise show the problem."""
        if self.catalog is None and not self.catalog_problems:
            self._loading = True
            self.load_catalog()           # a key pressed before the first paint was over
        if self.catalog is None:
            from .problem import CatalogProblemScreen
            if self.catalog_problems and not isinstance(self.screen, CatalogProblemScreen):
                self.push_screen(CatalogProblemScreen())
            return False
        return True

    # ------------------------------------------------------------ assessment (app.engine.session)
    def assessment(self, facts: dict[str, Any] | None = None) -> "Assessment":
        """The assessment of the session's answers (the session remembers it), or of the given
        facts."""
        assert self.catalog is not None
        if facts is not None:
            from app.engine.assessment import assess
            return assess(self.catalog, facts, self.as_of)
        return self.session.assessment(self.catalog, self.as_of)

    def plan(self) -> list["Question"]:
        """Every question that applies (answered ones stay, to be changed), in section order: the
        review's list. The questionnaire asks in value order (``Session.ranked``)."""
        assert self.catalog is not None
        return self.session.plan(self.catalog, self.as_of)

    # ------------------------------------------------------------ saved clients
    @property
    def workspace(self) -> "Workspace":
        registry = self.catalog.registry if self.catalog else None
        if self._workspace is None or (registry is not None and self._workspace.registry is not registry):
            from app.storage.client_store import Workspace
            self._workspace = Workspace(registry=registry)   # the catalog's own facts are kept too
        return self._workspace

    def autosave(self, state: str | None = None) -> bool:
        """Save the session to its client file (after every answer). A failure is said once,
        plainly; the answers stay in memory and the next answer tries again."""
        if self.catalog is None or (not self.session.facts and self.client is None):
            return True
        ws = self.workspace
        if self.client is None:
            self.client = ws.new()
        try:
            ws.save(self.client, self.session.facts, seen=sorted(self.session.seen),
                    position=self.session.position, state=state, catalog=self.catalog,
                    as_of=self.as_of)
        except OSError as exc:
            self.report_set_aside()
            reason = exc.strerror or str(exc)
            if self.save_error is None:
                self.notify(self.loc.t("ui.clients.save_failed", folder=str(ws.folder), reason=reason),
                            severity="error", timeout=15, markup=False)
            self.save_error = reason
            return False
        self.save_error = None
        self.report_set_aside()
        return True

    def report_set_aside(self) -> None:
        """Say which client files could not be read and where they were moved (once each)."""
        if self._workspace is None:
            return
        loc = self.loc
        for item in self._workspace.take_set_aside():
            reason = loc.t(item.key, **{"reason": "", **item.params})
            where = str(item.moved_to.parent) if item.moved_to else str(item.original.parent)
            self.notify(loc.t(item.notice_key, file=item.original.name, reason=reason,
                              folder=where), severity="warning", timeout=15, markup=False)

    def open_client(self, info: "ClientInfo") -> None:
        """Continue a saved client: its answers, and where it stood (results if finished)."""
        if not self.require_catalog():
            return
        self.session = Session(dict(info.facts), set(info.seen) | set(info.facts), info.position)
        self.client = self.workspace.open(info)
        self.save_error = None
        if info.changed:
            try:
                self.workspace.mark_reviewed(info, self.catalog, self.as_of)
            except OSError:
                pass
            self.notify(self.loc.t("ui.clients.changed_opened"), timeout=10, markup=False)
        if info.state == "done":
            self._pop_to_base()
            self.action_results()
        else:
            self._open_questionnaire(info.position)

    def forget_client(self, info: "ClientInfo") -> None:
        """Delete a client's file; if it is the one open, the session becomes a new one."""
        self.workspace.delete(info)
        if self.client is not None and self.client.id == info.id:
            self.session, self.client = Session(), None

    def offer_resume(self) -> None:
        """At start: a client left in the middle of its questionnaire (the app was closed or the
        power went) is offered to continue."""
        from .home import HomeScreen
        if self._resume_offered or self.session.started or not isinstance(self.screen, HomeScreen):
            return
        self._resume_offered = True
        try:
            info = self.workspace.latest_unfinished()
        except OSError:
            return
        self.report_set_aside()
        if info is None:
            return
        from .confirm import ConfirmScreen
        loc = self.loc
        name = info.name or loc.t("ui.clients.unnamed")
        when = info.updated.strftime("%Y-%m-%d %H:%M") if info.updated else ""
        message = loc.t("ui.clients.resume_offer", name=name, when=when, count=len(info.facts))
        self.push_screen(ConfirmScreen(message, loc.t("ui.clients.resume_yes")),
                         lambda yes: yes and self.open_client(info))

    def action_clients(self) -> None:
        if not self.require_catalog():
            return
        from .clients import ClientsScreen
        if self._bring_back(ClientsScreen) is None:
            self._pop_to_base()
            self.push_screen(ClientsScreen())

    # ------------------------------------------------------------ navigation
    def _back_to(self, screen: Screen) -> None:
        """Close the screens above ``screen``, which is in the stack: one pop for each, counted
        from the stack as it is now."""
        stack = self.screen_stack
        for _above in stack[stack.index(screen) + 1:]:
            self.pop_screen()

    def _pop_to_base(self) -> None:
        """Back to the home screen (the one the app opened on mount)."""
        if self.home_screen is not None and self.home_screen in self.screen_stack:
            self._back_to(self.home_screen)

    def _bring_back(self, kind: type[Screen]) -> Screen | None:
        """If a screen of this kind is open, close the ones above it and return it."""
        found = next((s for s in self.screen_stack if isinstance(s, kind)), None)
        if found is not None:
            self._back_to(found)
        return found

    def action_new(self) -> None:
        if not self.require_catalog():
            return
        if self.session.facts and not self.autosave():
            from .confirm import ConfirmScreen
            self.push_screen(ConfirmScreen(self.loc.t("ui.confirm.new"), self.loc.t("ui.confirm.new_yes")),
                             lambda yes: yes and self._start_new())
            return
        self._start_new()

    def _start_new(self) -> None:
        if self.session.facts:
            self.notify(self.loc.t("ui.clients.saved_as", name=self.session.name or
                                   self.loc.t("ui.clients.unnamed")), markup=False)
        self.session, self.client, self.save_error = Session(), None, None
        self._open_questionnaire()

    async def action_quit(self) -> None:
        """Quit; answers are saved after each one, so ask only if the last save failed."""
        from .confirm import ConfirmScreen
        if self.session.facts and not self.autosave() and not isinstance(self.screen, ConfirmScreen):
            self.push_screen(ConfirmScreen(self.loc.t("ui.confirm.quit"), self.loc.t("ui.confirm.quit_yes")),
                             lambda yes: yes and self.exit())
            return
        self.exit()

    def action_resume(self) -> None:
        if not self.require_catalog():
            return
        self._open_questionnaire(self.session.position)

    def _open_questionnaire(self, fact: str | None = None) -> None:
        from .questionnaire import QuestionnaireScreen
        self._pop_to_base()
        self.session.history = []        # Back goes through the questions asked from here on
        self.push_screen(QuestionnaireScreen(start=fact))

    def action_review(self) -> None:
        if not self.require_catalog():
            return
        from .review import ReviewScreen
        if isinstance(self.screen, ReviewScreen):
            return
        self.push_screen(ReviewScreen())

    def action_results(self) -> None:
        if not self.require_catalog():
            return
        from .results import ResultsScreen
        shown = self._bring_back(ResultsScreen)
        if shown is not None:
            shown.refresh_results()  # type: ignore[attr-defined]
        else:
            self.push_screen(ResultsScreen())
        self.autosave("done")

    def action_home(self) -> None:
        self._pop_to_base()          # the home screen refreshes itself when shown again

    def action_export(self) -> None:
        if not self.require_catalog():
            return
        from .export import ExportScreen
        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen())

    def action_help(self) -> None:
        from .help import HelpScreen
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen())

    async def action_switch_language(self) -> None:
        await self.set_language("en" if self.loc.zh else "zh_CN")

    async def set_language(self, lang: str) -> None:
        """Switch language everywhere; answers and the place in the questionnaire stay. The
        choice is remembered for the next start."""
        from app.storage import settings
        self.loc = Locale(lang)
        settings.save("lang", self.loc.lang)
        self.title = self.loc.t("app.name")
        localize_bindings(self, self.loc)
        for screen in list(self.screen_stack):
            if isinstance(screen, Localized):
                await screen.relocalize()
        self.refresh_bindings()

    def on_question_view_doubted(self, event) -> None:
        """A question's number looks wrong (QuestionView.Doubted): ask, and tell the question."""
        from .number_check import NumberCheckScreen
        view = event.view
        self.push_screen(NumberCheckScreen(event.doubt, view.question.fact), view.checked)

    def action_help_quit(self) -> None:
        self.notify(self.loc.t("ui.notice.quit_key"), title=self.loc.t("ui.notice.quit_title"), markup=False)

    def action_theme_menu(self) -> None:
        from textual.command import SimpleCommand
        loc = self.loc
        commands = [SimpleCommand(loc.t(f"ui.theme.{name.replace('-', '_')}"),
                                  (lambda n=name: setattr(self, "theme", n)), "")
                    for name in THEMES if name in self.available_themes]
        from textual.command import SimpleProvider

        from .palette import LocalPalette
        self.push_screen(LocalPalette(providers=[SimpleProvider(self.screen, commands)],
                                      placeholder=loc.t("ui.palette.theme_placeholder"),
                                      no_matches=loc.t("ui.palette.no_matches")))

    def get_key_display(self, binding: Binding) -> str:
        """F-keys as on the keyboard: F1, not f1."""
        display = super().get_key_display(binding)
        if display[:1] == "f" and display[1:].isdigit():
            return display.upper()
        return {"esc": "Esc", "enter": "Enter", "del": "Del"}.get(display, display)

    # ------------------------------------------------------------ command palette
    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from .palette import LocalPalette
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(LocalPalette(id="--command-palette",
                                          placeholder=self.loc.t("ui.palette.placeholder"),
                                          no_matches=self.loc.t("ui.palette.no_matches")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands: those of the command table that fit this screen."""
        loc = self.loc
        for command in palette_commands(getattr(screen, "PLACE", None), self, screen):
            where = self if APP in command.where else screen
            run = (lambda action=command.action, where=where: self.run_action(action, where))
            yield SystemCommand(loc.t(f"ui.cmd.{command.id}"), loc.t(f"ui.cmd.{command.id}_help"), run)
