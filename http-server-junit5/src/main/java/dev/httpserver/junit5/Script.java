package dev.httpserver.junit5;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a server answers before its handler (or in place of one): stubs, by priority, then the queue,
 * then the dispatcher, then (on a scripted server) the default response. Shared by the server's
 * connections; safe for concurrent use.
 */
final class Script {

    /** A registered stub; newer stubs come first among those of equal priority. */
    static final class Stub {
        final int priority;
        final long order;
        final RequestMatcher matcher;
        final MockResponse response;

        Stub(int priority, long order, RequestMatcher matcher, MockResponse response) {
            this.priority = priority;
            this.order = order;
            this.matcher = matcher;
            this.response = response;
        }
    }

    /** How a connection lets the script look at its current request. */
    interface Exchange {
        /** The request head, with no body and no sequence number, for criteria that need no more. */
        RecordedRequest head();

        /** The request with its body read, recorded in the journal. */
        RecordedRequest full();
    }

    private static final Comparator<Stub> ORDER = Comparator.<Stub>comparingInt(s -> s.priority)
            .thenComparing(Comparator.<Stub>comparingLong(s -> s.order).reversed());

    final ConcurrentLinkedQueue<MockResponse> queue = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<Stub> stubs = new CopyOnWriteArrayList<>();
    private final AtomicLong order = new AtomicLong();
    volatile Dispatcher dispatcher;
    /** The answer when nothing else answers; null where a handler answers then. */
    volatile MockResponse fallback;
    private volatile CountDownLatch stopped = new CountDownLatch(1);
    /** The latches of connections held by a fault, counted down when the server stops. */
    private final Set<CountDownLatch> held = ConcurrentHashMap.newKeySet();

    void stub(int priority, RequestMatcher matcher, MockResponse response) {
        stubs.add(new Stub(priority, order.getAndIncrement(), matcher, response));
    }

    void clearStubs() {
        stubs.clear();
    }

    int stubCount() {
        return stubs.size();
    }

    /** Whether the script can answer anything at all (when not, requests go straight to the handler). */
    boolean active() {
        return fallback != null || dispatcher != null || !stubs.isEmpty() || !queue.isEmpty();
    }

    /** The response for the exchange's request, or null to leave it to the handler. */
    MockResponse choose(Exchange exchange) throws InterruptedException {
        List<Stub> sorted = new ArrayList<>(stubs);
        sorted.sort(ORDER);
        RecordedRequest head = exchange.head();
        for (Stub s : sorted) {
            RecordedRequest r = s.matcher.needsBody() ? exchange.full() : head;
            if (s.matcher.matches(r)) {
                return s.response;
            }
        }
        MockResponse queued = queue.poll();
        if (queued != null) {
            return queued;
        }
        Dispatcher d = dispatcher;
        if (d != null) {
            MockResponse r = d.dispatch(exchange.full());
            if (r != null) {
                return r;
            }
        }
        return fallback;
    }

    /** Wakes every connection waiting in a fault or a delay: the server is stopping. */
    void stop() {
        stopped.countDown();
        for (CountDownLatch h : held) {
            h.countDown();
        }
    }

    /** Ready for a new run of the server. */
    void restart() {
        stopped = new CountDownLatch(1);
    }

    /**
     * Waits {@code millis}, or until the server stops.
     *
     * @return false if the server stopped
     */
    boolean pause(long millis) throws InterruptedException {
        return millis <= 0 ? stopped.getCount() > 0 : !stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits until the server stops or {@code gone} counts down ({@link #stop()} counts it down too). */
    void hold(CountDownLatch gone) throws InterruptedException {
        held.add(gone);
        try {
            if (stopped.getCount() > 0) { // a stop before the add above would not have seen it
                gone.await();
            }
        } finally {
            held.remove(gone);
        }
    }
}
