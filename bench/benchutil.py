#!/usr/bin/env python3
"""Helpers for bench/run.sh (stdlib only).

  benchutil.py freeport                      -> prints a free TCP port on 127.0.0.1
  benchutil.py probe PORT PATH [LEN|any] [http|https]
                                             -> exit 0 if GET PATH answers 200 (and LEN bytes),
                                                or answers at all (any); https: over TLS, the
                                                certificate is not verified (self-signed)
  benchutil.py h2load FILE                   -> prints h2load's output in FILE as a WRKRESULT line
  benchutil.py report OUTDIR SCENARIOS SERVERS [ERR_PCT]
                                             -> prints the table, writes results.md/.csv

run.sh appends one line per wrk run to OUTDIR/runs.tsv and one line per server
to OUTDIR/rss.tsv and OUTDIR/servers.tsv; `report` turns them into the tables.
"""
import csv
import http.client
import os
import re
import socket
import ssl
import sys

PRIMARY_MB = {"16m-8conn"}  # scenarios whose headline figure is MiB/s, not req/s

SCENARIO_DESC = {
    "1k-keepalive": "GET /1k.bin, 64 conns, keep-alive",
    "64k-keepalive": "GET /64k.bin, 64 conns, keep-alive",
    "16m-8conn": "GET /16m.bin, 8 conns, keep-alive",
    "listing-1000": "GET /many/ (1000 entries), 64 conns",
    "1k-close": "GET /1k.bin, 64 conns, Connection: close",
    "https-1k-keepalive": "GET https://.../1k.bin, 64 conns, HTTP/1.1 keep-alive over TLS (wrk)",
    "h2-1k": "GET https://.../1k.bin, HTTP/2 over TLS, 64 conns x 10 streams (h2load)",
}
TLS_SCENARIOS = {"https-1k-keepalive", "h2-1k"}
TLS_SERVERS = {"ours", "nginx"}  # the other servers are not run in the TLS scenarios

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
        if scen in TLS_SCENARIOS and server not in TLS_SERVERS:
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
        "https-1k-keepalive (wrk, HTTP/1.1 over TLS) and h2-1k (h2load -c 64 -m 10, HTTP/2 over TLS) are run "
        "for ours and nginx only, each restarted with TLS (self-signed EC P-256); '-' = not applicable. "
        "For h2-1k the details' p50 column holds h2load's mean request time.",
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
