"""Profile files: a contract profile read from disk (never a pipe, a device or a huge file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.engine.facts import FactRegistry
from app.engine.profile import Profile, ProfileError, parse_profile
from app.engine.toml_text import TomlError, parse_toml
from app.storage.safe_read import PROFILE_LIMIT, ReadError, read_text


def load_profile(path: str | Path, registry: FactRegistry, as_of: dt.date | None = None) -> Profile:
    """A profile file (a regular file of at most PROFILE_LIMIT, UTF-8 with or without a BOM),
    or ProfileError: whatever the file holds, nothing else is raised."""
    name = str(path)
    try:
        data = parse_toml(read_text(path, PROFILE_LIMIT))
    except ReadError as exc:
        raise ProfileError(name, None, exc.key, **exc.params) from None
    except UnicodeDecodeError:
        raise ProfileError(name, None, "error.not_utf8") from None
    except TomlError as exc:
        raise ProfileError(name, None, "error.bad_toml", reason=exc.reason) from None
    return parse_profile(data, registry, name, as_of)
