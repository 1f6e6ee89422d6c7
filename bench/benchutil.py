#!/usr/bin/env python3
"""Helpers for bench/run.sh (stdlib only).

  benchutil.py freeport                      -> prints a free TCP port on 127.0.0.1
  benchutil.py probe PORT PATH [LEN|any] [http|https]
                                             -> exit 0 if GET PATH answers 200 (and LEN bytes),
                                                or answers at all (any); https: over TLS, the
                                                certificate is not verified (self-signed)
  benchutil.py check PORT PATH range|gzip    -> one line on stdout about the answer to GET PATH with
                                                a 64 KiB Range (exit 0 if 206 with 65536 bytes) or
                                                with Accept-Encoding: gzip (exit 0 if gzip-encoded
                                                and it decompresses to the file's size)
  benchutil.py text100k FILE                 -> writes 100 KiB of compressible English-like text
  benchutil.py churn DIR SECONDS COUNTFILE   -> creates and deletes DIR/churn-N.txt in turn, as fast
                                                as it can, for at most SECONDS (or until SIGTERM);
                                                writes the number of changes to COUNTFILE
  benchutil.py h2load FILE                   -> prints h2load's output in FILE as a WRKRESULT line
  benchutil.py report OUTDIR SCENARIOS SERVERS [ERR_PCT]
                                             -> prints the table, writes results.md/.csv

run.sh appends one line per wrk run to OUTDIR/runs.tsv and one line per server
to OUTDIR/rss.tsv and OUTDIR/servers.tsv; `report` turns them into the tables.
"""
import csv
import gzip
import http.client
import os
import random
import re
import signal
import socket
import ssl
import sys
import time

PRIMARY_MB = {"16m-8conn"}  # scenarios whose headline figure is MiB/s, not req/s

SCENARIO_DESC = {
    "1k-keepalive": "GET /1k.bin, 64 conns, keep-alive",
    "64k-keepalive": "GET /64k.bin, 64 conns, keep-alive",
    "16m-8conn": "GET /16m.bin, 8 conns, keep-alive",
    "listing-1000": "GET /many/ (1000 entries), 64 conns",
    "1k-close": "GET /1k.bin, 64 conns, Connection: close",
    "https-1k-keepalive": "GET https://.../1k.bin, 64 conns, HTTP/1.1 keep-alive over TLS (wrk)",
    "h2-1k": "GET https://.../1k.bin, HTTP/2 over TLS, 64 conns x 10 streams (h2load)",
    "listing-churn": "GET /many/ while a loop creates and deletes many/churn-N.txt, 64 conns",
    "range-64k": "GET /16m.bin, one random 64 KiB Range per request, 64 conns",
    "gzip-100k": "GET /100k.txt, Accept-Encoding: gzip, 64 conns",
    "handler-1k": "GET /1k.bin from a BaseHttpRequestHandler subclass (bench/Hello1k.java), 64 conns",
}
TLS_SCENARIOS = {"https-1k-keepalive", "h2-1k"}
# which servers run a scenario; the others show '-' (keep in step with scenario_servers in run.sh)
FILE_SERVERS = {"ours", "nginx", "lighttpd", "python", "jwebserver"}
SCENARIO_SERVERS = {
    "https-1k-keepalive": {"ours", "nginx"},
    "h2-1k": {"ours", "nginx"},
    "range-64k": {"ours", "nginx", "lighttpd"},
    "handler-1k": {"ours-handler"},
}


def runs_scenario(server, scenario):
    return server in SCENARIO_SERVERS.get(scenario, FILE_SERVERS)

RUN_FIELDS = ["server", "scenario", "status", "requests", "bytes", "duration_us",
              "connect", "read", "write", "non2xx3xx", "timeout",
              "p50_us", "p99_us", "max_us", "conns", "duration_s"]


