package com.example.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.GreetingClient;
import java.io.IOException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tests of WithHttpServerTest, written for OkHttp's MockWebServer. */
// tag::compare-mockwebserver[]
class WithMockWebServerTest {

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void sendsTheNameWithTheToken() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("Hello, Ada!"));

        assertEquals("Hello, Ada!", new GreetingClient(server.url("/").uri(), "t0k3n").greet("Ada"));

        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals("/greetings", request.getPath());
        assertEquals("Bearer t0k3n", request.getHeader("Authorization"));
        assertEquals("Ada", request.getBody().readUtf8());
    }

    @Test
    void aServerErrorIsAnExceptionAndNotRetried() {
        server.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));

        assertThrows(IOException.class, () -> new GreetingClient(server.url("/").uri(), "t0k3n").greet("Ada"));

        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aDroppedConnectionIsAnException() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

        assertThrows(IOException.class, () -> new GreetingClient(server.url("/").uri(), "t0k3n").greet("Ada"));
    }
}
// end::compare-mockwebserver[]
