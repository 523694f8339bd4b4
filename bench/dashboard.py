"""Benchmark: 20 concurrent clients on loopback against the dashboard, CCI simulation loaded.

Runs `inspectorate simulate cci` (54 YOTs, 2009-2013, with the reinspections it plans) into
a fresh record, adds a manager's account, serves the dashboard in its own process
(`inspectorate dashboard`), and has 20 client threads each fetch the programme timeline and
inspection pages in turn as the manager (who may see everything, so every page is full).
Baseline in the same run: the same 20 clients fetching the stylesheet, the server's floor.
Prints p50 and p95 per page. Goal (issue 8): p95 under 100 ms.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deployments.local_server import free_port, wait_for  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
CLI = str(ROOT / ".venv" / "bin" / "inspectorate")
PASSWORD = "benchmark password"
WORKERS = os.environ.get("BENCH_WORKERS", "1")  # server processes (each keeps its own pages)


def load(folder: Path, env: dict[str, str]) -> None:
    """Simulate CCI into `folder` and add a manager."""
    subprocess.run(
        [CLI, "simulate", "cci", "--until", "2013-06-30", "--folder", str(folder), "--json"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    subprocess.run(
        [CLI, "users", "add", "bench.manager", "--role", "manager", "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def sign_in(base: str) -> httpx.Cookies:
    """Sign in as the manager; return the cookies."""
    with httpx.Client(base_url=base) as client:
        form = client.get("/login")
        csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
        client.post(
            "/login", data={"username": "bench.manager", "password": PASSWORD, "csrf": csrf}
        )
        return client.cookies


async def _client(
    port: int, cookie: str, paths: list[str], offset: int, timings: dict[str, list[float]]
) -> None:
    """One keep-alive connection fetching REQUESTS pages in turn, timing each."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for n in range(REQUESTS):
            path = paths[(offset + n) % len(paths)]
            began = time.perf_counter()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            elapsed = time.perf_counter() - began
            assert status == 200, (path, status)
            kind = "static" if path.startswith("/static") else path.split("/")[1]
            timings.setdefault(kind, []).append(elapsed)
    finally:
        writer.close()


def hammer(port: int, cookie: str, paths: list[str]) -> dict[str, list[float]]:
    """CLIENTS concurrent connections (one asyncio loop, so the load costs little CPU)."""
    timings: dict[str, list[float]] = {}

    async def run() -> None:
        await asyncio.gather(*(_client(port, cookie, paths, i, timings) for i in range(CLIENTS)))

    asyncio.run(run())
    return timings


def percentiles(values: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    cuts = statistics.quantiles(values, n=100)
    return 1000 * cuts[49], 1000 * cuts[94]


def main() -> None:
    """Load, serve, hammer, print."""
    with tempfile.TemporaryDirectory() as scratch:
        # BENCH_RECORD=folder keeps the loaded record there and reuses it on the next run.
        folder = Path(os.environ.get("BENCH_RECORD") or Path(scratch) / "cci")
        env = {
            **os.environ,
            "INSPECTORATE_DATABASE_URL": f"sqlite:///{folder / 'inspectorate.db'}",
            "INSPECTORATE_REPORT_FORMATS": "html",
            "PREFECT_HOME": str(Path(scratch) / "prefect"),
        }
        began = time.perf_counter()
        if not (folder / "inspectorate.db").exists():
            load(folder, env)
        loaded = time.perf_counter() - began
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [CLI, "dashboard", "--port", str(port), "--workers", WORKERS],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(lambda: _up(base), "the dashboard", 60)
            cookies = sign_in(base)
            with httpx.Client(base_url=base, cookies=cookies) as http:
                ids = [i["id"] for i in http.get("/api/inspections").json()]
            pages = ["/programmes/cci?as_of=2011-06-01"] + [f"/inspections/{i}" for i in ids]
            cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
            first = hammer(port, cookie, pages)  # each page's first render, then kept
            baseline = hammer(port, cookie, ["/static/dashboard.css"])["static"]
            # Timeline and inspection pages in turn, every inspection once a round.
            mixed = [page for i in ids for page in (pages[0], f"/inspections/{i}")]
            timings = hammer(port, cookie, mixed)
        finally:
            server.terminate()
            server.wait(10)
    print(
        f"dashboard ({WORKERS} server processes) under {CLIENTS} concurrent clients, "
        f"{REQUESTS} requests each "
        f"(CCI simulation loaded: {len(ids)} inspections, {loaded:.0f} s to load)"
    )
    cold = first.get("inspections", []) + first.get("programmes", [])
    c50, c95 = percentiles(cold)
    print(f"  first renders (cold):   p50 {c50:6.1f} ms  p95 {c95:6.1f} ms  (pages not yet kept)")
    b50, b95 = percentiles(baseline)
    print(f"  stylesheet (baseline):  p50 {b50:6.1f} ms  p95 {b95:6.1f} ms")
    worst = 0.0
    for kind, label in (("programmes", "timeline page"), ("inspections", "inspection page")):
        p50, p95 = percentiles(timings[kind])
        worst = max(worst, p95)
        ratio = p95 / b95
        print(f"  {label + ':':<23} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({ratio:.1f}x baseline)")
    print(f"  goal: p95 under 100 ms ({'met' if worst < 100 else 'NOT met'})")


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/static/dashboard.css", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    main()
