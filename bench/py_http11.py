"""Fallback for Pythons whose http.server has no --protocol option (< 3.11).

Runs the stdlib SimpleHTTPRequestHandler on a ThreadingHTTPServer with
HTTP/1.1 (keep-alive), like `python3 -m http.server PORT --bind ADDR
--directory DIR --protocol HTTP/1.1` does on 3.11+.

usage: python3 py_http11.py PORT BIND DIR
"""
import functools
import http.server
import sys


def main() -> None:
    port, bind, directory = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    http.server.SimpleHTTPRequestHandler.protocol_version = "HTTP/1.1"
    with http.server.ThreadingHTTPServer((bind, port), handler) as httpd:
        print(f"Serving HTTP/1.1 on {bind} port {port} (dir {directory}) ...", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
