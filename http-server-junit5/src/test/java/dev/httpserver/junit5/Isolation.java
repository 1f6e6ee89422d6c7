package dev.httpserver.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Exchanger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * What {@link ExtensionIsolationATest} and {@link ExtensionIsolationBTest} both do, at the same time
 * (this module runs test classes concurrently, see junit-platform.properties): each has its own
 * static server; they meet (an {@link Exchanger} of their ports) while both servers are up, send
 * requests to their own server at the same time, meet again, and each must find only its own
 * requests recorded, on a port different from the other's.
 */
final class Isolation {

    private static final Exchanger<Integer> MEET = new Exchanger<>();
    private static final Exchanger<Integer> DONE = new Exchanger<>();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Isolation() {
    }

    static void check(HttpServerExtension server, String name) throws Exception {
        int mine = server.port();
        int other;
        try {
            other = MEET.exchange(mine, 60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            Assumptions.abort("the other isolation test class did not run at the same time (run both, with this "
                    + "module's parallel execution on, to check that two servers do not interfere)");
            return;
        }
        assertNotEquals(mine, other, "two servers running at once have different ports");
        int requests = 20;
        for (int i = 0; i < requests; i++) {
            server.enqueue(MockResponse.of(200, name + " " + i));
        }
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.url("/" + name + "/" + i))
                    .header("X-Class", name).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(name + " " + i, r.body(), "each server answers from its own queue");
        }
        DONE.exchange(mine, 60, TimeUnit.SECONDS);
        assertEquals(requests, server.requestCount(), "only this class's requests reached this server");
        for (int i = 0; i < requests; i++) {
            RecordedRequest request = server.takeRequest();
            assertEquals("/" + name + "/" + i, request.path());
            assertEquals(name, request.headers().get("X-Class"));
            assertEquals(i, request.sequenceNumber());
        }
        assertTrue(server.isRunning());
    }
}
