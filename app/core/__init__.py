"""The pure core: catalog, conditions, amounts, profiles, assessment, reports.

Never imports textual or rich (tests/test_import_hygiene.py proves it).
"""
