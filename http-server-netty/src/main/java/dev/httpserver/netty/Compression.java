package dev.httpserver.netty;

import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;

/**
 * On-the-fly compression of responses (opt-in: {@link HttpServerBuilder#compress(boolean)}, the CLI's
 * {@code --compress}), after the HTTP codec: Netty's {@link HttpContentCompressor} (gzip and deflate;
 * brotli when its optional library is on the class path), streamed piece by piece, for the clients
 * that accept it. Only compressible types ({@code text/*}, JSON, JavaScript, XML, SVG) of at least
 * {@value #MIN_LENGTH} bytes are compressed; never a partial response (206: a range is of the
 * identity bytes), a body already encoded (a precompressed {@code .gz} beside the file), or an
 * error. Every compressible response says {@code Vary: Accept-Encoding}, compressed or not, so that
 * caches keep the forms apart.
 *
 * <pre>
 *   ... Http1Codec -&gt; Compression -&gt; ChunkedWriteHandler -&gt; HandlerBridge
 * </pre>
 *
 * With it, files of compressible types go through {@code ChunkedWriteHandler} rather than
 * {@code sendfile}, as their bytes must pass through the compressor; other files still go out
 * zero-copy (a {@code FileRegion} passes through the compressor untouched).
 */
final class Compression extends HttpContentCompressor {

    /** Smaller bodies are sent as they are: the frame would cost more than it saves. */
    static final int MIN_LENGTH = 1024;
    /** The gzip and deflate level: zlib's default, and nginx's {@code gzip_comp_level} in the benchmark. */
    static final int LEVEL = 6;

    Compression() {
        super(0, StandardCompressionOptions.gzip(LEVEL, 15, 8), StandardCompressionOptions.deflate(LEVEL, 15, 8));
    }

    @Override
    protected Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
        if (response.protocolVersion().majorVersion() == 0) {
            return null; // an HTTP/0.9 answer has no fields to say how its body is encoded
        }
        HttpHeaders h = response.headers();
        if (!compressible(h.get(HttpHeaderNames.CONTENT_TYPE))) {
            return null;
        }
        if (!h.containsValue(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING, true)) {
            h.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        if (response.status().code() != HttpResponseStatus.OK.code() || h.contains(HttpHeaderNames.CONTENT_RANGE)
                || h.contains(HttpHeaderNames.CONTENT_ENCODING) || tooSmall(h.get(HttpHeaderNames.CONTENT_LENGTH))) {
            return null;
        }
        return super.beginEncode(response, acceptEncoding);
    }

    private static boolean tooSmall(String length) {
        if (length == null) {
            return false; // streamed: worth it
        }
        try {
            return Long.parseLong(length.trim()) < MIN_LENGTH;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Whether a body of {@code contentType} gains from compression (text, not images or archives). */
    static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi);
        }
        t = t.trim();
        return t.startsWith("text/") || t.endsWith("+json") || t.endsWith("+xml") || t.equals("application/json")
                || t.equals("application/javascript") || t.equals("application/xml") || t.equals("image/svg+xml")
                || t.equals("application/wasm") || t.equals(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString());
    }
}
