"""Start scripts/serve-production.sh as a real process on a temporary database (slow tests share it)."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, timeout: float = 10.0) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


class ProductionServer:
    def __init__(self, database: Path, port: int | None = None, workers: int = 2, **env: str):
        self.database, self.port, self.workers, self.env = database, port or free_port(), workers, env
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> "ProductionServer":
        env = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port), WORKERS=str(self.workers),
                   CRM_DATABASE=str(self.database), CRM_SECRET_KEY="production-test", **self.env)
        log = open(self.database.with_suffix(".log"), "ab")
        self.process = subprocess.Popen([str(ROOT / "scripts" / "serve-production.sh")], cwd=ROOT, env=env,
                                        stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.database.with_suffix('.log').read_text()[-2000:]}")
            try:
                if get(self.port, "/", timeout=5).status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not answer in time")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the launcher and its workers (SIGKILL: as a power cut would)."""
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the workers are gone when the port is free again
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                time.sleep(0.1)
            except OSError:
                return

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.kill(signal.SIGTERM)
