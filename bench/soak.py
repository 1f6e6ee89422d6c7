#!/usr/bin/env python3
"""Attackers for bench/soak.sh: idle keep-alive connections and slowloris connections.

Opens IDLE connections that each send one GET, read the response and then stay open doing
nothing (keep-alive), and SLOW connections that send a request head one header line at a time,
one line every few seconds, never finishing. Holds them for DURATION seconds, re-opening what the
server closes, and prints how many were open at the end and how many the server closed (its
timeouts at work). Connects to 127.0.0.1 only. Bounded: it stops by itself after DURATION.
"""
import asyncio
import sys
import time

HOST = "127.0.0.1"


async def idle(port, path, stop, stats):
    while time.monotonic() < stop:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.5)
            continue
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            await writer.drain()
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            stats["idle_open"] += 1
            # hold the connection: wait for the server to close it, or for the end
            remaining = stop - time.monotonic()
            try:
                data = await asyncio.wait_for(reader.read(65536), max(remaining, 0.1))
                while data:
                    data = await asyncio.wait_for(reader.read(65536), max(stop - time.monotonic(), 0.1))
                stats["idle_closed_by_server"] += 1
            except asyncio.TimeoutError:
                pass
            stats["idle_open"] -= 1
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            stats["errors"] += 1
        finally:
            writer.close()


async def slow(port, stop, stats, interval):
    while time.monotonic() < stop:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["slow_open"] += 1
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
            await writer.drain()
            i = 0
            while time.monotonic() < stop:
                await asyncio.sleep(interval)
                if reader.at_eof():
                    break
                writer.write(f"X-Slow-{i}: {i}\r\n".encode())
                await writer.drain()
                i += 1
            if time.monotonic() < stop:
                stats["slow_cut_by_server"] += 1
        except OSError:
            stats["slow_cut_by_server"] += 1
        finally:
            stats["slow_open"] -= 1
            writer.close()


async def main():
    port, n_idle, n_slow, duration = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    path = sys.argv[5] if len(sys.argv) > 5 else "/1k.bin"
    stop = time.monotonic() + duration
    stats = dict(idle_open=0, idle_closed_by_server=0, slow_open=0, slow_cut_by_server=0, refused=0, errors=0)
    tasks = []
    for i in range(n_idle):
        tasks.append(asyncio.create_task(idle(port, path, stop, stats)))
        if i % 500 == 499:
            await asyncio.sleep(0.05)  # do not flood the accept queue
    for _ in range(n_slow):
        tasks.append(asyncio.create_task(slow(port, stop, stats, 5.0)))

    async def report():
        while time.monotonic() < stop:
            await asyncio.sleep(5)
            print("soak:", " ".join(f"{k}={v}" for k, v in stats.items()), flush=True)

    tasks.append(asyncio.create_task(report()))
    await asyncio.wait(tasks, timeout=duration + 40)
    print("soak final:", " ".join(f"{k}={v}" for k, v in stats.items()), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
