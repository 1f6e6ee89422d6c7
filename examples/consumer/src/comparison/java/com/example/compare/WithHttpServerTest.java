package com.example.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.GreetingClient;
import dev.httpserver.junit5.Fault;
import dev.httpserver.junit5.HttpServerExtension;
import dev.httpserver.junit5.MockResponse;
import dev.httpserver.junit5.RequestMatcher;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three tests of GreetingClient with http-server-junit5; the same three with MockWebServer and WireMock beside it. */
// tag::compare-ours[]
class WithHttpServerTest {

    @RegisterExtension
    final HttpServerExtension server = HttpServerExtension.scripted();

    @Test
    void sendsTheNameWithTheToken() throws Exception {
        server.stub(RequestMatcher.post("/greetings"), MockResponse.of(200, "Hello, Ada!"));

        assertEquals("Hello, Ada!", new GreetingClient(server.url("/"), "t0k3n").greet("Ada"));

        server.verify(1, RequestMatcher.post("/greetings")
                .header("Authorization", "Bearer t0k3n")
                .body("Ada"));
    }

    @Test
    void aServerErrorIsAnExceptionAndNotRetried() {
        server.stub(RequestMatcher.post("/greetings"), MockResponse.of(503, "busy"));

        assertThrows(IOException.class, () -> new GreetingClient(server.url("/"), "t0k3n").greet("Ada"));

        server.verify(1, RequestMatcher.post("/greetings"));
    }

    @Test
    void aDroppedConnectionIsAnException() {
        server.enqueue(MockResponse.of(Fault.DISCONNECT_AFTER_REQUEST));

        assertThrows(IOException.class, () -> new GreetingClient(server.url("/"), "t0k3n").greet("Ada"));
    }
}
// end::compare-ours[]
