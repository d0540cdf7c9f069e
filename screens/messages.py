"""Messages the app sends to its screens (attributes down, messages up)."""

from __future__ import annotations

from textual.message import Message


class CatalogLoaded(Message, bubble=False):
    """The catalog has been read, or found unusable (app.catalog / app.catalog_problems): a
    screen that shows it refreshes."""
