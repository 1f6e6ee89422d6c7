/**
 * Python's {@code http.server} in Java: the handler classes ({@link dev.httpserver.api.BaseHttpRequestHandler},
 * {@link dev.httpserver.api.SimpleHttpRequestHandler}) with every documented attribute and method,
 * {@link dev.httpserver.api.Headers}, {@link dev.httpserver.api.HttpStatus} (Python's {@code http.HTTPStatus}) and
 * the {@link dev.httpserver.api.Server} view a handler has of its server.
 *
 * <p>Names follow one rule: {@code snake_case} becomes {@code camelCase}, {@code do_X} becomes {@code doX}.
 * This package uses the JDK only (a build rule bans any dependency); no Netty type appears in it. A
 * server reaches handlers through {@link dev.httpserver.api.spi}.
 */
package dev.httpserver.api;
