"""`brandrail check --jobs N`: worker processes, the same output byte for byte and the same exit codes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_testlib import run, write_policy

from brandrail.cli import _parallel

TEXTS = (
    "Our flimsy tents.\n",
    "# Title\n\nA splendiferous and meh offer.\n",
    "All fine here.\n",
    "<p>Flimsy <b>meh</b></p>\n",
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_policy(tmp_path)
    for i in range(150):
        sub = tmp_path / "content" / f"d{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"m{i:03d}{('.md', '.txt', '.txt', '.html')[i % 4]}").write_text(TEXTS[i % 4] * (1 + i % 2))
    (tmp_path / "content" / "bad.txt").write_bytes(b"\x00binary")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_parallel, "SEQUENTIAL_BELOW", 0)
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif", "github", "html"])
def test_jobs_output_is_byte_identical_to_sequential(repo: Path, fmt: str) -> None:
    one = run("check", "content", "--format", fmt, "--jobs", "1")
    two = run("check", "content", "--format", fmt, "--jobs", "2")
    assert one[0] == two[0] == 2  # the binary file: exit 2 either way
    assert one[1] == two[1]
    assert "flimsy" in one[1].lower()


def test_jobs_with_baseline_and_small_chunks(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("brandrail.cli._check.BATCH", 7)  # many chunks in flight, results kept in order
    assert run("check", "content", "--write-baseline", "b.json", "--jobs", "2")[0] == 2
    (repo / "content" / "bad.txt").unlink()
    (repo / "content" / "d0" / "m000.md").write_text("Flimsy. Flimsy again, new.\n")
    one = run("check", "content", "--baseline", "b.json", "--format", "json", "--jobs", "1")
    two = run("check", "content", "--baseline", "b.json", "--format", "json", "--jobs", "2")
    assert one == two
    assert one[0] == 1


def _crash_on_m007(chunk: list[tuple[str, str]]) -> object:
    if any(path.endswith("m007.html") for path, _ in chunk):
        os._exit(3)
    return _parallel._check_chunk.__wrapped__(chunk)  # type: ignore[attr-defined]


def test_a_worker_crash_is_exit_2_naming_the_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if _parallel._context().get_start_method() != "fork":
        pytest.skip("the crash is injected into forked workers")
    original = _parallel._check_chunk
    _crash_on_m007.__wrapped__ = original  # type: ignore[attr-defined]
    monkeypatch.setattr(_parallel, "_check_chunk", _crash_on_m007)
    monkeypatch.setattr(_crash_on_m007, "__module__", _parallel.__name__)
    monkeypatch.setattr(_crash_on_m007, "__qualname__", "_check_chunk")
    # the injected crash lives in this process's memory: every pool must fork (the search for the file
    # starts while the broken pool's threads may still run, when the product would use spawn)
    fork = _parallel._context()
    monkeypatch.setattr(_parallel, "_context", lambda: fork)
    code, _, err = run("check", "content", "--jobs", "2", "--format", "json")
    assert code == 2
    assert "content/d1/m007.html" in err and "crashed" in err, err
    assert "Traceback" not in err


def test_default_jobs_respects_affinity_quota_and_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    monkeypatch.setattr(_parallel, "_cgroup_quota", lambda: 1.5)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert _parallel.cpu_budget() == 2
    assert _parallel.default_jobs() == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (7.0, 0.0, 0.0))
    assert _parallel.default_jobs() == 1
    monkeypatch.setattr(_parallel, "_cgroup_quota", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.0, 0.0, 0.0))
    assert _parallel.default_jobs() == 3


def test_small_runs_do_not_start_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_policy(tmp_path)
    (tmp_path / "a.txt").write_text("flimsy\n")
    monkeypatch.chdir(tmp_path)

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("workers started for one file")

    monkeypatch.setattr(_parallel, "check_files_parallel", boom)
    assert run("check", "a.txt", "--jobs", "2")[0] == 1
