"""Help pages that name what a command takes as a facilitator reads it: `SCENARIO`, `LOG...`, not Python types."""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand

# The context and formatter are click's, which typer vendors privately since 0.25: they are passed through as
# they come (typed Any), and arguments are recognised by typer's own class.


class Command(TyperCommand):
    """A typer command whose help shows each argument by its metavariable alone (typer adds `<list[Path]>`)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line: `[OPTIONS]`, then each argument as `NAME`, `[NAME]` (optional) or `NAME...`."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(argument_name(param) if param.required else f"[{argument_name(param)}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The Arguments section (names without types), then the Options section as typer writes it."""
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                arguments.append((argument_name(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def argument_name(param: TyperArgument) -> str:
    """`SCENARIO`, or `LOG...` for an argument that takes several."""
    name = param.metavar or (param.name or "").upper()
    return name if param.nargs == 1 or name.endswith("...") else f"{name}..."
