#!/usr/bin/env python3
"""Open N idle PostgreSQL sessions and hold them until SIGTERM.

Speaks just enough of the protocol (plaintext StartupMessage, trust authentication) to get each
session to its first ReadyForQuery, so the proxy has finished its startup phase and is relaying.
Writes "ready N" to the status file once all are open, then sleeps; SIGTERM sends Terminate on
every socket and exits. Exit status 1 (message on stderr) if any session fails to open.

usage: idle_sessions.py HOST PORT COUNT USER DATABASE STATUS_FILE
"""
import signal
import socket
import struct
import sys
import threading
from concurrent.futures import ThreadPoolExecutor


def startup_packet(user, database):
    body = struct.pack("!I", 3 << 16)  # protocol 3.0
    for key, value in (("user", user), ("database", database), ("application_name", "bench-idle")):
        body += key.encode() + b"\0" + value.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("server closed the connection during startup")
        data += chunk
    return data


def open_session(host, port, packet):
    sock = socket.create_connection((host, port), timeout=60)
    sock.sendall(packet)
    while True:
        kind, length = struct.unpack("!cI", read_exact(sock, 5))
        payload = read_exact(sock, length - 4)
        if kind == b"E":
            fields = [f.decode(errors="replace") for f in payload.split(b"\0") if f]
            raise ConnectionError("server error: " + " ".join(f[1:] for f in fields if f[0] in "CM"))
        if kind == b"R" and struct.unpack("!I", payload[:4])[0] != 0:
            raise ConnectionError("server asked for a password; the benchmark expects trust auth")
        if kind == b"Z":
            sock.settimeout(None)
            return sock


def main():
    host, port, count, user, database, status_file = sys.argv[1:7]
    port, count = int(port), int(count)
    packet = startup_packet(user, database)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    # A handful of openers in parallel: the server forks a backend per session, so more
    # parallelism mostly adds contention on a 2-core machine.
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(open_session, host, port, packet) for _ in range(count)]
    sockets, errors = [], []
    for f in futures:
        try:
            sockets.append(f.result())
        except Exception as e:  # report every failure kind the same way
            errors.append(str(e))
    if errors:
        print(f"idle_sessions: {len(errors)} of {count} sessions failed, first: {errors[0]}", file=sys.stderr)
        for s in sockets:
            s.close()
        sys.exit(1)

    with open(status_file, "w") as f:
        f.write(f"ready {len(sockets)}\n")
    while not stop.wait(1):
        pass
    terminate = struct.pack("!cI", b"X", 4)
    for s in sockets:
        try:
            s.sendall(terminate)
        finally:
            s.close()


if __name__ == "__main__":
    main()