def freeport() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def probe(port: str, path: str, length: str = "", scheme: str = "http") -> int:
    """LEN '' = any length; LEN 'any' = any HTTP answer at all (readiness check)."""
    try:
        if scheme == "https":
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection("127.0.0.1", int(port), timeout=5, context=ctx)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
    except (OSError, http.client.HTTPException) as e:
        print(f"probe {path}: {e}", file=sys.stderr)
        return 1
    if length == "any":
        return 0
    if resp.status != 200:
        print(f"probe {path}: HTTP {resp.status}", file=sys.stderr)
        return 1
    if length and len(body) != int(length):
        print(f"probe {path}: got {len(body)} bytes, expected {length}", file=sys.stderr)
        return 1
    return 0


def check(port: str, path: str, kind: str) -> int:
    """The check step of range-64k and gzip-100k.  Prints what the server answered;
    exit 0: as expected, 1: no usable answer, 2: an answer, but not the one measured
    (a 200 instead of a 206, an uncompressed body)."""
    hdrs = {"Range": "bytes=65536-131071"} if kind == "range" else {"Accept-Encoding": "gzip"}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
        conn.request("GET", path, headers=hdrs)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
    except (OSError, http.client.HTTPException) as e:
        print(f"GET {path}: {e}")
        return 1
    if kind == "range":
        desc = f"HTTP {resp.status}, {len(body)} bytes, Content-Range: {resp.getheader('Content-Range', '-')}"
        print(desc)
        if resp.status == 206 and len(body) == 65536:
            return 0
        return 2 if resp.status == 200 else 1
    enc = resp.getheader("Content-Encoding", "")
    desc = f"HTTP {resp.status}, Content-Encoding: {enc or '-'}, {len(body)} bytes"
    if resp.status != 200:
        print(desc)
        return 1
    if enc.lower() != "gzip":
        print(desc + " (uncompressed)")
        return 2
    try:
        plain = gzip.decompress(body)
    except (OSError, EOFError) as e:
        print(f"{desc}: not valid gzip: {e}")
        return 1
    print(f"{desc}, {len(plain)} bytes decompressed ({len(plain) / max(1, len(body)):.1f}x)")
    return 0


def text100k(path: str) -> None:
    """102,400 bytes of English-like lines (phrases of common words, line numbers and
    counts), always the same: gzip -6 makes it about 4.5 times smaller."""
    words = ("the of and to in is was for on that with as by at from his her an are were which this be or had "
             "not but what all when there can an your their said each she do how if will up other about out many "
             "then them these so some would make like him into time has look two more write go see number no way "
             "could people my than first water been call who oil its now find long down day did get come made may "
             "part server request response header file folder listing byte range client socket thread buffer "
             "kernel cache latency window stream").split()
    rng = random.Random(100)
    phrases = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 5))) for _ in range(400)]
    out, n, i = [], 0, 0
    while n < 102400:
        i += 1
        line = (f"line {i}: " + ", ".join(rng.choice(phrases) for _ in range(rng.randint(2, 4)))
                + f" {rng.randint(0, 99999)} times.\n")
        out.append(line)
        n += len(line)
    with open(path, "wb") as f:
        f.write("".join(out).encode()[:102400])


