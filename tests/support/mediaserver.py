#!/usr/bin/env python3
"""Media server for the download tests: what yt-dlp fetches from Twitch's CDN, on loopback.

Usage: mediaserver.py CONFIG.json LOG.jsonl

CONFIG maps a request path to a route:
  {"mode": "file", "file": F, "rate": R, "drop_at": D, "drop_on_request": N}
                                                        F's bytes, Range/206, at most R bytes/s
                                                        (0: unthrottled); the N-th request to
                                                        the path (default 2: yt-dlp's probe GET
                                                        is the first and keeps its connection
                                                        open unread, so it cannot be told apart
                                                        by timing) is cut at absolute offset D
                                 "stall_at": S          every response stops sending at absolute
                                                        offset S and holds the connection open
  {"mode": "status", "status": 404}                     that status to every request
  {"mode": "probe-then-503", "file": F, "rate": R}      the first request served as "file", all
                                                        later ones 503
  {"mode": "hls", "segments": N, "segment_size": S, "rate": R}
                                                        PATH is the playlist; its segments are
                                                        PATH + "/<i>.ts", S bytes each
Every request is appended to LOG as one JSON line {"t", "method", "path", "range", "status"}
before the body is sent. The first line on stdout is "PORT <n>".
"""

import http.server
import json
import socket
import socketserver
import sys
import threading
import time

CHUNK = 16 * 1024


class Routes:
    def __init__(self, config, log_path):
        self.config = config
        self.log = open(log_path, "a", buffering=1)
        self.lock = threading.Lock()
        self.requests = {}
        self.contents = {}

    def content(self, path):
        with self.lock:
            if path not in self.contents:
                with open(path, "rb") as f:
                    self.contents[path] = f.read()
            return self.contents[path]

    def record(self, handler, status):
        entry = {"t": time.time(), "method": handler.command, "path": handler.path,
                 "range": handler.headers.get("Range"), "status": status}
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")

    def count_request(self, path):
        """How many requests this path has had, this one included."""
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            return self.requests[path]


def segment_bytes(index, size):
    # An MPEG-TS-looking payload (sync byte every 188 bytes) that differs per segment.
    packet = bytes([0x47]) + bytes([(index * 7 + i) % 251 for i in range(187)])
    return (packet * (size // 188 + 1))[:size]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    routes = None

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.handle_request(send_body=False)

    def do_GET(self):
        self.handle_request(send_body=True)

    def handle_request(self, send_body):
        path = self.path.split("?", 1)[0]
        route = self.routes.config.get(path)
        if route is None and path.endswith(".ts"):
            playlist, _, name = path.rpartition("/")
            parent = self.routes.config.get(playlist)
            if parent and parent["mode"] == "hls" and name[:-3].isdigit():
                index = int(name[:-3])
                if index < parent["segments"]:
                    body = segment_bytes(index, parent["segment_size"])
                    return self.send_media(body, "video/mp2t", parent.get("rate", 0), None,
                                           send_body)
        if route is None:
            return self.send_status(404, send_body)
        mode = route["mode"]
        number = self.routes.count_request(path)
        if mode == "status":
            return self.send_status(route["status"], send_body)
        if mode == "probe-then-503" and number > 1:
            return self.send_status(503, send_body)
        if mode == "hls":
            lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:2",
                     "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD"]
            for i in range(route["segments"]):
                lines += ["#EXTINF:2.000,", f"{path.rsplit('/', 1)[1]}/{i}.ts"]
            lines.append("#EXT-X-ENDLIST")
            body = ("\n".join(lines) + "\n").encode()
            return self.send_media(body, "application/vnd.apple.mpegurl", 0, None, send_body)
        drop_at = route.get("drop_at")
        if number != route.get("drop_on_request", 2):
            drop_at = None
        body = self.routes.content(route["file"])
        return self.send_media(body, "video/mp4", route.get("rate", 0), drop_at, send_body,
                               route.get("stall_at"))

    def send_status(self, status, send_body):
        self.routes.record(self, status)
        body = f"status {status}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def send_media(self, body, content_type, rate, drop_at, send_body, stall_at=None):
        start, end = 0, len(body) - 1
        header = self.headers.get("Range")
        status = 200
        if header and header.startswith("bytes="):
            first, _, last = header[6:].partition("-")
            start = int(first) if first else 0
            end = min(int(last), end) if last else end
            if start > end:
                self.routes.record(self, 416)
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        self.routes.record(self, status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
        self.end_headers()
        if not send_body:
            return
        self.stream(body, start, end + 1, rate, drop_at, stall_at)

    def stream(self, body, offset, stop, rate, drop_at, stall_at):
        began = time.monotonic()
        sent = 0
        cut = drop_at if drop_at and offset < drop_at < stop else None
        if stall_at is not None and offset < stall_at < stop:
            stop = stall_at
        try:
            while offset < stop:
                if offset == cut:
                    # The connection drops without a proper end of the response.
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                limit = cut if cut is not None else stop
                n = min(CHUNK, limit - offset)
                self.wfile.write(body[offset:offset + n])
                offset += n
                sent += n
                if rate:
                    ahead = sent / rate - (time.monotonic() - began)
                    if ahead > 0:
                        time.sleep(ahead)
            if stop == stall_at:
                self.wfile.flush()
                while self.connection.recv(1024):
                    pass
                self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    with open(sys.argv[1]) as f:
        config = json.load(f)
    Handler.routes = Routes(config, sys.argv[2])
    server = Server(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
