package dev.httpserver.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector, made to keep what it reports: installed before any buffer class exists, it
 * records each leak (as the tests' {@code LeakCheck} does) so that the fuzz target can turn it into a
 * finding. Netty reports a leak when it finds a collected, never-released object while tracking a new
 * one, so {@link #collect()} forces a GC and then allocates a few tracked buffers.
 */
final class LeakRecorder {

    private static final List<String> LEAKS = new ArrayList<>();
    private static boolean installed;
    /** True during {@link #selfTest()}: the leak made on purpose is not logged. */
    private static volatile boolean testing;

    private LeakRecorder() {
    }

    /** Installs the recording detector; must run before Netty creates its first buffer. */
    static synchronized void install() {
        if (!installed) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
            installed = true;
        }
    }

    /** The leaks reported since the last call (and forgets them). */
    static List<String> drain() {
        synchronized (LEAKS) {
            List<String> found = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return found;
        }
    }

    /** Lets the detector find buffers that were collected without being released. */
    static void collect() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(5);
            for (int j = 0; j < 8; j++) {
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                pooled.release();
                ByteBuf unpooled = Unpooled.directBuffer(16);
                unpooled.release();
            }
        }
    }

    /**
     * Proves that leaks are seen: drops an unreleased buffer, makes the detector look, and expects a
     * report (which it then forgets). Throws if none comes.
     */
    static void selfTest() throws InterruptedException {
        testing = true;
        try {
            leakOne();
            for (int i = 0; i < 20; i++) {
                collect();
                synchronized (LEAKS) {
                    if (!LEAKS.isEmpty()) {
                        LEAKS.clear();
                        return;
                    }
                }
            }
        } finally {
            testing = false;
        }
        throw new IllegalStateException("Netty's leak detector did not report a buffer dropped on purpose:"
                + " leak detection is not working");
    }

    private static void leakOne() {
        ByteBuf dropped = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        dropped.writeByte(1);
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            synchronized (LEAKS) {
                LEAKS.add("LEAK: " + resourceType + records);
            }
            if (!testing) {
                super.reportTracedLeak(resourceType, records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            synchronized (LEAKS) {
                LEAKS.add("LEAK: " + resourceType + " (untraced)");
            }
            if (!testing) {
                super.reportUntracedLeak(resourceType);
            }
        }
    }
}
