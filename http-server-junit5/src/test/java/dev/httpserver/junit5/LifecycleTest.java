package dev.httpserver.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension's lifecycle, checked from outside: sample classes run through the Jupiter engine,
 * and what their tests saw is compared afterwards.
 */
@Timeout(60)
class LifecycleTest {

    /** What a sample test saw: its extension, the port, whether it was running, the requests recorded so far. */
    record Seen(HttpServerExtension server, int port, boolean running, int requestCount) {
        static Seen of(HttpServerExtension server) {
            Seen s = new Seen(server, server.port(), server.isRunning(), server.requestCount());
            SEEN.add(s);
            return s;
        }
    }

    static final List<Seen> SEEN = Collections.synchronizedList(new ArrayList<>());

    // Samples: static nested classes, so that neither Surefire nor the class selector of LifecycleTest runs them.

    static class PerTestSample {
        @RegisterExtension
        final HttpServerExtension server = HttpServerExtension.scripted();

        @Test
        void first() {
            Seen.of(server);
        }

        @Test
        void second() {
            Seen.of(server);
        }
    }

    static class PerClassSample {
        @RegisterExtension
        static final HttpServerExtension server = HttpServerExtension.scripted();

        @Test
        void first() throws Exception {
            Seen.of(server);
            Curl.run(server.url("/one").toString());
        }

        @Test
        void second() {
            Seen.of(server);
        }

        @Nested
        class Inner {
            @Test
            void third() {
                Seen.of(server);
            }
        }
    }

    private static List<Seen> run(Class<?> sample, int tests) {
        SEEN.clear();
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                .selectors(selectClass(sample))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(tests).succeeded(tests));
        synchronized (SEEN) {
            return new ArrayList<>(SEEN);
        }
    }

    @Test
    void anInstanceFieldGivesEachTestItsOwnServerStoppedAfterIt() {
        List<Seen> seen = run(PerTestSample.class, 2);
        assertEquals(2, seen.size());
        assertNotSame(seen.get(0).server(), seen.get(1).server());
        for (Seen s : seen) {
            assertTrue(s.running());
            assertTrue(s.port() > 0);
            assertEquals(0, s.requestCount());
            assertFalse(s.server().isRunning(), "stopped after its test");
        }
    }

    @Test
    void aStaticFieldGivesTheClassAndItsNestedClassesOneServerStoppedAfterAll() {
        List<Seen> seen = run(PerClassSample.class, 3);
        assertEquals(3, seen.size());
        HttpServerExtension server = seen.get(0).server();
        for (Seen s : seen) {
            assertSame(server, s.server());
            assertEquals(seen.get(0).port(), s.port(), "one port for the class");
            assertTrue(s.running());
        }
        assertEquals(1, seen.get(2).requestCount() - seen.get(0).requestCount(), "the record lives across tests");
        assertFalse(server.isRunning(), "stopped after all");
    }
}
