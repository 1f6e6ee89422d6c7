/**
 * The service-provider interface between a server and the handler classes: a server parses a
 * request into a {@link dev.httpserver.api.spi.RequestHead} and gives each handler a
 * {@link dev.httpserver.api.spi.Transport} to read bodies from and write responses to. Handlers do
 * not use it directly; a server implementation (such as {@code http-server-netty}) implements it.
 * JDK only.
 */
package dev.httpserver.api.spi;
