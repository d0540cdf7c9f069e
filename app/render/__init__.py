"""Rendering: one report model (report.build_report) written as text, Markdown, HTML (the
handout) and JSON. Builds on the engine and i18n; never on textual or rich."""
