"""Every command once: its id, key(s), action, where it applies and its words.

From this one table come every screen's and the App's key bindings (``bindings_for``), the footer
(KeyBar reads a binding's words by its id), the command palette (``palette_commands``: only what
fits the screen shown) and the help screen (``help_lines``). A command's words are message keys
in locales/: ``ui.key.<id>`` (the short label: footer, keys panel), ``ui.help.cmd.<id>`` (its line
in the help) and, for palette commands, ``ui.cmd.<id>`` and ``ui.cmd.<id>_help``.

Places: ``app`` (everywhere), the screens (``home``, ``questionnaire``, ``review``, ``results``,
``detail``, ``clients``, the dialogs) and the widgets that own keys (``review_row``,
``find_list``, ``choice_list``, ``multi_choice``). The table's order is the footer's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from textual.binding import Binding

if TYPE_CHECKING:
    from app.i18n.locale import Locale

APP = "app"
EVERYWHERE = "*"          # a palette command offered on every screen


@dataclass(frozen=True)
class Command:
    id: str                              # the Binding id; message keys ui.key/ui.help.cmd/ui.cmd.<id>
    action: str                          # as in a Binding: "skip", "app.results"
    keys: str                            # Textual key names, comma-separated; "" for palette only
    where: tuple[str, ...] = ()          # places where the keys work (see above)
    keys_at: dict[str, str] = field(default_factory=dict)   # other keys in some places
    hidden_at: tuple[str, ...] = ()      # places where the key works but the footer leaves it out
    show: bool = True                    # shown in the footer (where not hidden_at)
    priority: bool = False
    system: bool = False
    palette: tuple[str, ...] = ()        # places where the palette offers it (EVERYWHERE: all)
    when: str = ""                       # a condition for the palette (WHEN)

    def keys_in(self, place: str) -> str:
        return self.keys_at.get(place, self.keys)

    @property
    def places(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.where + tuple(self.keys_at)))

    def binding(self, place: str) -> Binding:
        return Binding(self.keys_in(place), self.action, self.id, id=self.id,
                       show=self.show and place not in self.hidden_at,
                       priority=self.priority, system=self.system)


DIALOGS = ("help", "sections_picker", "export", "problem")
C = Command
COMMANDS: tuple[Command, ...] = (
    # everywhere (the App's bindings)
    C("help", "help", "f1", (APP,), palette=(EVERYWHERE,)),
    C("language", "switch_language", "f2", (APP,), palette=(EVERYWHERE,)),
    C("palette", "command_palette", "ctrl+p", (APP,), show=False, priority=True),
    C("quit", "quit", "ctrl+q", (APP,), show=False, priority=True, palette=(EVERYWHERE,)),
    C("help_quit", "help_quit", "ctrl+c", (APP,), show=False, system=True),
    # the screens, in footer order
    C("new", "app.new", "f3", ("home", "clients"), palette=(EVERYWHERE,)),
    C("rename", "rename", "f4", ("clients",), palette=("clients",)),
    C("duplicate", "duplicate", "f5", ("clients",), palette=("clients",)),
    C("note", "note", "f6", ("clients",), palette=("clients",)),
    C("delete", "delete", "delete", ("clients",), palette=("clients",)),   # in the search box
    C("cancel", "cancel", "escape", ("confirm", "prompt", "whatif")),       # Del deletes a character
    C("close", "close", "escape", DIALOGS),
    C("ok", "yes", "enter", ("confirm",), show=False),
    C("skip", "skip", "f3", ("questionnaire", "whatif"), palette=("questionnaire",)),
    C("back", "back", "escape", ("review", "results", "detail", "clients"),
      keys_at={"questionnaire": "f4,escape"}, palette=("questionnaire",)),
    C("clear", "clear", "f3", ("review",), palette=("review",)),
    C("resume", "app.resume", "f4", ("home",), palette=(EVERYWHERE,), when="started"),
    C("clients", "app.clients", "f5", ("home",), palette=(EVERYWHERE,)),
    C("sections", "sections", "f5", ("questionnaire",), palette=("questionnaire",)),
    C("kind", "focus_kind", "ctrl+t", ("results",), show=False, palette=("results",)),
    C("agency", "focus_agency", "ctrl+g", ("results",), show=False, palette=("results",)),
    C("search", "focus_search", "f5,ctrl+f", ("results",), palette=("results",)),
    C("review", "app.review", "f6", ("home", "questionnaire", "results"), palette=(EVERYWHERE,),
      when="catalog"),
    C("results", "app.results", "f7", ("home", "questionnaire", "review"), palette=(EVERYWHERE,),
      when="catalog"),
    C("finish", "finish_if_done", "enter", ("questionnaire",), show=False),
    C("export", "app.export", "f8", ("results", "detail"), palette=(EVERYWHERE,), when="catalog"),
    C("save", "save", "f8", ("export",)),
    C("whatif", "whatif", "f9", ("results", "detail"), palette=("results", "detail")),
    C("home", "app.home", "f10", ("questionnaire", "review", "results", "detail"),
      hidden_at=("questionnaire", "results"), palette=(EVERYWHERE,)),
    C("edit_number", "edit", "escape", ("number_check",)),
    C("to_list", "to_list", "down", ("clients",), show=False),
    C("edit", "edit", "enter", ("review_row",)),
    C("next", "app.focus_next", "down", ("review_row",), keys_at={"confirm": "right"}, show=False),
    C("previous", "app.focus_previous", "up", ("review_row",), keys_at={"confirm": "left"}, show=False),
    C("clear_find", "clear_find", "escape", ("find_list",)),
    C("erase_find", "erase_find", "backspace", ("find_list",), show=False),
    C("confirm_ticks", "confirm", "enter", ("multi_choice",), show=False),
    C("choose", "select", "space", ("choice_list", "multi_choice"), show=False),
    # the palette only (no key)
    C("theme", "app.theme_menu", "", palette=(EVERYWHERE,)),
    C("keys", "app.show_help_panel", "", palette=(EVERYWHERE,), when="keys_hidden"),
    C("keys_hide", "app.hide_help_panel", "", palette=(EVERYWHERE,), when="keys_shown"),
)
BY_ID = {c.id: c for c in COMMANDS}

# Where the help screen lists commands, in this order (a place's heading is ui.help.where.<place>).
HELP_PLACES = (APP, "home", "questionnaire", "review_row", "review", "results", "detail", "clients",
               "find_list", "multi_choice", "whatif", "export", "number_check", "confirm")


def bindings_for(place: str) -> list[Binding]:
    """The key bindings of a place (a screen, a widget, ``app``), in the table's order."""
    return [c.binding(place) for c in COMMANDS if c.keys and place in c.places]


