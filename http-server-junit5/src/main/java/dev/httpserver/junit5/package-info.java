/**
 * The server as an in-process JUnit 5 fixture: {@link dev.httpserver.junit5.HttpServerExtension}
 * serves a folder, a handler or scripted {@link dev.httpserver.junit5.MockResponse}s on port 0 and
 * records every request as a {@link dev.httpserver.junit5.RecordedRequest}. Uses the api and netty
 * modules and the JUnit Jupiter API.
 */
package dev.httpserver.junit5;
