package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.httpserver.junit5.HttpServerExtension;
import dev.httpserver.junit5.MockResponse;
import dev.httpserver.junit5.RecordedRequest;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
// tag::scripted[]
class GreetingClientTest {

    @RegisterExtension
    final HttpServerExtension server = HttpServerExtension.scripted(); // a new server for each test

    @Test
    void postsTheNameWithTheToken() throws Exception {
        server.enqueue(MockResponse.of(200, "Hello, Ada!"));

        String greeting = new GreetingClient(server.url("/"), "t0k3n").greet("Ada");

        assertEquals("Hello, Ada!", greeting);
        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.method());
        assertEquals("/greetings", request.path());
        assertEquals("Bearer t0k3n", request.headers().get("Authorization"));
        assertEquals("Ada", request.bodyAsString());
    }

    @Test
    void anErrorStatusIsAnException() {
        server.enqueue(MockResponse.builder().status(503).header("Retry-After", "1").build());

        assertThrows(IOException.class, () -> new GreetingClient(server.url("/"), "t0k3n").greet("Ada"));
    }
}
// end::scripted[]
