"""Exporting the handout (issue item 14): by default into ``exports`` in the app's data folder
(never the folder the app was started from), the folder private (0700), the file readable by its
owner only (0600) like the client files, and the full path said in a notification."""

from __future__ import annotations

import os
import stat

import pytest
from textual.widgets import Input

from app.storage.paths import data_dir, exports_dir
from tui_driver import RESTAURANT, SIZE, make_app, screen_name, walk

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def open_export(pilot) -> None:
    await pilot.press("f8")
    await pilot.pause()
    assert screen_name(pilot.app) == "ExportScreen"


async def export(pilot, name: str | None = None) -> None:
    await open_export(pilot)
    if name is not None:
        pilot.app.screen.query_one("#export-file", Input).value = name
    await pilot.press("enter")
    await pilot.pause()


@pytest.fixture
def usual_umask():
    """The usual umask (files 0644 unless made private), so the modes below mean something."""
    old = os.umask(0o022)
    yield
    os.umask(old)


async def test_the_handout_goes_to_the_private_exports_folder(tmp_path, monkeypatch, usual_umask):
    started_in = tmp_path / "started-here"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, RESTAURANT)
        assert screen_name(app) == "ResultsScreen"
        await export(pilot)
        assert screen_name(app) == "ResultsScreen"
        folder = exports_dir()
        assert folder == data_dir() / "exports" and folder.is_relative_to(tmp_path / "data")
        (handout,) = folder.glob("*.html")
        assert "老王餐馆" in handout.name and not list(started_in.iterdir())
        assert mode(folder) == 0o700 and mode(handout) == 0o600
        assert f"材料已保存：{handout}" in notices(app)            # the full path

        await export(pilot, "给客户/老王.html")                  # a relative path: in the folder
        assert mode(folder / "给客户" / "老王.html") == 0o600
        elsewhere = tmp_path / "usb" / "老王.html"
        elsewhere.parent.mkdir()
        await export(pilot, str(elsewhere))                     # a full path: there
        assert elsewhere.is_file() and mode(elsewhere) == 0o600
        assert str(elsewhere) in notices(app)


async def test_the_export_dialog_names_the_exports_folder():
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, RESTAURANT)
        await open_export(pilot)
        shown = "\n".join(str(s.content) for s in app.screen.query(".dialog-text"))
        assert f"Saved in: {exports_dir()}" in shown
        assert not exports_dir().exists()                       # made when something is saved
