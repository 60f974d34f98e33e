import os, shutil, signal, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent/"shared"


@pytest.fixture(scope="session")
def cli() -> str:
    "The `syria-notes` executable installed beside this Python (the venv's)."
    exe = Path(sys.executable).parent/"syria-notes"
    assert exe.exists(), f"{exe} is missing: install the package (make install)"
    return str(exe)


@pytest.fixture
def offline_env(monkeypatch):
    "The environment with online access off (the cache folder, and so the built gazetteer, is the usual one)."
    monkeypatch.setenv("SYRIA_NOTES_ONLINE", "0")
    return dict(os.environ)


def default_signals():
    "For `preexec_fn`: Ctrl-C's signal as a terminal delivers it. A shell ignores SIGINT in the jobs it starts in the"
    "background (a CI runner may start make that way), and children inherit that: a test that sends SIGINT must undo it."
    signal.signal(signal.SIGINT, signal.SIG_DFL)
