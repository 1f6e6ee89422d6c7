package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.junit5.HttpServerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
// tag::serving[]
class SiteTest {

    @RegisterExtension
    static final HttpServerExtension site = HttpServerExtension.serving(Path.of("src/test/resources/site"));

    @Test
    void servesTheIndexPage() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(site.url("/")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Hello from a container"));
        assertEquals("GET / HTTP/1.1", site.takeRequest().requestLine());
    }
}
// end::serving[]
