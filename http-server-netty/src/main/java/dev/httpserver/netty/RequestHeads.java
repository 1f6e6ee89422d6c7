package dev.httpserver.netty;

import dev.httpserver.api.internal.RequestHeadRules;
import dev.httpserver.api.spi.RequestHead;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Netty's decoded {@link HttpRequest} as a {@link RequestHead}: the decoder's failures mapped to
 * CPython's statuses, the rest judged by {@link RequestHeadRules}. Only what is Netty's is here.
 */
final class RequestHeads {

    /** The fields {@code Http2StreamFrameToHttpObjectCodec} adds (stream id, scheme): Netty's bookkeeping. */
    private static final String HTTP2_EXTENSION_PREFIX = "x-http2-";

    private RequestHeads() {
    }

    /**
     * The head of an HTTP/1 request. A decoding failure gets 414 for a long request line, 431 for a
     * long header block, CPython's verdict on the raw request line when there is one, and 400 otherwise.
     *
     * @param rawLine the request line as received (without its line ending), or null when unknown
     */
    static RequestHead http1(HttpRequest request, long maxBodySize, String rawLine) {
        String method = request.method().name();
        String uri = request.uri();
        String version = request.protocolVersion().text();
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                return RequestHeadRules.requestLineTooLong();
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return RequestHeadRules.headerLineTooLong(method, uri, version);
            }
            if (lineWasRead(request, rawLine)) {
                // the line is what the decoder read: a header field failed it
                return RequestHeadRules.badHeaderFields(method, uri, version, cause == null ? null : cause.getMessage());
            }
            if (rawLine != null && !rawLine.isEmpty()) {
                return RequestHeadRules.refusedRequestLine(rawLine);
            }
            return RequestHeadRules.undecodable(cause == null ? null : cause.getMessage());
        }
        if (request instanceof Http1Codec.OddRequest) {
            // a method that is not a token (the handler answers 501), a version as CPython reads it, or none
            Http1Codec.OddRequest odd = (Http1Codec.OddRequest) request;
            method = odd.rawMethod();
            version = odd.rawVersion();
        }
        HttpHeaders headers = request.headers();
        return RequestHeadRules.http1Head(method, uri, version, headers::iteratorAsString, maxBodySize);
    }

    /**
     * Whether the decoder read {@code rawLine} as this request's method, target and version, so its
     * failure came after the line (a request line it refuses leaves a placeholder request instead).
     */
    private static boolean lineWasRead(HttpRequest request, String rawLine) {
        if (rawLine == null) {
            return false;
        }
        String[] words = rawLine.split(" ", -1);
        return words.length == 3 && words[0].equals(request.method().name()) && words[1].equals(request.uri())
                && words[2].equals(request.protocolVersion().text());
    }

    /**
     * The head of a request that came on an HTTP/2 stream, as Netty's
     * {@code Http2StreamFrameToHttpObjectCodec} converted it ({@code :authority} became {@code Host});
     * its {@code x-http2-*} fields are left out.
     */
    static RequestHead http2(HttpRequest request, long maxBodySize) {
        String method = request.method().name();
        String uri = request.uri();
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            return RequestHeadRules.undecodableHttp2(method, uri, cause == null ? null : cause.getMessage());
        }
        HttpHeaders headers = request.headers();
        List<Map.Entry<String, String>> fields = new ArrayList<>(headers.size());
        for (Iterator<Map.Entry<String, String>> it = headers.iteratorAsString(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            if (!e.getKey().regionMatches(true, 0, HTTP2_EXTENSION_PREFIX, 0, HTTP2_EXTENSION_PREFIX.length())) {
                fields.add(e);
            }
        }
        return RequestHeadRules.http2Head(method, uri, fields, maxBodySize);
    }
}
