"The `syria-notes` command as a user runs it: the installed entry point, in a subprocess."
import subprocess, sys

import pytest

from conftest import ROOT
from syria_notes import __version__

SEEDS = sorted((ROOT/"seeds").glob("*.txt"))


def run(cli, *args, cwd=ROOT, env=None):
    return subprocess.run([cli, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def assert_one_line_error(result, status, *fragments):
    assert result.returncode == status, result
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments: assert fragment in result.stderr, result.stderr


def test_version(cli):
    result = run(cli, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"syria-notes {__version__} (spaCy pipeline: en_core_web_sm")


def test_help_lists_every_command_of_the_contract(cli):
    result = run(cli, "--help")
    assert result.returncode == 0
    for command in ["parse", "geocode", "places", "resolve", "evaluate", "corpus", "report"]:
        assert f"\n    {command} " in result.stdout
    assert "SYRIA_NOTES_ONLINE" in result.stdout


def test_help_does_not_load_spacy():
    "Settings and the parser stay cheap: spaCy is imported when a pipeline is loaded, not before."
    code = "import sys, syria_notes.cli as c; c.make_parser(); print('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_unknown_command_is_one_line(cli):
    assert_one_line_error(run(cli, "frobnicate"), 2, "invalid choice: 'frobnicate'", "see syria-notes --help")


def test_no_command_is_one_line(cli):
    assert_one_line_error(run(cli), 2, "required: COMMAND")


@pytest.mark.parametrize("args", [
    ("parse", SEEDS[0]), ("geocode", "Aleppo"), ("places", SEEDS[0]), ("resolve", "corpus.jsonl"),
    ("evaluate", "corpus.jsonl"), ("corpus", "seeds", "-o", "out")])
def test_steps_not_built_say_so(cli, args, tmp_path):
    result = run(cli, *args, cwd=tmp_path if args[0] == "corpus" else ROOT)
    assert_one_line_error(result, 2, f"`syria-notes {args[0]}` is not built yet")
    assert not (tmp_path/"out").exists()


def test_report_on_the_seeds(cli, tmp_path, offline_env):
    out = tmp_path/"report"
    result = run(cli, "report", *SEEDS, "-o", out, env=offline_env)
    assert result.returncode == 3, result  # incomplete, and says so
    assert "wrote" in result.stderr and "not built yet" in result.stderr
    summary = (out/"summary.md").read_text()
    for seed in SEEDS: assert f"| {seed.stem} |" in summary
    assert "## Not in this report" in summary
    first = summary
    assert run(cli, "report", *SEEDS, "-o", out, env=offline_env).returncode == 3
    assert (out/"summary.md").read_text() == first  # same inputs, same output
    assert sorted(p.name for p in out.iterdir()) == ["summary.md"]  # no temporary files left


@pytest.mark.parametrize("name, data, problem", [
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary data (NUL byte at offset 8)"),
    ("latin1.txt", "Alep, deuxième ville".encode("latin-1"), "not valid UTF-8 (byte 0xe8 at offset 11)"),
    ("empty.txt", b"\n \n", "empty"),
])
def test_report_refuses_bad_files_in_one_line(cli, tmp_path, name, data, problem):
    bad = tmp_path/name
    bad.write_bytes(data)
    result = run(cli, "report", SEEDS[0], bad, "-o", tmp_path/"out")
    assert_one_line_error(result, 1, f"{bad}: {problem}")
    assert not (tmp_path/"out").exists()  # nothing half-written


def test_report_missing_input_and_bad_output(cli, tmp_path):
    assert_one_line_error(run(cli, "report", tmp_path/"nope.txt", "-o", tmp_path/"out"), 1, "no such file or folder")
    (tmp_path/"file").write_text("x")
    assert_one_line_error(run(cli, "report", SEEDS[0], "-o", tmp_path/"file"), 1, "exists and is not a folder")
