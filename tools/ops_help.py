"""The README's operator section: `lottery-ops --help` and the help of each command group, as printed (in the
CLI's default language, Korean; `python tools/ops_help.py en` for English)."""

import sys

import typer.main

from platform_deploy.ops.cli import app


def ops_help(language: str = "ko") -> str:
    command = typer.main.get_command(app)
    parts = []
    # A fixed width: the same text whatever the terminal.
    with command.make_context("lottery-ops", ["--lang", language], resilient_parsing=True, terminal_width=100,
                              max_content_width=100) as root:
        parts.append(("lottery-ops --help", command.get_help(root)))
        for name in command.list_commands(root):  # type: ignore[attr-defined]
            group = command.get_command(root, name)  # type: ignore[attr-defined]
            if group is None or not hasattr(group, "list_commands"):
                continue
            with group.make_context(name, [], parent=root, resilient_parsing=True) as sub:
                parts.append((f"lottery-ops {name} --help", group.get_help(sub)))
    return "\n\n".join(f"```\n$ {title}\n{text.rstrip()}\n```" for title, text in parts)


if __name__ == "__main__":
    print(ops_help(*sys.argv[1:2]))
