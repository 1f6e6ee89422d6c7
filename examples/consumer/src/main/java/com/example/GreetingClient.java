package com.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A client of some greeting API: what the service's tests check against a scripted server. */
public final class GreetingClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String token;

    public GreetingClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** {@code POST /greetings} with the name as the body; the greeting, or an exception for a non-2xx answer. */
    public String greet(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/greetings"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain; charset=utf-8")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(name))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("greeting API answered " + response.statusCode());
        }
        return response.body();
    }
}