def key_words(keys: str) -> str:
    """Keys as the keyboard names them: F1, Esc, Ctrl+P."""
    names = {"escape": "Esc", "enter": "Enter", "delete": "Del", "space": "Space", "backspace": "Backspace",
             "down": "↓", "up": "↑", "left": "←", "right": "→"}
    out = []
    for key in keys.split(","):
        key = key.strip()
        if key in names:
            out.append(names[key])
        elif key[:1] == "f" and key[1:].isdigit():
            out.append(key.upper())
        else:
            out.append("+".join(p.capitalize() if len(p) > 1 else p.upper() for p in key.split("+")))
    return "/".join(out)


def help_lines(loc: "Locale") -> Iterator[tuple[str, list[str]]]:
    """(heading, lines) per place: every command that has keys there, with its keys and help."""
    for place in HELP_PLACES:
        lines = [f"{key_words(c.keys_in(place)):<10} {loc.t(f'ui.help.cmd.{c.id}')}"
                 for c in COMMANDS if c.keys and place in c.places]
        if lines:
            yield loc.t(f"ui.help.where.{place}"), lines
        if place == APP:        # commands without a key: reached from the palette, said so
            palette_only = [f"{'':<10} {loc.t('ui.help.cmd.' + c.id)}" for c in COMMANDS if not c.keys]
            if palette_only:
                yield loc.t("ui.help.where.palette"), palette_only


WHEN: dict[str, Callable[[Any, Any], bool]] = {
    "": lambda app, screen: True,
    "started": lambda app, screen: app.session.started,
    "catalog": lambda app, screen: app.catalog is not None,
    "keys_shown": lambda app, screen: bool(screen.query("HelpPanel")),
    "keys_hidden": lambda app, screen: not screen.query("HelpPanel"),
}


def palette_commands(place: str | None, app: Any, screen: Any) -> list[Command]:
    """The commands the palette offers on this screen (``place``: the screen's place name)."""
    return [c for c in COMMANDS
            if (EVERYWHERE in c.palette or (place is not None and place in c.palette))
            and WHEN[c.when](app, screen)]
