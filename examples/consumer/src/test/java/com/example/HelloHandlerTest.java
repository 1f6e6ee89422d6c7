package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httpserver.junit5.HttpServerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
// tag::handler[]
class HelloHandlerTest {

    @RegisterExtension
    static final HttpServerExtension server = HttpServerExtension.handler(Main.Hello::new); // one server for the class

    @Test
    void greetsWithThePath() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.url("/world")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals("Hello from /world\n", response.body());
        assertEquals("/world", server.takeRequest().path());
    }
}
// end::handler[]
