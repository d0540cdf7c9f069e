"""The language is chosen at first start, remembered in the config folder, and switchable."""

from app.storage import settings
from screens.app import HuiqiApp
from tui_driver import AS_OF, TUI_CATALOG


def test_settings_round_trip_and_damage(tmp_path, monkeypatch):
    monkeypatch.setenv("HUIQI_CONFIG_DIR", str(tmp_path))
    assert settings.load() == {}
    assert settings.save("lang", "en") and settings.load() == {"lang": "en"}
    (tmp_path / "config.toml").write_bytes(b"\xff\xfe[[[")
    assert settings.load() == {}
    assert settings.save("lang", "zh_CN") and settings.load()["lang"] == "zh_CN"


async def test_first_start_asks_and_remembers():
    app = HuiqiApp(as_of=AS_OF, catalog_path=TUI_CATALOG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "LanguageScreen"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.loc.lang == "en" and type(app.screen).__name__ == "HomeScreen"
    assert settings.load()["lang"] == "en"
    again = HuiqiApp(as_of=AS_OF, catalog_path=TUI_CATALOG)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.loc.lang == "en" and type(again.screen).__name__ == "HomeScreen"
        await pilot.press("f2")
        await pilot.pause()
        assert again.loc.lang == "zh_CN"
    assert settings.load()["lang"] == "zh_CN"
