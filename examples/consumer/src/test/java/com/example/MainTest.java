package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httpserver.netty.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MainTest {

    @Test
    void theEmbeddedServerAnswersOnAFreePort() throws Exception {
        try (HttpServer server = Main.start(0)) {
            URI url = URI.create("http://127.0.0.1:" + server.serverPort() + "/hi");
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("Hello from /hi\n", response.body());
        }
    }
}
