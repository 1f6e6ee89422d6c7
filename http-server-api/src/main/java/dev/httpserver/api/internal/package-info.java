/**
 * Implementation helpers shared by the api module and the server modules. Not part of the public
 * API: the types here may change or disappear without notice, and applications should not use them.
 * Like the rest of {@code http-server-api}, this package uses the JDK only.
 *
 * <p>What lives here: CPython's request-head rules ({@link dev.httpserver.api.internal.RequestHeadRules}),
 * Python's text helpers ({@link dev.httpserver.api.internal.Python}: {@code repr}), URL quoting and
 * path normalisation ({@link dev.httpserver.api.internal.UrlCodec}), HTTP and log dates
 * ({@link dev.httpserver.api.internal.HttpDates}), the request log's writer
 * ({@link dev.httpserver.api.internal.LogSink}), client address text
 * ({@link dev.httpserver.api.internal.Addresses}), and the pure rules of Range requests, validators and
 * preconditions of RFC 9110 ({@link dev.httpserver.api.internal.ByteRanges},
 * {@link dev.httpserver.api.internal.MultipartByteranges}, {@link dev.httpserver.api.internal.ETags},
 * {@link dev.httpserver.api.internal.Preconditions}).
 */
package dev.httpserver.api.internal;
