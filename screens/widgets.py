"""Small shared widgets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from textual.content import Content
from textual.events import Click, Key, Paste
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from app.i18n.locale import Locale
from app.engine.text import one_line

from .commands import bindings_for
from .text import plain


class KeyBar(Static):
    """The footer: every key the screen offers now, with its words; click a key to press it.

    One Static rather than Textual's Footer (a widget per key, rebuilt on every focus change):
    it is drawn only when the keys change, which keeps the first paint and the next question
    quick. F-keys read F1, not f1; the command palette key sits at the right.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    _shown: tuple | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._shown = None
        self._bindings_changed(self.screen)

    def _words(self, binding) -> str:
        """The binding's words in the user's language; Textual's own bindings (the menu of a
        select, say) are looked up by action (ui.action.<action>)."""
        loc = self.app.loc
        if binding.id and loc.has(f"ui.key.{binding.id}"):
            return loc.t(f"ui.key.{binding.id}")
        action = binding.action.rsplit(".", 1)[-1]
        if loc.has(f"ui.action.{action}"):
            return loc.t(f"ui.action.{action}")
        return binding.description

    def _keys(self) -> tuple:
        app = self.app
        seen: set[str] = set()
        keys = []
        palette = None
        for key, (_node, binding, enabled, _tip) in self.screen.active_bindings.items():
            if binding.action in ("command_palette", "app.command_palette"):
                palette = (key, app.get_key_display(binding), self._words(binding), enabled)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((key, app.get_key_display(binding), self._words(binding), enabled))
        return tuple(keys), palette

    def _bindings_changed(self, screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        shown = self._keys()
        if shown != self._shown:
            self._shown = shown
            self.update(self._render_keys(*shown))

    def _render_keys(self, keys, palette) -> Content:
        self._regions: list[tuple[int, int, str]] = []
        parts: list = []
        x = 0
        for key, display, words, enabled in keys:
            part = self._key(display, words, enabled)
            self._regions.append((x, x + part.cell_length, key))
            parts += [part, " "]
            x += part.cell_length + 1
        left = Content.assemble(*parts)
        if palette is None:
            return left
        right = self._key(*palette[1:])
        gap = (self.size.width or 80) - left.cell_length - right.cell_length - 1
        if gap < 1:
            return left
        self._regions.append((x + gap - 1, x + gap - 1 + right.cell_length, palette[0]))
        return Content.assemble(left, " " * gap, right)

    @staticmethod
    def _key(display: str, words: str, enabled: bool) -> Content:
        return Content.assemble((f" {display} ", "bold $footer-key-foreground" if enabled else "dim"),
                                (words, "" if enabled else "dim"))

    def on_click(self, event: Click) -> None:
        """A click on a key presses it."""
        for start, end, key in getattr(self, "_regions", []):
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return


class ClickAction(Static):
    """A clickable word for the mouse (「确定」, 「不确定/跳过」). The keyboard has its own keys
    (Enter, F3), so it takes no focus; it is much lighter than a Button to mount, which keeps the
    next question quick."""

    class Pressed(Message):
        def __init__(self, action: "ClickAction"):
            super().__init__()
            self.action = action

        @property
        def control(self) -> "ClickAction":
            return self.action

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Pressed(self))


class ProgressLine(Widget):
    """Progress as a bar of reversed blanks (visible in 16 colours and without colour) and a
    percentage; no ambiguous-width block characters. Drawn for its current width."""

    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
    }
    """

    done = 0
    total = 1

    def show(self, done: int, total: int) -> None:
        self.done, self.total = done, max(1, total)
        self.refresh()

    def render(self) -> Content:
        width = max(10, self.content_size.width - 5)
        filled = round(width * self.done / self.total)
        percent = f" {round(100 * self.done / self.total):>3}%"
        return Content.assemble((" " * filled, "reverse"), ("." * (width - filled), "dim"), percent)


class TextField(Input):
    """A one-line text field whose pastes are text: escape sequences and control characters
    removed, several lines joined with a space (nothing pasted is lost), inserted at the cursor
    or over the selection. (Textual's Input keeps only the first line, silently.)"""

    def on_paste(self, event: Paste) -> None:
        event.stop()
        event.prevent_default()
        text = one_line(event.text)
        if not text:
            return
        start, end = self.selection
        if start == end:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *sorted((start, end)))


