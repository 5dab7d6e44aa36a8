"""scripts/production_server.Channel: the event loop leaves a response to its request thread, and still every
byte of every response arrives, in order, however slowly the browser reads."""
from __future__ import annotations

import importlib.util
import socket
import threading
import time

import pytest
from waitress.server import create_server

from tests.production import ROOT

spec = importlib.util.spec_from_file_location("production_server", ROOT / "scripts" / "production_server.py")
production_server = importlib.util.module_from_spec(spec)
spec.loader.exec_module(production_server)

MB = 1024 * 1024


def body_for(path: str) -> bytes:
    size = {"/small": 6000, "/large": 4 * MB, "/huge": 40 * MB}[path]   # huge: far over waitress's 16 MB watermark
    pattern = path.encode() + b"0123456789abcdef"
    return (pattern * (size // len(pattern) + 1))[:size]


def app(environ, start_response):
    body = body_for(environ["PATH_INFO"])
    start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(body)))])
    return [body[i:i + MB] for i in range(0, len(body), MB)]    # written a megabyte at a time, as a file is


@pytest.fixture(scope="module")
def port():
    server = create_server(app, host="127.0.0.1", port=0, threads=1, asyncore_use_poll=True, _start=True)
    server.channel_class = production_server.Channel
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()


def read_response(sock: socket.socket, pause: float = 0.0) -> bytes:
    """One response's body; `pause`: sleep before reading, like a phone on a poor connection."""
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    assert head.startswith(b"HTTP/1.1 200")
    time.sleep(pause)
    body = bytearray()
    while len(body) < length:
        chunk = sock.recv(min(65536, length - len(body)))
        assert chunk, "the connection closed before the whole response arrived"
        body += chunk
    return bytes(body)


@pytest.mark.parametrize("path", ["/large", "/huge"])
def test_a_response_bigger_than_the_socket_arrives_whole_to_a_slow_reader(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert read_response(sock, pause=0.5) == body_for(path)
        sock.sendall(b"GET /small HTTP/1.1\r\nHost: x\r\n\r\n")      # and the connection serves the next request
        assert read_response(sock) == body_for("/small")


def test_pipelined_requests_get_their_responses_in_order(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"".join(f"GET {p} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for p in ["/large", "/small", "/large"]))
        assert [read_response(sock) for _ in range(3)] == [body_for("/large"), body_for("/small"), body_for("/large")]


def test_many_connections_each_asking_twice_all_get_both_answers(port):
    """The bench's floor in small: every connection's second request is answered, none left waiting."""
    results: list[bool] = []

    def visitor():
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            ok = True
            for _ in range(2):
                sock.sendall(b"GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
                ok = ok and read_response(sock) == body_for("/small")
            results.append(ok)

    threads = [threading.Thread(target=visitor) for _ in range(100)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert results == [True] * 100


def test_the_loop_leaves_a_running_request_its_own_output_but_drains_a_pile_or_a_closing_connection():
    class Fake(production_server.Channel):
        def __init__(self):                     # only what writable() reads
            self.adj = type("Adj", (), {"outbuf_high_watermark": 16 * MB})()
            self.requests, self.total_outbufs_len, self.will_close, self.close_when_flushed = [], 0, False, False

    channel = Fake()
    assert not channel.writable()                                    # nothing to send
    channel.total_outbufs_len = 6000
    assert channel.writable()                                        # what a finished request left: the loop sends it
    channel.requests = ["running"]
    assert not channel.writable()                                    # its request thread is sending it
    channel.total_outbufs_len = 16 * MB + 1
    assert channel.writable()                                        # a slow reader's pile: the request thread waits for the loop
    channel.total_outbufs_len, channel.close_when_flushed = 10, True
    assert channel.writable()                                        # closing: flush and close
