#!/usr/bin/env python3
"""YouTube's resumable upload endpoint for tests/bench/vod.sh, discarding the bytes it counts.

Usage: uploadsink.py LOG

The protocol of tests/support/youtubestandin.*: POST .../upload/youtube/v3/videos?... creates a
session (Location: ...&upload_id=<n>); a PUT with Content-Range: bytes a-b/total adds its bytes
(a must be the session's offset), answered 308 Range: bytes=0-N until the last byte, then 201
{"id": ...}; bytes */total asks where a session stands. The test stand-in runs inside the test
process; this one is its own process, so the uploader's RSS and CPU are its own, and it keeps
nothing of the body. When a session completes, LOG gets the line "<upload_id> <bytes received>".
The first line on stdout is "PORT <n>".
"""

import json
import socket
import sys
import threading

BUFFER = 4 * 1024 * 1024


class Sessions:
    def __init__(self, log_path):
        self.lock = threading.Lock()
        self.next_id = 1
        self.offsets = {}
        self.totals = {}
        self.log = open(log_path, "a", buffering=1)

    def create(self, total):
        with self.lock:
            upload_id = str(self.next_id)
            self.next_id += 1
            self.offsets[upload_id] = 0
            self.totals[upload_id] = total
            return upload_id


def read_head(conn, pending):
    while b"\r\n\r\n" not in pending:
        data = conn.recv(65536)
        if not data:
            return None, b""
        pending += data
    head, _, rest = pending.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return (method, target, headers), rest


def discard_body(conn, length, pending):
    """Reads length body bytes, of which pending arrived with the head; returns what follows."""
    if len(pending) >= length:
        return pending[length:]
    remaining = length - len(pending)
    buffer = memoryview(bytearray(BUFFER))
    while remaining > 0:
        n = conn.recv_into(buffer, min(BUFFER, remaining))
        if n == 0:
            raise ConnectionResetError
        remaining -= n
    return b""


def answer(conn, status, reason, headers=(), body=b""):
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def serve(conn, sessions, port):
    pending = b""
    while True:
        request, pending = read_head(conn, pending)
        if request is None:
            return
        method, target, headers = request
        length = int(headers.get("content-length", "0"))
        if headers.get("expect", "").lower() == "100-continue":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        pending = discard_body(conn, length, pending)
        if method == "POST":
            upload_id = sessions.create(int(headers.get("x-upload-content-length", "0")))
            location = f"http://127.0.0.1:{port}{target}&upload_id={upload_id}"
            answer(conn, 200, "OK", [("Location", location)])
            continue
        upload_id = target.rpartition("upload_id=")[2]
        if method != "PUT" or upload_id not in sessions.offsets:
            answer(conn, 404, "Not Found")
            continue
        span, _, total = headers.get("content-range", "").removeprefix("bytes ").partition("/")
        with sessions.lock:
            if span != "*":
                first, _, last = span.partition("-")
                if int(first) != sessions.offsets[upload_id] or int(last) - int(first) + 1 != length:
                    answer(conn, 400, "Bad Request")
                    continue
                sessions.offsets[upload_id] += length
            offset = sessions.offsets[upload_id]
            done = offset == sessions.totals[upload_id] == int(total)
        if done:
            if span != "*":
                sessions.log.write(f"{upload_id} {offset}\n")
            answer(conn, 201, "Created", [("Content-Type", "application/json")],
                   json.dumps({"id": "bench" + upload_id}).encode())
        elif offset > 0:
            answer(conn, 308, "Resume Incomplete", [("Range", f"bytes=0-{offset - 1}")])
        else:
            answer(conn, 308, "Resume Incomplete")


def main():
    sessions = Sessions(sys.argv[1])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    print(f"PORT {port}", flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=lambda c=conn: handle(c, sessions, port), daemon=True).start()


def handle(conn, sessions, port):
    try:
        serve(conn, sessions, port)
    except (ConnectionResetError, BrokenPipeError, ValueError):
        pass
    finally:
        conn.close()


if __name__ == "__main__":
    main()
