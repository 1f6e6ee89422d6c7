package com.example.compare;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.GreetingClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tests of WithHttpServerTest, written for WireMock. */
// tag::compare-wiremock[]
class WithWireMockTest {

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void sendsTheNameWithTheToken() throws Exception {
        server.stubFor(post(urlEqualTo("/greetings")).willReturn(aResponse().withStatus(200).withBody("Hello, Ada!")));

        assertEquals("Hello, Ada!", new GreetingClient(URI.create(server.baseUrl()), "t0k3n").greet("Ada"));

        server.verify(1, postRequestedFor(urlEqualTo("/greetings"))
                .withHeader("Authorization", equalTo("Bearer t0k3n"))
                .withRequestBody(equalTo("Ada")));
    }

    @Test
    void aServerErrorIsAnExceptionAndNotRetried() {
        server.stubFor(post(urlEqualTo("/greetings")).willReturn(aResponse().withStatus(503).withBody("busy")));

        assertThrows(IOException.class, () -> new GreetingClient(URI.create(server.baseUrl()), "t0k3n").greet("Ada"));

        server.verify(1, postRequestedFor(urlEqualTo("/greetings")));
    }

    @Test
    void aDroppedConnectionIsAnException() {
        server.stubFor(post(urlEqualTo("/greetings")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        assertThrows(IOException.class, () -> new GreetingClient(URI.create(server.baseUrl()), "t0k3n").greet("Ada"));
    }
}
// end::compare-wiremock[]