@lru_cache(maxsize=1)
def _locales() -> tuple[Locale, Locale]:
    return Locale("zh_CN"), Locale("en")


def both_languages(words) -> tuple[str, ...]:
    """``words(locale)`` in Chinese and in English (once if the same): what an entry is found
    by whichever language the app shows."""
    return tuple(dict.fromkeys(words(lo) for lo in _locales()))


@dataclass(frozen=True)
class Choice:
    """One entry of a FindList: its id, the label shown, and the texts it is found by (the label
    in both languages, the code...). A ``pinned`` entry (「不确定/跳过」) stays at the end."""
    id: str
    label: str
    texts: tuple[str, ...] = ()
    pinned: bool = False
    style: str = ""


class FindList(OptionList):
    """An option list that finds as you type, for lists too long to scroll through (37 sectors).

    Letters, digits and Chinese typed while the list has the focus go into a search shown in
    its top border; the list shows the entries found, best first (app.engine.search: Chinese,
    code, English, full pinyin or initials). ↑/↓ move and Enter chooses as always; Backspace
    takes the last character off the search; Esc clears it (with no search, Esc goes on to the
    screen: the previous question). A paste goes into the search. Space is never part of a
    search: it stays the list's own key (tick, choose).
    """

    PLACE = "find_list"
    BINDINGS = bindings_for(PLACE)
    HINT_AT = 6            # lists this long say in their bottom border that typing finds

    def __init__(self, *args, loc: Locale | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices: list[Choice] = []
        self.find_text = ""
        self.loc = loc              # the language of its words, set by its owner

    @property
    def words(self) -> Locale:
        return self.loc or self.app.loc  # type: ignore[attr-defined]

    # ------------------------------------------------------------ entries
    def set_choices(self, choices: list[Choice], highlight: str | None = None) -> None:
        """Show these entries (the search cleared), the one with id ``highlight`` highlighted."""
        self.choices = list(choices)
        self.find_text = ""
        self._refill(highlight)

    def prompt(self, choice: Choice):
        """What an entry shows (subclasses add ticks)."""
        return plain(choice.label, choice.style)

    def choice(self, choice_id: str | None) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id

    def _refill(self, highlight: str | None = None) -> None:
        from app.engine.search import find
        loose = [c for c in self.choices if not c.pinned]
        pinned = [c for c in self.choices if c.pinned]
        found = find(self.find_text, [(c.id, c.texts or (c.label,)) for c in loose])
        found += find(self.find_text, [(c.id, c.texts or (c.label,)) for c in pinned])
        by_id = {c.id: c for c in self.choices}
        self.clear_options()
        if found:
            self.add_options([Option(self.prompt(by_id[i]), id=i) for i in found])
            self.highlighted = found.index(highlight) if highlight in found else 0
        else:
            self.add_option(Option(plain(self.words.t("ui.find.none", text=self.find_text), "dim"),
                                   disabled=True))
            self.highlighted = None
        loc = self.words
        self.border_title = plain(loc.t("ui.find.title", text=self.find_text)) if self.find_text else None
        self.border_subtitle = (plain(loc.t("ui.find.hint"))
                                if not self.find_text and len(self.choices) >= self.HINT_AT else None)
        self.refresh_bindings()

    # ------------------------------------------------------------ keys
    def set_find(self, text: str) -> None:
        """Search for ``text``; the entry highlighted stays highlighted when it is still found,
        unless the search grew (then the best entry found is)."""
        grew = len(text) > len(self.find_text)
        keep = None if grew else self.highlighted_id
        self.find_text = text
        self._refill(keep)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("clear_find", "erase_find"):
            return bool(self.find_text)      # else the key goes on to the screen (Esc: back)
        return super().check_action(action, parameters)

    def action_clear_find(self) -> None:
        self.set_find("")

    def action_erase_find(self) -> None:
        self.set_find(self.find_text[:-1])

    def on_key(self, event: Key) -> None:
        char = event.character
        if event.is_printable and char and not char.isspace():
            event.stop()
            event.prevent_default()
            self.set_find(self.find_text + char)

    def on_paste(self, event: Paste) -> None:
        event.stop()
        event.prevent_default()
        text = "".join(one_line(event.text).split())
        if text:
            self.set_find(self.find_text + text)
