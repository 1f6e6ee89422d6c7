package dev.httpserver.api.internal;

import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Where {@code BaseHttpRequestHandler.logMessage} writes (and a server's own request log, when it
 * answers without a handler): standard error, line by line, in order, from a background thread, so
 * that a handler never waits on a slow terminal or pipe. {@link #run} queues a call to a logging
 * framework ({@code System.Logger}) the same way, in order with the lines.
 *
 * <p>Lines are written in the order they were logged; {@link #drain()} waits until all are out.
 * Queuing a line takes no lock. The writer thread, once woken, waits {@value #COALESCE_MICROS} µs
 * before it writes, so that under load one wake-up and one {@code write} carry many lines instead
 * of one each (a line is out at most a few milliseconds after it was logged). When too many lines
 * are waiting (a stalled stderr), the logging thread waits, so memory stays bounded.
 */
public final class LogSink {

    private static final int MAX_PENDING = 10_000;
    private static final long COALESCE_MICROS = 2_000;
    private static final int MAX_BATCH_CHARS = 64 * 1024;

    /** Lines (strings) for standard error, and tasks (a System.Logger call), in the order they were logged. */
    private static final ConcurrentLinkedQueue<Object> PENDING = new ConcurrentLinkedQueue<>();
    /** Lines queued and not yet written (counted up by writers, down after the write). */
    private static final AtomicInteger UNWRITTEN = new AtomicInteger();
    /** 0: the writer is busy or not started; 1: the writer sleeps and must be woken. */
    private static final AtomicInteger SLEEPING = new AtomicInteger();
    private static volatile Thread writer;
    /** Whether the calling thread must never wait (a server's event loop); set by the server. */
    private static volatile BooleanSupplier mustNotWait = () -> false;
    /** Lines dropped because a thread that must not wait found the queue full. */
    private static final AtomicLong DROPPED = new AtomicLong();

    private LogSink() {
    }

    /**
     * Tells which threads must never wait for a stalled standard error (a server's event loops): when
     * the queue is full, their lines are dropped and counted instead, and the count is logged once
     * the writer catches up.
     */
    public static void neverWaitWhen(BooleanSupplier mustNotWait) {
        LogSink.mustNotWait = Objects.requireNonNull(mustNotWait, "mustNotWait");
    }

    /** Queues one complete line (with its line ending) for standard error. */
    public static void write(String line) {
        enqueue(Objects.requireNonNull(line, "line"));
    }

    /**
     * Queues {@code task} (a call to a logging framework, which may block) to run on the writer's
     * thread, in order with the lines; a task that throws loses its own line only.
     */
    public static void run(Runnable task) {
        enqueue(Objects.requireNonNull(task, "task"));
    }

    private static void enqueue(Object item) {
        if (UNWRITTEN.get() >= MAX_PENDING) {
            if (mustNotWait.getAsBoolean()) {
                DROPPED.incrementAndGet();
                return;
            }
            waitForRoom();
        }
        UNWRITTEN.incrementAndGet();
        PENDING.add(item);
        Thread w = writer;
        if (w == null) {
            w = start();
        }
        if (SLEEPING.get() == 1 && SLEEPING.compareAndSet(1, 0)) {
            LockSupport.unpark(w);
        }
    }

    private static synchronized Thread start() {
        Thread w = writer;
        if (w == null) {
            w = new Thread(LogSink::run, "http-server-log");
            w.setDaemon(true);
            writer = w;
            w.start();
            Runtime.getRuntime().addShutdownHook(new Thread(LogSink::drain, "http-server-log-drain"));
        }
        return w;
    }

    /** A stalled stderr: waits (at most a few seconds) until the writer catches up. */
    private static void waitForRoom() {
        awaitWriter(MAX_PENDING - 1, TimeUnit.SECONDS.toNanos(5));
    }

    /** Wakes the writer and waits until at most {@code unwritten} lines are left, or the time is up. */
    private static void awaitWriter(int unwritten, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (UNWRITTEN.get() > unwritten && System.nanoTime() < deadline) {
            wake();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    private static void wake() {
        Thread w = writer;
        if (w != null && SLEEPING.compareAndSet(1, 0)) {
            LockSupport.unpark(w);
        }
    }

    /** Waits (at most 2 s) until every line logged so far has been written. */
    public static void drain() {
        awaitWriter(0, TimeUnit.SECONDS.toNanos(2));
    }

    private static void run() {
        StringBuilder batch = new StringBuilder(8192);
        while (true) {
            if (PENDING.isEmpty()) {
                SLEEPING.set(1);
                if (PENDING.isEmpty()) { // a line queued before the flag was seen would otherwise wait
                    while (SLEEPING.get() == 1) {
                        LockSupport.park(LogSink.class);
                    }
                } else {
                    SLEEPING.set(0);
                }
                // Woken by the first line of a burst: let the burst gather before writing it.
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(COALESCE_MICROS));
            }
            int lines = 0;
            Runnable task = null;
            for (Object o; batch.length() < MAX_BATCH_CHARS && (o = PENDING.poll()) != null; ) {
                lines++;
                if (o instanceof Runnable) {
                    task = (Runnable) o; // after the lines before it
                    break;
                }
                batch.append((String) o);
            }
            if (lines == 0) {
                continue;
            }
            long dropped = DROPPED.get();
            if (dropped > 0 && UNWRITTEN.get() - lines < MAX_PENDING / 2 && DROPPED.compareAndSet(dropped, 0)) {
                batch.append("(").append(dropped).append(" log lines dropped: standard error was not being read)\n");
            }
            try {
                if (batch.length() > 0) {
                    PrintStream err = System.err; // read each time: tests and applications may replace it
                    err.print(batch);
                    err.flush();
                }
            } catch (RuntimeException e) {
                // a broken stderr loses the lines, not the server
            }
            batch.setLength(0);
            if (task != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // a failing logging framework loses the line, not the server
                }
            }
            UNWRITTEN.addAndGet(-lines);
        }
    }
}
