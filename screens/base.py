"""What every screen shares: translated key bindings, the title bar, the current locale."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from .commands import bindings_for
from .text import join
from .textual_private import describe_bindings

if TYPE_CHECKING:
    from app.i18n.locale import Locale


def localize_bindings(node: DOMNode, loc: "Locale") -> None:
    """Give every binding (they come from screens/commands.py) its words in the current
    language (ui.key.<id>): for Textual's keys panel. The footer (KeyBar) reads the same words."""
    describe_bindings(node, lambda bid: loc.t(f"ui.key.{bid}") if loc.has(f"ui.key.{bid}") else None)


class TitleBar(Horizontal):
    """One line: the app's name and where the user is on the left, progress on the right."""

    def __init__(self, where: str = "", right: str = "", **kwargs):
        super().__init__(**kwargs)
        self.where, self.right = where, right

    def compose(self) -> ComposeResult:
        yield Static(id="title-left")
        yield Static(id="title-right")

    def on_mount(self) -> None:
        self.show(self.where, self.right)

    def show(self, where: str, right: str = "") -> None:
        self.where, self.right = where, right
        loc = self.app.loc
        self.query_one("#title-left", Static).update(
            join((f" {loc.t('app.name')} ", "bold"), f" {where}" if where else ""))
        self.query_one("#title-right", Static).update(join(f"{right} " if right else ""))


class Localized:
    """Mixin for screens: bindings in the current language, rebuilt when the language changes.

    A screen names its place in the command table (``PLACE``); its BINDINGS come from there."""

    PLACE: str | None = None

    def __init_subclass__(cls, **kwargs) -> None:
        if cls.__dict__.get("PLACE"):
            cls.BINDINGS = bindings_for(cls.PLACE)  # type: ignore[attr-defined]
        super().__init_subclass__(**kwargs)

    def _localize(self) -> None:
        localize_bindings(self, self.app.loc)  # type: ignore[arg-type, attr-defined]

    @property
    def loc(self) -> "Locale":
        return self.app.loc  # type: ignore[attr-defined]

    @property
    def huiqi(self) -> Any:
        """The app (screens.app.HuiqiApp; not imported here, so base and app stay one-way)."""
        return self.app  # type: ignore[attr-defined]

    async def relocalize(self) -> None:
        """The language changed: translate the keys and build the screen again from its state."""
        self._localize()
        await self.recompose()  # type: ignore[attr-defined]
        await self.rebuilt()
        self.refresh_bindings()  # type: ignore[attr-defined]

    async def rebuilt(self) -> None:
        """Called after the screen was composed again (state kept in attributes)."""


class HuiqiScreen(Localized, Screen):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._localize()


T = TypeVar("T")


class HuiqiModal(Localized, ModalScreen[T]):
    """A dialog: ``dismiss(value)`` gives the caller its answer (``push_screen(dialog, callback)``
    or ``await push_screen_wait(dialog)`` in a worker)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._localize()


def title_bar(where: str = "", right: str = "") -> ComposeResult:
    yield TitleBar(where, right, id="titlebar")
