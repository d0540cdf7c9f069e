"""Export the handout (HTML, Markdown or plain text) to a file the user names."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from app.storage.atomic import write_atomic
from app.storage.names import safe_filename
from app.storage.paths import exports_dir
from app.render.report import render_html, render_md, render_text

from .base import HuiqiModal
from .text import plain
from .widgets import KeyBar, TextField

FORMATS = {"html": (render_html, ".html"), "md": (render_md, ".md"), "text": (render_text, ".txt")}
def default_file_name(name: str, as_of, fmt: str, lang_zh: bool) -> str:
    """惠企自测_<client>_<date>.html: the client's name made safe for a file name
    (app.storage.names, as the client files), left out when there is none."""
    stem = "惠企自测" if lang_zh else "huiqi"
    client = safe_filename(name, default="") if name else ""
    parts = [stem] + ([client] if client else []) + [as_of.isoformat()]
    return "_".join(parts) + FORMATS[fmt][1]


def export_path(text: str) -> Path:
    """The file a typed name means: a full path as it is, a bare name (or a relative path) in
    the exports folder of the data folder."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else exports_dir() / path


def write_handout(path: Path, text: str) -> Path:
    """Write a handout (crash-safe); a new file is readable by its owner only (0600), like the
    client files, and the exports folder is created 0700."""
    folder = exports_dir()
    if folder == path.parent or folder in path.parents:
        exports_dir(create=True)
    write_atomic(path, text)
    return path


class ExportScreen(HuiqiModal["str | None"]):
    PLACE = "export"

    def __init__(self):
        super().__init__()
        self.fmt = "html"
        self.confirm_overwrite: Path | None = None
        self.typed_name = False

    def compose(self) -> ComposeResult:
        loc, app = self.loc, self.huiqi
        with VerticalScroll(classes="dialog", id="export"):
            yield Static(plain(loc.t("ui.export.title"), "bold"), classes="dialog-title")
            yield Static(plain(loc.t("ui.export.format")), classes="dialog-text")
            yield OptionList(*self._format_options(), id="export-format")
            yield Static(plain(loc.t("ui.export.file")), classes="dialog-text")
            yield TextField(value=default_file_name(app.session.name, app.as_of, self.fmt, loc.zh),
                        id="export-file", compact=True)
            yield Static(plain(loc.t("ui.export.folder", folder=str(exports_dir()))), classes="dialog-text dim")
            yield Static(id="export-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(loc.t("ui.export.save"), id="export-save", variant="primary", compact=True)
                yield Button(loc.t("ui.export.cancel"), id="export-cancel", compact=True)
        yield KeyBar()

    def _format_options(self) -> list[Option]:
        """(*) marks the format chosen: visible without colour."""
        return [Option(plain(("(*) " if fmt == self.fmt else "( ) ") + self.loc.t(f"ui.export.fmt_{fmt}")),
                       id=fmt) for fmt in FORMATS]

    def on_mount(self) -> None:
        formats = self.query_one("#export-format", OptionList)
        formats.highlighted = list(FORMATS).index(self.fmt)
        self.query_one("#export-file").focus()

    @on(OptionList.OptionSelected, "#export-format")
    def _format(self, event: OptionList.OptionSelected) -> None:
        self.fmt = event.option_id or "html"
        formats = self.query_one("#export-format", OptionList)
        for index, option in enumerate(self._format_options()):
            formats.replace_option_prompt_at_index(index, option.prompt)
        field = self.query_one("#export-file", Input)
        stem = Path(field.value).stem if field.value else ""
        if not self.typed_name or not stem:
            field.value = default_file_name(self.huiqi.session.name, self.huiqi.as_of, self.fmt, self.loc.zh)
        else:
            field.value = stem + FORMATS[self.fmt][1]
        self.confirm_overwrite = None

    @on(Input.Changed, "#export-file")
    def _typed(self, event: Input.Changed) -> None:
        if event.value != default_file_name(self.huiqi.session.name, self.huiqi.as_of, self.fmt, self.loc.zh):
            self.typed_name = True
        self.confirm_overwrite = None

    @on(Input.Submitted, "#export-file")
    @on(Button.Pressed, "#export-save")
    def action_save(self) -> None:
        loc, app = self.loc, self.huiqi
        message = self.query_one("#export-message", Static)
        text = self.query_one("#export-file", Input).value.strip()
        if not text:
            message.update(plain(loc.t("ui.export.no_name"), "$error"))
            return
        path = export_path(text)
        if path.is_dir():
            message.update(plain(loc.t("ui.export.is_folder", path=str(path)), "$error"))
            return
        if path.exists() and self.confirm_overwrite != path:
            self.confirm_overwrite = path
            message.update(plain(loc.t("ui.export.exists", path=str(path)), "$warning"))
            return
        render, _ = FORMATS[self.fmt]
        content = render(app.assessment(), loc, app.session.name)
        try:
            written = write_handout(path, content)
        except OSError as exc:
            message.update(plain(loc.t("ui.export.failed", path=str(path), reason=exc.strerror or str(exc)),
                                 "$error"))
            return
        self.app.notify(loc.t("ui.export.done", path=str(written)), markup=False, timeout=15)
        self.dismiss(str(written))

    @on(Button.Pressed, "#export-cancel")
    def action_close(self) -> None:
        self.dismiss(None)
