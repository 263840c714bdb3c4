"""Shared by the benchmarks: a server process on 127.0.0.1, the fake Slack, latency statistics."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def pin_to_cpu(cpu: int) -> list[str]:
    """Pin this process to `cpu` and return the prefix that pins a child to the other core, as the
    stack's reference figures were measured (server on one core, load on the other)."""
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "sched_setaffinity"):
        return []
    os.sched_setaffinity(0, {cpu})
    return ["taskset", "-c", str(1 - cpu)] if shutil.which("taskset") else []


def start_server(
    env: dict[str, str],
    port: int,
    timeout_s: float = 30,
    log_path: Path | None = None,
    prefix: list[str] | None = None,
) -> Server:
    """`platops serve` in its own process (so load generation does not share its event loop)."""
    full_env = {**os.environ, **env, "PLATOPS_PORT": str(port), "PLATOPS_HOST": "127.0.0.1"}
    log = log_path.open("ab") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(
        [*(prefix or []), sys.executable, "-m", "bot.cli", "serve"],
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return Server(process, url)
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        time.sleep(0.2)
    process.kill()
    raise TimeoutError("the server did not answer /healthz in time")


@dataclass
class LatencyReport:
    count: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    def summary(self, label: str) -> str:
        return (
            f"{label}: {self.count} requests, {self.errors} errors, "
            f"{self.count / self.seconds:.0f} req/s, p50 {self.percentile(50):.1f} ms, "
            f"p95 {self.percentile(95):.1f} ms, p99 {self.percentile(99):.1f} ms, "
            f"max {max(self.latencies_ms):.1f} ms, "
            f"mean {statistics.fmean(self.latencies_ms):.1f} ms"
        )


async def fire(
    total: int, concurrency: int, request: Callable[[int], Awaitable[bool]]
) -> LatencyReport:
    """Run `total` requests with `concurrency` workers; `request(i)` returns success."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def worker() -> None:
        nonlocal errors
        for i in counter:
            started = time.perf_counter()
            ok = await request(i)
            latencies.append((time.perf_counter() - started) * 1000)
            errors += 0 if ok else 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return LatencyReport(total, errors, time.perf_counter() - started, latencies)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(url: str, lua: str, concurrency: int, seconds: int, tmp: Path, label: str) -> str:
    """Load from wrk (C, one thread, on core 1 next to a server on core 0) with a Lua script that
    builds each request; returns wrk's latency report under `label`."""
    script = tmp / "load.lua"
    script.write_text(lua)
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds}s", "--latency", "-s", str(script)]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "1", *command]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return f"{label} (wrk):\n{result.stdout}"
