"""The `tabletop` command: the front door to every job (imports stay lazy so that `--help` is fast)."""


class BadOption(Exception):
    """A command-line option the user got wrong (rendered once, exit 2)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message if hint is None else f"{message}; {hint}")
