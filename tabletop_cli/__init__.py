"""The `tabletop` command: the front door to every job (imports stay lazy so that `--help` is fast)."""


class BadOption(Exception):
    """A command-line option the user got wrong (rendered once, exit 2)."""
