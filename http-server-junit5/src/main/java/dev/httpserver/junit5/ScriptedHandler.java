package dev.httpserver.junit5;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.spi.RequestHead;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The handler of a scripted server: answers every request, whatever its method, with the next
 * {@link MockResponse} of the queue (or the default one when the queue is empty), after reading the
 * whole request body. HTTP/1.1 with keep-alive.
 */
final class ScriptedHandler extends BaseHttpRequestHandler {

    private final ConcurrentLinkedQueue<MockResponse> queue;
    private final Supplier<MockResponse> fallback;

    ScriptedHandler(ConcurrentLinkedQueue<MockResponse> queue, Supplier<MockResponse> fallback) {
        this.queue = queue;
        this.fallback = fallback;
        this.protocolVersion = "HTTP/1.1";
        this.serverVersion = "http-server-junit5";
    }

    @Override
    public void handleOneRequest() throws Exception {
        RequestHead head = transport().nextRequest();
        if (head == null) {
            closeConnection = true;
            return;
        }
        rfile = transport().requestBody();
        if (!parseRequest(head)) {
            return; // an error has been sent
        }
        rfile.transferTo(OutputStream.nullOutputStream());
        MockResponse response = queue.poll();
        respond(response != null ? response : fallback.get());
    }

    private void respond(MockResponse r) throws IOException {
        sendResponse(r.status(), r.reason().isEmpty() ? null : r.reason());
        for (Map.Entry<String, String> e : r.headers().items()) {
            sendHeader(e.getKey(), e.getValue());
        }
        int status = r.status();
        boolean bodyless = status < 200 || status == 204 || status == 304;
        if (!bodyless && !MockResponse.has(r.headers(), "Content-Length")
                && !MockResponse.has(r.headers(), "Transfer-Encoding")) {
            sendHeader("Content-Length", Integer.toString(r.bodyLength()));
        }
        endHeaders();
        if (!"HEAD".equals(command) && !bodyless) {
            wfile.write(r.bodyBytes());
        }
    }
}
