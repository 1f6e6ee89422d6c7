package dev.httpserver.junit5;

/**
 * Answers requests with code: {@code server.dispatcher(request -> ...)}, as OkHttp's
 * {@code MockWebServer} dispatcher does. Called on the connection's thread, once the request and its
 * body have been read and recorded; several connections may call it at once, so it must be safe for
 * concurrent use. Returning null passes the request on: to the handler or folder of the server, or
 * to its default response.
 *
 * <pre>{@code
 * server.dispatcher(request -> request.urlPath().equals("/v1/login")
 *         ? MockResponse.of(200, "{\"token\":\"t\"}")
 *         : MockResponse.of(404));
 * }</pre>
 */
@FunctionalInterface
public interface Dispatcher {

    /**
     * The response to {@code request}.
     *
     * @param request the request, as recorded
     * @return the response, or null to pass the request on
     * @throws InterruptedException if the dispatcher waited and was interrupted (the server is stopping)
     */
    MockResponse dispatch(RecordedRequest request) throws InterruptedException;
}
