#!/usr/bin/env python3
"""Pipelined-GET attack on a server on this machine, with its resident memory sampled.

N connections (20 plain, 10 TLS) each send `GET /small.txt` pipelined 1,000 at a time as fast as the
socket takes them and never read an answer, for SECONDS (30 by default), while another client fetches
a file every half second. Prints the server's resident memory at the start, its peak, and how many
of the other client's requests were answered. Every socket goes to 127.0.0.1 only; the loop stops by
itself.

    bench/pipeline_attack.py PORT PID [SECONDS] [--tls] [--path /small.txt]
"""
import argparse
import socket
import ssl
import threading
import time
import urllib.request


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("pid", type=int)
    ap.add_argument("seconds", type=float, nargs="?", default=30.0)
    ap.add_argument("--tls", action="store_true")
    ap.add_argument("--path", default="/small.txt")
    a = ap.parse_args()
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    request = f"GET {a.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode() * 1000
    socks = []
    for _ in range(10 if a.tls else 20):
        s = socket.create_connection(("127.0.0.1", a.port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        if a.tls:
            s = ctx.wrap_socket(s)
        s.setblocking(False)
        socks.append(s)
    served = [0, 0]
    stop = time.time() + a.seconds

    def other_client():
        scheme = "https" if a.tls else "http"
        while time.time() < stop:
            served[1] += 1
            try:
                with urllib.request.urlopen(f"{scheme}://127.0.0.1:{a.port}{a.path}", timeout=5, context=ctx) as r:
                    if r.status == 200:
                        r.read()
                        served[0] += 1
            except OSError:
                pass
            time.sleep(0.5)

    t = threading.Thread(target=other_client)
    t.start()
    start_rss = peak = rss_mib(a.pid)
    while time.time() < stop:
        for s in socks:
            try:
                s.send(request)
            except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
                pass
            except OSError:
                pass
        peak = max(peak, rss_mib(a.pid))
        time.sleep(0.01)
    t.join()
    for s in socks:
        s.close()
    print(f"rss start {start_rss} MiB, peak {peak} MiB; other client: {served[0]} of {served[1]} requests answered")


if __name__ == "__main__":
    main()
