package dev.httpserver.junit5;

import dev.httpserver.api.BaseHttpRequestHandler;

/**
 * The handler of a scripted server. Its script (stubs, queue, dispatcher, default response) answers
 * every well-formed request before a handler sees it, so this one only answers what the server could
 * not parse, with CPython's 400 and the like. HTTP/1.1 with keep-alive.
 */
final class ScriptedHandler extends BaseHttpRequestHandler {

    ScriptedHandler() {
        this.protocolVersion = "HTTP/1.1";
        this.serverVersion = "http-server-junit5";
    }
}
