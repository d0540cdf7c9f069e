"""Saved clients: search as you type, open, rename, duplicate, add a note, delete.

Every client is a profile file in the user's data folder (app/storage/client_store.py). Files that
cannot be read are moved to the ``damaged`` folder beside them and reported here once.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .base import HuiqiScreen, title_bar
from .text import join, plain
from .widgets import KeyBar, TextField, both_languages


class ClientsScreen(HuiqiScreen):
    PLACE = "clients"

    def __init__(self):
        super().__init__()
        self.clients = []          # ClientInfo, newest first
        self.shown = []
        self.query_text = ""

    def compose(self) -> ComposeResult:
        loc = self.loc
        yield from title_bar(loc.t("ui.clients.title"))
        with Vertical(id="clients-body"):
            yield TextField(self.query_text, placeholder=loc.t("ui.clients.search"), id="clients-search")
            yield OptionList(id="clients-list")
            yield Static(id="clients-info")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#clients-search").focus()

    async def rebuilt(self) -> None:
        self.reload()
        self.query_one("#clients-search").focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    # ------------------------------------------------------------ data
    def reload(self, keep: str | None = None) -> None:
        app, loc = self.huiqi, self.loc
        try:
            listing = app.workspace.list(app.catalog, app.as_of)
        except OSError as exc:
            self.clients = []
            self.notify(loc.t("ui.clients.unreadable_folder", folder=str(app.workspace.folder),
                              reason=exc.strerror or str(exc)), severity="error", markup=False)
        else:
            self.clients = listing.clients
        app.report_set_aside()
        self.filter(self.query_text, keep=keep)

    def filter(self, text: str, keep: str | None = None) -> None:
        """Show the clients found by ``text`` (every word somewhere), newest first."""
        from app.engine.search import matches
        self.query_text = text
        self.shown = [info for info in self.clients if matches(text, self._texts(info))]
        menu = self.query_one("#clients-list", OptionList)
        current = keep or self._current_id()
        menu.clear_options()
        menu.add_options([Option(self._prompt(info), id=info.id) for info in self.shown])
        if self.shown:
            index = next((i for i, c in enumerate(self.shown) if c.id == current), 0)
            menu.highlighted = index
        self._info()

    def _texts(self, info) -> list[str]:
        """What a client is found by (app.engine.search: also pinyin and initials): its name, note,
        file name and county, its 盟市 and sectors by code and by name in both languages."""
        cat = self.huiqi.catalog
        f = info.facts
        texts = [info.name, info.note, info.path.stem, str(f.get("county") or "")]
        league = [f["league"]] if f.get("league") else []
        for list_name, codes in (("league", league), ("sectors", f.get("sectors") or [])):
            for code in codes:
                texts += [str(code), *both_languages(lambda lo, c=str(code): lo.code_label(list_name, c, cat))]
        return [t for t in texts if t]

    def _prompt(self, info):
        loc, cat = self.loc, self.huiqi.catalog
        name = info.name or loc.t("ui.clients.unnamed")
        state = loc.t(f"ui.clients.state_{info.state}") if info.state in ("in_progress", "done") else ""
        first = [(name, "bold"), "  ", (state, "dim")]
        if info.changed:
            first += ["  ", (loc.t("ui.clients.changed"), "bold $warning")]
        details = []
        f = info.facts
        if f.get("league"):
            details.append(loc.code_label("league", f["league"], cat))
        if f.get("sectors"):
            details.append(loc.value("sectors", f["sectors"][:2], cat))
        if info.updated:
            details.append(loc.t("ui.clients.updated", when=info.updated.strftime("%Y-%m-%d %H:%M")))
        if info.note:
            details.append(info.note)
        return join(*first, "\n", ("   " + " · ".join(details), "dim"))

    def _info(self) -> None:
        loc, app = self.loc, self.huiqi
        text = loc.t("ui.clients.count", shown=len(self.shown), total=len(self.clients))
        text += "  " + loc.t("ui.clients.folder", folder=str(app.workspace.folder))
        self.query_one("#clients-info", Static).update(plain(text, "dim"))

    def _current_id(self) -> str | None:
        menu = self.query_one("#clients-list", OptionList)
        if menu.highlighted is None or not self.shown:
            return None
        return self.shown[min(menu.highlighted, len(self.shown) - 1)].id

    def _current(self):
        cid = self._current_id()
        return next((c for c in self.shown if c.id == cid), None)

    # ------------------------------------------------------------ events
    @on(Input.Changed, "#clients-search")
    def _search(self, event: Input.Changed) -> None:
        self.filter(event.value)

    @on(Input.Submitted, "#clients-search")
    def _submit(self, event: Input.Submitted) -> None:
        if self.shown:
            self.huiqi.open_client(self._current() or self.shown[0])

    @on(OptionList.OptionSelected, "#clients-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        info = next((c for c in self.shown if c.id == event.option_id), None)
        if info is not None:
            self.huiqi.open_client(info)

    def action_to_list(self) -> None:
        menu = self.query_one("#clients-list", OptionList)
        if self.focused is not menu and self.shown:
            menu.focus()
        else:
            menu.action_cursor_down()

    def action_back(self) -> None:
        if self.query_text and self.focused is self.query_one("#clients-search"):
            self.query_one("#clients-search", Input).value = ""
            return
        self.huiqi.action_home()

    def action_new(self) -> None:
        self.huiqi.action_new()

    async def _ask(self, key: str, value: str) -> str | None:
        """A text typed in a dialog (None: cancelled)."""
        from .prompt import PromptScreen
        return await self.app.push_screen_wait(PromptScreen(self.loc.t(key), value))

    async def _edit(self, key: str, current, change) -> None:
        """Ask for a text (a name, a note) for the highlighted client, then ``change(info, text)``."""
        info = self._current()
        if info is None:
            return
        text = await self._ask(key, current(info))
        if text is not None:
            self._guard(lambda: change(info, text), info.id)

    @work(exclusive=True, group="dialog")
    async def action_rename(self) -> None:
        await self._edit("ui.clients.rename_prompt", lambda i: i.name, self.huiqi.workspace.rename)

    @work(exclusive=True, group="dialog")
    async def action_note(self) -> None:
        await self._edit("ui.clients.note_prompt", lambda i: i.note, self.huiqi.workspace.set_note)

    @work(exclusive=True, group="dialog")
    async def action_duplicate(self) -> None:
        info = self._current()
        if info is None:
            return
        name = await self._ask("ui.clients.duplicate_prompt", "")
        if name is None:
            return
        app = self.huiqi
        copy = self._guard(lambda: app.workspace.duplicate(info, name, app.catalog, app.as_of))
        if copy is not None:
            app.open_client(copy)

    @work(exclusive=True, group="dialog")
    async def action_delete(self) -> None:
        info = self._current()
        if info is None:
            return
        from .confirm import ConfirmScreen
        name = info.name or self.loc.t("ui.clients.unnamed")
        question = ConfirmScreen(self.loc.t("ui.clients.delete_confirm", name=name, file=info.path.name),
                                 self.loc.t("ui.clients.delete_yes"), safe=True)
        if await self.app.push_screen_wait(question):
            self._guard(lambda: self.huiqi.forget_client(info))

    def _guard(self, work, keep: str | None = None):
        """Run a change to the files; a failure is said plainly and the list reloaded."""
        try:
            result = work()
        except OSError as exc:
            self.notify(self.loc.t("ui.clients.failed", reason=exc.strerror or str(exc)),
                        severity="error", markup=False)
            result = None
        self.reload(keep=keep)
        return result