def churn(folder: str, seconds: str, countfile: str) -> int:
    """listing-churn's background loop: create DIR/churn-N.txt, delete it, N+1, ... so
    the folder changes all the time.  Bounded by SECONDS; SIGTERM ends it too.  The file
    of the moment is removed on the way out."""
    def stop(_sig, _frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    deadline = time.monotonic() + float(seconds)
    n = 0
    name = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        while True:
            for _ in range(64):
                name = os.path.join(folder, f"churn-{n}.txt")
                os.close(os.open(name, flags, 0o644))
                os.unlink(name)
                name = None
                n += 1
            if time.monotonic() > deadline:
                break
    finally:
        if name:
            try:
                os.unlink(name)
            except OSError:
                pass
        with open(countfile, "w") as f:
            f.write(f"{2 * n}\n")   # folder changes: one create + one delete per file
    return 0


def h2load_result(path):
    """Turn h2load's summary into the WRKRESULT line wrk_report.lua prints:
    requests = done, non-2xx/3xx = 4xx+5xx, read = failed-but-not-timed-out streams
    (errored, reset, unfinished), timeout = timeout; p50/p99 stay 0 (h2load gives
    only min/max/mean/sd: the mean goes in p50_us)."""
    text = open(path, errors="replace").read()
    m = re.search(r"finished in ([0-9.]+)(us|ms|s), ([0-9.]+) req/s", text)
    r = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed, (\d+) errored, (\d+) timeout", text)
    if not m or not r:
        return None
    secs = float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[m.group(2)]
    total, started, done, succeeded, failed, errored, timeout = map(int, r.groups())
    c = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    non2xx = int(c.group(3)) + int(c.group(4)) if c else 0
    t = re.search(r"traffic: .*?, [0-9.]+[KMG]?B \((\d+)\) data", text)
    data = int(t.group(1)) if t else 0

    def us(v, u):
        return int(float(v) * {"us": 1, "ms": 1e3, "s": 1e6}[u])
    lat = re.search(r"time for request:\s+([0-9.]+)(us|ms|s)\s+([0-9.]+)(us|ms|s)\s+([0-9.]+)(us|ms|s)", text)
    mean_us = us(lat.group(5), lat.group(6)) if lat else 0
    max_us = us(lat.group(3), lat.group(4)) if lat else 0
    read_err = max(0, failed - timeout - non2xx)
    return (f"WRKRESULT requests={done} bytes={data} duration_us={int(secs * 1e6)} connect=0 "
            f"read={read_err} write=0 status={non2xx} timeout={timeout} p50_us={mean_us} p99_us=0 max_us={max_us}")


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


class Run:
    def __init__(self, row):
        self.status = row["status"]
        g = lambda k: int(row.get(k) or 0)
        self.requests, self.bytes, self.dur_us = g("requests"), g("bytes"), g("duration_us")
        self.connect, self.read, self.write = g("connect"), g("read"), g("write")
        self.timeout, self.non2xx = g("timeout"), g("non2xx3xx")
        self.p50, self.p99, self.max = g("p50_us"), g("p99_us"), g("max_us")
        self.conns = g("conns") or 64
        secs = self.dur_us / 1e6 if self.dur_us else 0
        self.rps = self.requests / secs if secs else 0.0
        self.mibs = self.bytes / secs / 1048576 if secs else 0.0

    @property
    def ok(self):
        return self.status == "ok"

    @property
    def sock_errors(self):
        return self.connect + self.read + self.write + self.timeout

    @property
    def errors(self):
        return self.sock_errors + self.non2xx

    def close_without_header(self, scenario, conns):
        """1k-close: the server answered every request but closed the connection
        without sending 'Connection: close'.  wrk then writes its next request on
        the dead connection and counts one read error per response.  Those are not
        failed requests, so they are reported apart ('c') rather than as errors."""
        return (scenario == "1k-close" and self.ok and self.requests > 0 and self.read > 0
                and self.non2xx == 0 and self.connect == 0 and self.write == 0 and self.timeout == 0
                and abs(self.read - self.requests) <= conns + self.requests // 200)

    def real_errors(self, scenario, conns):
        if self.close_without_header(scenario, conns):
            return self.errors - self.read
        return self.errors

    def many_errors(self, err_pct, scenario="", conns=64):
        if not self.ok or self.requests == 0:
            return True
        return self.real_errors(scenario, conns) * 100.0 > err_pct * (self.requests + self.sock_errors)

    def value(self, scenario):
        return self.mibs if scenario in PRIMARY_MB else self.rps


def fmt_num(v):
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def report(outdir, scenarios, servers, err_pct=1.0):
    runs = {(r["server"], r["scenario"]): Run(r) for r in read_tsv(os.path.join(outdir, "runs.tsv"))}
    rss = {r["server"]: r for r in read_tsv(os.path.join(outdir, "rss.tsv"))}
    info = {r["server"]: r for r in read_tsv(os.path.join(outdir, "servers.tsv"))}
    # servers that were asked for; keep the columns even when one was skipped
    cols = servers

    def cell(server, scen):
        r = runs.get((server, scen))
        if not runs_scenario(server, scen):
            return "-", None, False
        if r is None:
            st = info.get(server, {}).get("status", "")
            return "skipped" if st.startswith("skip") or not st else "n/a", None, False
        if not r.ok:
            return r.status, None, True
        bad = r.many_errors(err_pct, scen, r.conns)
        s = fmt_num(r.value(scen))
        if r.close_without_header(scen, r.conns):
            s += " c"
            if r.real_errors(scen, r.conns):
                s += f" e={r.real_errors(scen, r.conns)}"
        elif r.errors:
            s += f" e={r.errors}"
        if bad:
            s += " !"
        return s, r.value(scen), bad

    def ratio(a, b, bad):
        if a is None or b is None or b == 0:
            return "-"
        return f"{a / b:.2f}" + (" !" if bad else "")

    ratio_cols = [("ours/best(nginx,lighttpd)", ["nginx", "lighttpd"]),
                  ("ours/python", ["python"]),
                  ("ours/jwebserver", ["jwebserver"])]
    # only the ratio columns that can have a figure in this run
    ratio_cols = [(n, refs) for n, refs in ratio_cols
                  if "ours" in cols and any(r in cols for r in refs)]

    header = ["scenario", "unit"] + cols + [name for name, _ in ratio_cols]
    rows = []
    for scen in scenarios:
        unit = "MiB/s" if scen in PRIMARY_MB else "req/s"
        cells = {s: cell(s, scen) for s in cols}
        row = [scen, unit] + [cells[s][0] for s in cols]
        ours = cells.get("ours", (None, None, False))
        for _, refs in ratio_cols:
            cands = [(cells[r][1], cells[r][2]) for r in refs if r in cells and cells[r][1] is not None]
            if not cands:
                row.append("-")
                continue
            best, best_bad = max(cands, key=lambda c: c[0])  # higher throughput is better
            row.append(ratio(ours[1], best, ours[2] or best_bad))
        rows.append(row)

    # memory rows: lower is better, so "best" of nginx/lighttpd is the smallest
    for key, label in (("peak_rss_kib", "peak RSS, tree sum"), ("vmhwm_kib", "VmHWM, main pid")):
        vals = {}
        for s in cols:
            v = rss.get(s, {}).get(key)
            vals[s] = int(v) / 1024 if v not in (None, "", "0") else None
        if all(v is None for v in vals.values()):
            continue
        row = [label, "MiB"] + [f"{vals[s]:.0f}" if vals[s] is not None else "-" for s in cols]
        for _, refs in ratio_cols:
            cands = [vals[r] for r in refs if vals.get(r) is not None]
            row.append(ratio(vals.get("ours"), min(cands), False) if cands else "-")
        rows.append(row)

    # the ratios each new scenario is about (a server against the one it is measured against)
    def figure(server, scen):
        r = runs.get((server, scen))
        if r is None or not r.ok or r.requests == 0:
            return None, False
        return r.value(scen), r.many_errors(err_pct, scen, r.conns)

    key = []
    for label, (sa, ca), (sb, cb) in (
            ("listing-churn: ours / nginx", ("ours", "listing-churn"), ("nginx", "listing-churn")),
            ("listing-churn / listing-1000, ours", ("ours", "listing-churn"), ("ours", "listing-1000")),
            ("listing-churn / listing-1000, nginx", ("nginx", "listing-churn"), ("nginx", "listing-1000")),
            ("range-64k: ours / nginx", ("ours", "range-64k"), ("nginx", "range-64k")),
            ("range-64k: ours / lighttpd", ("ours", "range-64k"), ("lighttpd", "range-64k")),
            ("gzip-100k: ours / nginx", ("ours", "gzip-100k"), ("nginx", "gzip-100k")),
            ("gzip-100k: ours / lighttpd", ("ours", "gzip-100k"), ("lighttpd", "gzip-100k")),
            ("handler-1k (ours-handler) / 1k-keepalive (ours)", ("ours-handler", "handler-1k"), ("ours", "1k-keepalive"))):
        if (sa, ca) not in runs or (sb, cb) not in runs:
            continue
        (a, abad), (b, bbad) = figure(sa, ca), figure(sb, cb)
        key.append([label, ratio(a, b, abad or bbad)])
    key_header = ["ratio (req/s over req/s)", "value"]

    # detail rows: every run's raw figures and error counters
    detail_header = ["server", "scenario", "req/s", "MiB/s", "requests", "non-2xx/3xx",
                     "sock connect/read/write/timeout", "p50 ms", "p99 ms", "flag"]
    details = []
    for s in cols:
        for scen in scenarios:
            r = runs.get((s, scen))
            if r is None:
                continue
            if not r.ok:
                details.append([s, scen, "-", "-", "-", "-", "-", "-", "-", r.status])
                continue
            details.append([s, scen, fmt_num(r.rps), fmt_num(r.mibs), str(r.requests), str(r.non2xx),
                            f"{r.connect}/{r.read}/{r.write}/{r.timeout}",
                            f"{r.p50 / 1000:.2f}", f"{r.p99 / 1000:.2f}",
                            "MANY ERRORS" if r.many_errors(err_pct, scen, r.conns) else
                            ("c: closes w/o 'Connection: close'" if r.close_without_header(scen, r.conns) else "")])

    notes = []
    for s in cols:
        i = info.get(s)
        if i:
            notes.append(f"{s}: {i.get('status', '')} -- {i.get('desc', '')}")
        else:
            notes.append(f"{s}: not run")

    legend = [
        "Figures: req/s (MiB/s for 16m-8conn; MiB = 2^20 bytes, as wrk's Transfer/sec).",
        "'-': the server does not run that scenario. https-1k-keepalive (wrk, HTTP/1.1 over TLS) and h2-1k "
        "(h2load -c 64 -m 10, HTTP/2 over TLS) are run for ours and nginx only, each restarted with TLS "
        "(self-signed EC P-256); for h2-1k the details' p50 column holds h2load's mean request time.",
        "range-64k (a random 64 KiB Range of /16m.bin per request) is run for ours, nginx and lighttpd: "
        "CPython's http.server and jwebserver have no Range support. handler-1k is run by ours-handler only "
        "(bench/Hello1k.java: our library with a BaseHttpRequestHandler subclass).",
        "Checked before range-64k / gzip-100k: 'no-range' = a 200 instead of a 206, 'uncompressed' = no "
        "Content-Encoding: gzip, 'not-supported' = our jar has no --compress; such a server is not measured there.",
        "'e=N': N errors (non-2xx/3xx answers + socket errors); '!': errors above "
        f"{err_pct:g}% of requests, or the run failed -- do not trust that figure or its ratios.",
        "'c' (1k-close only): the server answered every request but closed without sending "
        "'Connection: close', so wrk logged one read error per response; not counted as errors.",
        "Ratios: ours / other; > 1 means ours is faster (throughput rows) or uses MORE memory (RSS rows).",
        "ours/best(nginx,lighttpd) divides by the faster of the two (the smaller one for RSS).",
        "RSS sampled every 0.2 s during 1k-keepalive: 'tree sum' = max over samples of the sum of VmRSS "
        "of the server process and all its children (nginx master+workers; shared pages counted twice); "
        "'VmHWM' = the main process's lifetime peak RSS read at the end of 1k-keepalive (for nginx: the master only).",
    ]

    # ---- plain text
    def plain_table(hdr, body):
        widths = [max(len(str(x)) for x in col) for col in zip(hdr, *body)] if body else [len(h) for h in hdr]
        line = lambda r: "  ".join(str(x).rjust(w) if i > 1 else str(x).ljust(w)
                                   for i, (x, w) in enumerate(zip(r, widths)))
        out = [line(hdr), "  ".join("-" * w for w in widths)]
        out += [line(r) for r in body]
        return "\n".join(out)

    text = ["", "=== HTTP benchmark: throughput per scenario ===", plain_table(header, rows), ""]
    if key:
        text += ["=== key ratios (> 1: the first is faster) ===", plain_table(key_header, key), ""]
    text += ["  " + l for l in legend]
    text += ["", "=== per-run details ===", plain_table(detail_header, details), "", "=== servers ==="]
    text += ["  " + n for n in notes]
    print("\n".join(text))

    # ---- markdown
    def md_table(hdr, body):
        out = ["| " + " | ".join(hdr) + " |", "|" + "|".join("---" for _ in hdr) + "|"]
        out += ["| " + " | ".join(str(x) for x in r) + " |" for r in body]
        return "\n".join(out)

    meta = read_tsv(os.path.join(outdir, "meta.tsv"))
    md = ["# HTTP benchmark results", ""]
    for m in meta:
        md.append(f"- {m['key']}: {m['value']}")
    md += ["", "## Throughput", "", md_table(header, rows), ""]
    if key:
        md += ["## Key ratios", "", "> 1: the first is faster.", "", md_table(key_header, key), ""]
    md += ["- " + l for l in legend]
    md += ["", "## Per-run details", "", md_table(detail_header, details), "", "## Servers", ""]
    md += ["- " + n for n in notes]
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")

    # ---- csv: the same main table (numbers without decorations) + raw per-run file
    with open(os.path.join(outdir, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header + ["flags"])
        for row in rows:
            flags = []
            for h, v in zip(header[2:], row[2:]):
                parts = str(v).split(" ")[1:]
                if parts:
                    flags.append(f"{h}:" + "/".join(p.replace("!", "many-errors").replace("c", "close-without-header")
                                                    if p in ("!", "c") else p for p in parts))
            w.writerow(row[:2] + [str(v).split(" ")[0].replace(",", "") for v in row[2:]] + [";".join(flags)])
    with open(os.path.join(outdir, "results-runs.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["server", "scenario", "status", "req_s", "mib_s", "requests", "bytes", "duration_s",
                    "non2xx3xx", "sock_connect", "sock_read", "sock_write", "sock_timeout",
                    "p50_ms", "p99_ms", "max_ms", "many_errors", "close_without_header"])
        for (s, scen), r in runs.items():
            w.writerow([s, scen, r.status, f"{r.rps:.1f}", f"{r.mibs:.2f}", r.requests, r.bytes,
                        f"{r.dur_us / 1e6:.2f}", r.non2xx, r.connect, r.read, r.write, r.timeout,
                        f"{r.p50 / 1000:.3f}", f"{r.p99 / 1000:.3f}", f"{r.max / 1000:.3f}",
                        int(r.many_errors(err_pct, scen, r.conns)),
                        int(r.close_without_header(scen, r.conns))])


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "freeport":
        freeport()
        return 0
    if cmd == "probe":
        return probe(*argv[2:6])
    if cmd == "check":
        return check(*argv[2:5])
    if cmd == "text100k":
        text100k(argv[2])
        return 0
    if cmd == "churn":
        return churn(*argv[2:5])
    if cmd == "h2load":
        line = h2load_result(argv[2])
        if line is None:
            return 1
        print(line)
        return 0
    if cmd == "report":
        outdir, scen, serv = argv[2], argv[3].split(","), argv[4].split(",")
        err = float(argv[5]) if len(argv) > 5 else 1.0
        report(outdir, [s for s in scen if s], [s for s in serv if s], err)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
