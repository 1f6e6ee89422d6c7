package dev.httpserver.api.spi;

import java.io.PrintStream;
import java.util.ArrayDeque;

/**
 * Where {@code BaseHttpRequestHandler.logMessage} writes (and a server's own request log, when it
 * answers without a handler): standard error, line by line, in order,
 * from a background thread, so that a handler never waits on a slow terminal or pipe. Lines are
 * written in the order they were logged; {@link #drain()} waits until all are out. When too many
 * lines are waiting (a stalled stderr), the logging thread waits, so memory stays bounded.
 */
public final class LogSink {

    private static final int MAX_PENDING = 10_000;
    private static final ArrayDeque<String> PENDING = new ArrayDeque<>();
    private static Thread writer;
    private static int inFlight;

    private LogSink() {
    }

    /** Queues one complete line (with its line ending) for standard error. */
    public static void write(String line) {
        synchronized (PENDING) {
            while (PENDING.size() >= MAX_PENDING) {
                try {
                    PENDING.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            PENDING.add(line);
            if (writer == null) {
                writer = new Thread(LogSink::run, "http-server-log");
                writer.setDaemon(true);
                writer.start();
                Runtime.getRuntime().addShutdownHook(new Thread(LogSink::drain, "http-server-log-drain"));
            }
            PENDING.notifyAll();
        }
    }

    /** Waits (at most 2 s) until every line logged so far has been written. */
    public static void drain() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        synchronized (PENDING) {
            while ((!PENDING.isEmpty() || inFlight > 0) && System.nanoTime() < deadline) {
                try {
                    PENDING.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void run() {
        StringBuilder batch = new StringBuilder(8192);
        while (true) {
            synchronized (PENDING) {
                while (PENDING.isEmpty()) {
                    try {
                        PENDING.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                for (String s; batch.length() < 64 * 1024 && (s = PENDING.poll()) != null; ) {
                    batch.append(s);
                    inFlight++;
                }
                PENDING.notifyAll();
            }
            PrintStream err = System.err; // read each time: tests and applications may replace it
            err.print(batch);
            err.flush();
            batch.setLength(0);
            synchronized (PENDING) {
                inFlight = 0;
                PENDING.notifyAll();
            }
        }
    }
}
