"""The user's settings (language for now), in the platformdirs config folder, written with
tomlkit so a hand edit or comment survives. A missing or damaged file is simply no settings."""

from __future__ import annotations

import os

from app.storage.atomic import write_atomic
from app.storage.paths import config_dir

FILE = "config.toml"


def load() -> dict:
    from app.storage.safe_read import ReadError, read_text
    from app.engine.toml_text import TomlError, parse_toml
    try:
        data = parse_toml(read_text(config_dir() / FILE, 64 * 1024))
    except (ReadError, UnicodeDecodeError, TomlError):
        return {}
    return data if isinstance(data, dict) else {}


def chosen_language(asked: str | None = None) -> str | None:
    """The language asked for (``--lang``), else HUIQI_LANG, else the one saved; None when no
    language was ever chosen (the app then asks at its first start)."""
    chosen = asked or os.environ.get("HUIQI_LANG") or load().get("lang")
    return chosen if isinstance(chosen, str) and chosen else None


def save(key: str, value) -> bool:
    """Set one setting; keep everything else in the file. False when it could not be written."""
    import tomlkit
    folder = config_dir()
    path = folder / FILE
    try:
        from app.storage.safe_read import ReadError, read_text
        try:
            doc = tomlkit.parse(read_text(path, 64 * 1024))
        except (ReadError, UnicodeDecodeError, ValueError, RecursionError,
                tomlkit.exceptions.ParseError):
            doc = tomlkit.document()
            doc.add(tomlkit.comment("惠企自测 Huiqi settings"))
        doc[key] = value
        write_atomic(path, tomlkit.dumps(doc))
        return True
    except OSError:
        return False
