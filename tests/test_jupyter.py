"""A researcher's JupyterLab, for real: `jupyter lab` on 127.0.0.1 with a token, in a temporary folder holding
the notebooks and seeds; its REST API lists the notebooks and opens a kernel session; the report notebook
runs, top to bottom, with nbclient on that server's kernel; then the server shuts down and leaves no process."""
import json, os, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.jupyter
REPORT = "10_ceasefire.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, runtime: Path):
        self.port, self.token, self.runtime = free_port(), secrets.token_hex(16), runtime
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTER_CONFIG_DIR": str(runtime/"config"),
               "JUPYTER_DATA_DIR": str(runtime/"data"), "SYRIA_NOTES_ONLINE": "0"}
        jupyter = Path(sys.executable).parent/"jupyter"
        self.log = open(runtime/"server.log", "w")
        self.proc = subprocess.Popen([str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                                      f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}",
                                      "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
                                      *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI containers run as root
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=root)

    def api(self, method: str, path: str, body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text and r.headers.get_content_type() == "application/json" else text)

    def wait(self, seconds=90):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None: break
            try: return self.api("GET", "/api/status")
            except OSError: time.sleep(0.3)
        raise AssertionError(f"jupyter lab did not start: {(self.runtime/'server.log').read_text()[-2000:]}")


def processes_mentioning(text: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text.encode() in (proc/"cmdline").read_bytes(): pids.append(int(proc.name))
        except OSError: pass
    return pids


def test_jupyterlab_lists_opens_and_runs_the_report(tmp_path):
    root, runtime = tmp_path/"work", tmp_path/"runtime"
    shutil.copytree(ROOT/"nbs", root/"nbs", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_quarto.yml"))
    shutil.copytree(ROOT/"seeds", root/"seeds")
    runtime.mkdir()
    server = Server(root, runtime)
    try:
        status, info = server.wait()
        assert status == 200 and "started" in info
        status, page = server.api("GET", "/lab")
        assert status == 200 and "JupyterLab" in page  # the application itself is served
        _, listing = server.api("GET", "/api/contents/nbs")
        names = {item["name"] for item in listing["content"] if item["type"] == "notebook"}
        assert {REPORT, "index.ipynb", "06_maps.ipynb"} <= names, names
        _, kernelspecs = server.api("GET", "/api/kernelspecs")
        assert "python3" in kernelspecs["kernelspecs"]
        status, session = server.api("POST", "/api/sessions", {"path": f"nbs/{REPORT}", "type": "notebook",
                                                                "name": REPORT, "kernel": {"name": "python3"}})
        assert status == 201, session
        kernel_id = session["kernel"]["id"]
        connection = runtime/f"kernel-{kernel_id}.json"
        assert connection.exists(), sorted(p.name for p in runtime.iterdir())
        kernel_pids = processes_mentioning(connection.name)
        assert kernel_pids, "the session's kernel process is not running"

        import nbformat
        from jupyter_client import KernelManager
        from nbclient import NotebookClient

        class ServerKernel(KernelManager):
            "The kernel the server started for the session: nbclient talks to it, and leaves it to the server."
            @property
            def has_kernel(self): return True

        km = ServerKernel(connection_file=str(connection))
        km.load_connection_file()
        nb = nbformat.read(root/"nbs"/REPORT, as_version=4)
        NotebookClient(nb, km=km, timeout=600).execute()  # raises CellExecutionError on any failing cell
        _, after = server.api("GET", f"/api/kernels/{kernel_id}")
        assert after["execution_state"] in ("idle", "busy") and after["id"] == kernel_id  # it ran on the server's kernel
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # the map and the timeline
        assert not [o for o in outputs if o.get("output_type") == "error"]
        server.api("DELETE", f"/api/sessions/{session['id']}")
    finally:
        try: server.api("POST", "/api/shutdown")
        except OSError: server.proc.terminate()
        try: server.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            raise
        server.log.close()
    assert server.proc.returncode is not None
    time.sleep(0.5)
    assert not [pid for pid in kernel_pids if Path(f"/proc/{pid}").exists() and
                b"zombie" not in Path(f"/proc/{pid}/status").read_bytes().lower()], "a kernel outlived the server"
    assert not processes_mentioning(str(root)), "a process of the server is still running"
