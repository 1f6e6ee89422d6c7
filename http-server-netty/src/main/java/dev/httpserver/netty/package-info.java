/**
 * The servers ({@link dev.httpserver.netty.HttpServer}, {@link dev.httpserver.netty.ThreadingHttpServer},
 * {@link dev.httpserver.netty.HttpsServer}, {@link dev.httpserver.netty.ThreadingHttpsServer}, their
 * {@link dev.httpserver.netty.HttpServerBuilder} and {@link dev.httpserver.netty.Limits}) and, package-private,
 * the Netty pipeline that serves them, in rooms:
 * <ul>
 *   <li>servers: the public classes, {@code ServerConfig} (what a server is made of) and
 *       {@code ServerContext} (all the pipeline sees of its server, built by {@code start()});
 *       {@code Listeners} binds the sockets;</li>
 *   <li>pipeline: {@code HttpPipelineInitializer}, the one class that knows the order of the handlers for
 *       HTTP/1.1, TLS with ALPN, and h2c;</li>
 *   <li>guard: {@code ConnectionGuard}, limits and timeouts per connection;</li>
 *   <li>request heads: {@code HandlerBridge} turns Netty's request objects into
 *       {@link dev.httpserver.api.spi.RequestHead}s by CPython's rules;</li>
 *   <li>exchange: {@code ChannelTransport} (the handler run loop of one connection or HTTP/2 stream),
 *       {@code InboundQueue} (requests and bodies to the handler thread) and {@code ResponseWriter} with
 *       {@code OutboundBatches} (framing, batching, back-pressure);</li>
 *   <li>files: {@code FileChunks} and {@code FileRegions} (file bodies), and the event-loop answers of
 *       stock handlers;</li>
 *   <li>{@link dev.httpserver.netty.tls} and {@link dev.httpserver.netty.cgi}, packages of their own.</li>
 * </ul>
 * Handler code never runs on an event loop; the pipeline classes never block. May use the api module,
 * Netty, and the tls package; nothing here depends on the CLI.
 */
package dev.httpserver.netty;
