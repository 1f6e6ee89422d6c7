package dev.httpserver.netty;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Counts the requests a server has answered, for Python's {@code handle_request()}: a thread may
 * wait for the next one. Counting takes no lock (every request does it); only while somebody waits
 * does a finished request take the monitor to wake them.
 */
final class RequestCounter {

    private final Object monitor = new Object();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();

    /** One more request was answered. */
    void finished() {
        finished.incrementAndGet();
        if (waiters.get() > 0) {
            wakeAll();
        }
    }

    /** Wakes every waiter (the server shut down). */
    void wakeAll() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** Waits until one more request than now has been answered, or {@code stop} says to give up. */
    void awaitNext(BooleanSupplier stop) throws InterruptedException {
        waiters.incrementAndGet();
        try {
            synchronized (monitor) {
                long target = finished.get() + 1;
                while (finished.get() < target && !stop.getAsBoolean()) {
                    monitor.wait(1000);
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }
}
