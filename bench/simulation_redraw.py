"""Slider input → redrawn chart, per simulation, in Debian's Chromium. A benchmark, not a test.

For each simulation: open the page, then move one slider `--moves` times (one move at a time, each to
a new value) and time, inside the page, from the input event to the second animation frame after every
chart's Plotly.react has resolved (the frame that shows the new chart). The time is split into the
data.json round trip (server model + figures + JSON, from the Resource Timing entry) and the browser's
own work (stats, tables, Plotly.react, paint). Also: the server-side share alone (Flask test client)
and the time from navigation to the first drawn charts. `--cpu-throttle 4` approximates a mid-range
phone; `--network phone` adds 150 ms latency and 1.6 Mbit/s down for the page-load figure.

    .venv/bin/python bench/simulation_redraw.py [--moves 40] [--cpu-throttle 1] [--network none|phone]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from waitress.server import create_server  # noqa: E402

from app import create_app  # noqa: E402
from simulations import SIMULATIONS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SLIDERS = {"clv": "r", "lifecycle": "churn1", "satisfaction": "a", "rfm": "churn"}
FRAME_MS = 1000 / 60
PHONE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8}

MOVE_JS = """
async ({name, value}) => {
  const el = document.querySelector(`input[type=range][name="${name}"]`);
  const rendered = new Promise(resolve =>
    document.addEventListener('simulation:rendered', e => resolve(e.detail), {once: true}));
  performance.clearResourceTimings();
  el.value = value;
  const t0 = performance.now();
  el.dispatchEvent(new Event('input', {bubbles: true}));
  const done = await rendered;
  const fetch = performance.getEntriesByType('resource').filter(e => e.name.includes('data.json')).pop();
  return {total: done.drawnAt - t0, fetch: fetch ? fetch.responseEnd - fetch.startTime : null,
          bytes: fetch ? fetch.encodedBodySize : null};
}
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def slider_values(sim, name: str, count: int) -> list[str]:
    """`count` values sweeping the slider's range back and forth, never the same twice in a row."""
    param = next(p for p in sim.params if p.name == name)
    steps = max(2, min(20, int((param.max - param.min) / param.step)))
    grid = [param.min + (param.max - param.min) * i / steps for i in range(steps + 1)]
    sweep = grid + grid[-2:0:-1]
    return [f"{sweep[i % len(sweep)]:g}" for i in range(1, count + 1)]


def server_share(app, name: str, repeat: int = 30) -> float:
    """Median ms for data.json in-process: the model, its figures and the JSON, without HTTP or browser."""
    client = app.test_client()
    param = SLIDERS[name]
    values = slider_values(SIMULATIONS[name], param, repeat)
    samples = []
    for value in values:
        start = time.perf_counter()
        client.get(f"/simulations/{name}/data.json", query_string={param: value})
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def measure(browser, base: str, name: str, moves: int, throttle: float, network: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    if network == "phone":
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
    if throttle > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(f"{base}/simulations/{name}")
    page.wait_for_function("window.simulation && window.simulation.renders > 0", timeout=120_000)
    first_draw = page.evaluate("window.simulation.last.drawnAt")  # ms since navigation start
    if network == "phone":
        cdp.send("Network.emulateNetworkConditions", {**PHONE_NETWORK, "latency": 0, "downloadThroughput": -1,
                                                      "uploadThroughput": -1})
    param = SLIDERS[name]
    values = slider_values(SIMULATIONS[name], param, moves + 3)
    runs = [page.evaluate(MOVE_JS, {"name": param, "value": v}) for v in values]
    context.close()
    runs = runs[3:]  # warm-up
    totals = [r["total"] for r in runs]
    fetches = [r["fetch"] for r in runs if r["fetch"] is not None]
    browser_work = [r["total"] - r["fetch"] for r in runs if r["fetch"] is not None]
    return {
        "slider": param, "moves": len(runs), "first_draw_ms": first_draw,
        "total_median": statistics.median(totals), "total_p90": percentile(totals, 0.9), "total_max": max(totals),
        "fetch_median": statistics.median(fetches), "browser_median": statistics.median(browser_work),
        "json_kb": statistics.median(r["bytes"] for r in runs if r["bytes"]) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--cpu-throttle", type=float, default=1.0)
    parser.add_argument("--network", choices=["none", "phone"], default="none")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "DATABASE": str(Path(tmp) / "bench.sqlite3")})
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{server.effective_port}"
        results = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            for name in SIMULATIONS:
                results[name] = measure(browser, base, name, args.moves, args.cpu_throttle, args.network)
                results[name]["server_ms"] = server_share(app, name)
            browser.close()
        server.close()

    cpu = f"CPU ×{args.cpu_throttle:g}" if args.cpu_throttle > 1 else "unthrottled"
    print(f"slider input → redrawn chart (Chromium {cpu}, network {args.network}, "
          f"{args.moves} moves each, waitress on loopback); 1 frame = {FRAME_MS:.1f} ms")
    print(f"{'simulation':<13}{'slider':<8}{'median':>9}{'p90':>9}{'max':>9}{'frames':>8}{'fetch':>9}"
          f"{'server':>9}{'browser':>9}{'json kB':>9}{'1st draw':>10}")
    for name, r in results.items():
        print(f"{name:<13}{r['slider']:<8}{r['total_median']:>7.1f}ms{r['total_p90']:>7.1f}ms{r['total_max']:>7.1f}ms"
              f"{r['total_median'] / FRAME_MS:>8.1f}{r['fetch_median']:>7.1f}ms{r['server_ms']:>7.1f}ms"
              f"{r['browser_median']:>7.1f}ms{r['json_kb']:>9.1f}{r['first_draw_ms']:>8.0f}ms")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = out / f"simulation_redraw-{stamp}-cpu{args.cpu_throttle:g}-{args.network}.json"
    path.write_text(json.dumps({"args": vars(args), "results": results}, ensure_ascii=False, indent=2))
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
