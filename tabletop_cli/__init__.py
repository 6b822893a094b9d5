"""The `tabletop` command: the front door to every job (imports stay lazy so that `--help` is fast)."""
