"""Storage: every file the app reads or writes — client files (client_store), installed catalogs
(catalog_store), catalog and profile files, the parse cache, settings and the data folders — read
safely (safe_read) and written atomically (atomic). Builds on the engine; never on rendering or UI.
"""
