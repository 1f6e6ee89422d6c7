/**
 * The service-provider interface between a server and the handler classes: a server parses a
 * request into a {@link dev.httpserver.api.spi.RequestHead} and gives each handler a
 * {@link dev.httpserver.api.spi.Transport} to read bodies from and write responses to. Handlers do
 * not use it directly; a server implementation (such as {@code http-server-netty}) implements it.
 * JDK only. The helpers both sides share are in {@code dev.httpserver.api.internal}, which is not
 * part of the API.
 */
package dev.httpserver.api.spi;
