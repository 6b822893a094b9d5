"""The Textual console: screens and widgets that render records and send commands (no rules live here)."""
