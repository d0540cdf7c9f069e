"""The interactive Textual app: screens gather answers, the core does the work."""
