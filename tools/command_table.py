"""Rewrite the command table of nbs/index.ipynb (and so the README's) from the CLI's own help texts.

Run after changing a command's help in nbs/07_cli.ipynb: `python tools/command_table.py && make readme`.
tests/test_cli.py checks that the README's table and each command's --help agree."""
import json, re
from pathlib import Path

from syria_notes.cli import COMMANDS, GUIDE

INDEX = Path(__file__).resolve().parents[1]/"nbs"/"index.ipynb"


def table() -> str:
    rows = ["| command | what it does | what it writes | example |", "|---|---|---|---|"]
    rows += [f"| `{name}` | {help} | {GUIDE[name][0]} | `{GUIDE[name][1]}` |" for name, (help, _) in COMMANDS.items()]
    return "\n".join(rows)


def main():
    nb = json.loads(INDEX.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if "| command | what it does | what it writes | example |" in text:
            new = re.sub(r"\| command \| what it does \| what it writes \| example \|\n(?:\|.*\|\n?)+", table() + "\n", text, count=1)
            cell["source"] = new.splitlines(keepends=True)
            break
    else: raise SystemExit(f"{INDEX}: no command table found")
    INDEX.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"rewrote the command table of {INDEX}")


if __name__ == "__main__": main()
