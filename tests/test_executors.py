"""Executors (design section 4): the same seed gives byte-identical tables in this process, on a
process pool and on a Dask cluster; killing the parent of a pool run leaves no worker behind;
asking for Dask without it installed says how to install it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.executors import CLUSTER_INSTALL
from tests.conftest import ROOT, SCENARIOS

ALL_SERVICES = ROOT / "tests" / "scenarios" / "fjordvik-autumn.toml"
REPLICATIONS = 4
SEED = 11
WAIT_SECONDS = 60
"""Generous bound on how long a worker may outlive its parent on a loaded machine."""


def _tables(**options: object) -> dict[str, str]:
    results = sim.run(ALL_SERVICES, replications=REPLICATIONS, seed=SEED, progress=False,
                      **options)
    return {name: getattr(results, name).to_csv(index=False)
            for name in ("daily", "weekly", "summary")}


@pytest.fixture(scope="module")
def in_process() -> dict[str, str]:
    return _tables(jobs=1)


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two single-threaded workers, started by the test as a user would."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as started:
        yield started


def test_a_pool_of_two_gives_the_tables_of_one_process(in_process):
    assert _tables(jobs=2) == in_process


def test_a_dask_cluster_gives_the_tables_of_one_process(in_process, cluster):
    assert _tables(executor="dask", scheduler=cluster.scheduler_address) == in_process


def test_a_sweep_on_a_dask_cluster_gives_the_sweep_of_one_process(cluster, tmp_path):
    """Two cells, their replications on the cluster at once: the same sweep.csv, byte for byte."""
    def sweep_csv(folder: str, *where: str) -> bytes:
        code = main(["sweep", str(ALL_SERVICES), "--vary", "support_desk.surge_agents=0,2",
                     "-n", "2", "--seed", str(SEED), "--quiet", *where,
                     "--out", str(tmp_path / folder)])
        assert code == 0
        return (tmp_path / folder / "sweep.csv").read_bytes()

    assert sweep_csv("dask", "--executor", "dask", "--scheduler",
                     cluster.scheduler_address) == sweep_csv("in-process", "--jobs", "1")


def test_the_optimiser_on_a_dask_cluster_decides_as_in_one_process(cluster):
    """One connection to the cluster for the whole search (the executor kept open): the same
    values evaluated with the same replications and shares."""
    from sim.optimiser import Lever
    from tests.test_optimise import AGENTS, mmc

    def evaluated(**where: object) -> list[dict]:
        answer = sim.optimise(mmc(0.5, 6.0, 60, 0.7), [Lever(AGENTS, 4, 6)], target=0.5, first=3,
                              report=lambda line: None, **where)
        return answer["evaluated"]

    assert evaluated(executor="dask", scheduler=cluster.scheduler_address) == evaluated(jobs=1)


@pytest.mark.parametrize("command", [
    ["run", str(ALL_SERVICES)],
    ["sweep", str(ALL_SERVICES), "--vary", "support_desk.surge_agents=0,2"],
    ["optimise", str(ALL_SERVICES), "--lever", "support_desk.surge_agents", "--min", "0",
     "--max", "2"],
    ["sensitivity", str(ROOT / "tests" / "scenarios" / "fjordvik-uncertain.toml")],
], ids=lambda command: command[0])
def test_every_command_refuses_a_scheduler_without_dask(command, capsys, tmp_path):
    """One executor option for every command that runs replications: refused before any work."""
    out = tmp_path / "out"
    code = main([*command, "-n", "1", "--scheduler", "tcp://127.0.0.1:8786", "--out", str(out)])
    assert code == 2
    assert "--scheduler: only with --executor dask" in capsys.readouterr().err
    assert not out.exists()


def test_the_manifest_names_the_executor(in_process):
    results = sim.run(ALL_SERVICES, replications=2, seed=SEED, jobs=2, progress=False)
    assert results.manifest["executor"] == "process-pool"


def test_dask_without_the_extra_says_how_to_install_it(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    code = main(["run", str(ALL_SERVICES), "-n", "1", "--executor", "dask",
                 "--out", str(tmp_path / "out")])
    assert code == 2
    assert CLUSTER_INSTALL in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def _children(pid: int) -> set[int]:
    """Live processes whose parent is `pid` (Linux /proc; a zombie counts as gone)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == pid and state != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("kill", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_the_parent_of_a_pool_run_leaves_no_worker(kill, tmp_path):
    """As `timeout` and CI cancellation do: the parent dies mid-run, its workers follow."""
    parent = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", str(SCENARIOS / "trondheim-2022.toml"), "-n", "50",
         "--jobs", "2", "--quiet", "--out", str(tmp_path / "out")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + WAIT_SECONDS
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
        workers = _children(parent.pid)
        time.sleep(0.1)
    assert len(workers) >= 2, "the pool never started"
    os.kill(parent.pid, kill)
    parent.wait()
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]
