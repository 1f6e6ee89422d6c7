package dev.httpserver.netty;

import dev.httpserver.api.internal.RequestHeadRules;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.List;

/**
 * HTTP/1's codec: Netty's request decoder and response encoder, read as CPython's
 * {@code parse_request} reads a request where CPython is right, and stricter where leniency would
 * let one request hide another. In place of Netty's {@code HttpServerCodec}, which differs in:
 *
 * <ul>
 *   <li><b>Line ends.</b> A line may end in a bare LF (RFC 9112 section 2.2 allows it; CPython and
 *       nginx accept it). A head with such a line that also carries {@code Content-Length} or
 *       {@code Transfer-Encoding} is refused (400, and the connection closed): a proxy that ends lines
 *       at CRLF only would read its framing differently. The trailer lines of a chunked body must end
 *       in CRLF.</li>
 *   <li><b>The request line's words</b> are judged as CPython judges them: a method that is not an
 *       HTTP token (HTML, say) reaches the handler, which answers 501 "Unsupported method" with the
 *       name escaped; a version with leading zeros ({@code HTTP/01.01}) is read as a number; two words
 *       ({@code GET /path}) are HTTP/0.9's simple request, answered with the body alone; and the line
 *       may be {@value RequestHeadRules#MAX_LINE} bytes long with its line end, not one more.</li>
 *   <li><b>205 Reset Content</b> goes out with the fields the handler wrote: no {@code Content-Length: 0}
 *       is added (the response is then the last on its connection, see {@link ResponseWriter}).</li>
 * </ul>
 *
 * Which request a response answers (for HEAD, whose response has no body) is kept in order, as
 * {@code HttpServerCodec} does, for at most {@value #MAX_PIPELINE_DEPTH} pipelined requests.
 */
final class Http1Codec extends CombinedChannelDuplexHandler<Http1Codec.Decoder, Http1Codec.Encoder>
        implements HttpServerUpgradeHandler.SourceCodec {

    /** Requests read ahead of their responses before the connection refuses more. */
    static final int MAX_PIPELINE_DEPTH = 128;

    /** The method of a request whose method is not an HTTP token; {@link OddRequest#rawMethod()} has its name. */
    static final HttpMethod NOT_A_TOKEN = new HttpMethod("-");

    /** The version an HTTP/0.9 response is written with: the body alone, no status line or fields. */
    static final HttpVersion HTTP_0_9 = new HttpVersion("HTTP", 0, 9, false);

    private static final Field STRICT_LINE_CHECK = strictLineCheckField();

    /** For each request whose response has not been written: whether it is a HEAD. */
    private final ArrayDeque<Boolean> heads = new ArrayDeque<>();

    Http1Codec(int maxHeaderSize, int maxChunkSize) {
        init(new Decoder(new HttpDecoderConfig()
                // the content of the line; with its line end it may be at most MAX_LINE (checked in createMessage)
                .setMaxInitialLineLength(RequestHeadRules.MAX_LINE - 1)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(maxChunkSize)
                .setStrictLineParsing(true)), new Encoder());
    }

    @Override
    public void upgradeFrom(ChannelHandlerContext ctx) {
        ctx.pipeline().remove(this);
    }

    /**
     * Netty's check that a line ends in CRLF is one {@code Runnable}, run where a line ends in LF alone;
     * the decoder's is replaced by one that remembers it. When the field cannot be reached (a Netty
     * that changed), the check stays Netty's: bare LF refused with 400, which is safe.
     */
    private static Field strictLineCheckField() {
        try {
            Field f = Class.forName("io.netty.handler.codec.http.HttpObjectDecoder")
                    .getDeclaredField("defaultStrictCRLFCheck");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A request whose method is not a token, or whose version is not written as Netty writes it. */
    static final class OddRequest extends DefaultHttpRequest {
        private final String rawMethod;
        private final String rawVersion;

        OddRequest(HttpVersion version, HttpMethod method, String uri, HttpHeadersFactory headers, String rawMethod,
                String rawVersion) {
            super(version, method, uri, headers);
            this.rawMethod = rawMethod;
            this.rawVersion = rawVersion;
        }

        /** The method as received. */
        String rawMethod() {
            return rawMethod;
        }

        /** The version as received; null for a simple (HTTP/0.9) request, which has none. */
        String rawVersion() {
            return rawVersion;
        }
    }

    /** What Python's {@code str.split()} splits on, among the bytes a request line is read as (ISO-8859-1). */
    static boolean pythonSpace(byte b) {
        int c = b & 0xff;
        return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0;
    }

    /** Whether a word holds white space that Python splits on and Netty's decoder does not (0x1C-0x1F, 0x85, 0xA0). */
    private static boolean hasPythonOnlySpace(String[] words) {
        for (String w : words) {
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if ((c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The request line's words as CPython's {@code split()} makes them: three, the third empty for two. */
    private static String[] pythonSplit(String[] netty) {
        List<String> words = new java.util.ArrayList<>(3);
        StringBuilder word = new StringBuilder();
        String joined = String.join(" ", netty);
        for (int i = 0; i <= joined.length(); i++) {
            if (i == joined.length() || pythonSpace((byte) joined.charAt(i))) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(joined.charAt(i));
            }
        }
        if (words.size() < 2 || words.size() > 3) {
            throw new IllegalArgumentException("request line of " + words.size() + " words"); // CPython's verdict, from the line
        }
        return new String[] {words.get(0), words.get(1), words.size() == 3 ? words.get(2) : ""};
    }

    /** Whether {@code request} is one that only the handler may answer (odd method or version, HTTP/0.9). */
    static boolean odd(HttpRequest request) {
        return request instanceof OddRequest;
    }

    final class Decoder extends HttpRequestDecoder {
        private boolean bareLf;    // a line of the head being read ended in LF alone
        private boolean inBody;    // the head was passed on; its body (and a chunked body's trailers) follow
        private boolean discard;   // a refused request: nothing more is read from this connection
        private int lineEnd;       // where the words of the request line end in the decoder's buffer
        private boolean atLine = true; // the next bytes begin a request: its line has not been read
        private int scanned;       // bytes of the coming request line already looked through for its end
        private int trimmed;       // white space dropped from the end of the request line
        private boolean served;    // a request has been read on this connection

        Decoder(HttpDecoderConfig config) {
            super(config);
            if (STRICT_LINE_CHECK != null) {
                try {
                    STRICT_LINE_CHECK.set(this, (Runnable) this::lineEndedInLf);
                } catch (IllegalAccessException | RuntimeException e) {
                    // Netty's own check stays: a bare LF is refused
                }
            }
        }

        private void lineEndedInLf() {
            if (inBody) {
                throw new InvalidLineSeparatorException(); // trailers of a chunked body: CRLF only
            }
            bareLf = true;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discard) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            if (atLine) {
                trimRequestLine(buffer);
                if (!atLine && !served && simpleRequest(buffer, out)) {
                    return;
                }
            }
            int from = out.size();
            super.decode(ctx, buffer, out);
            for (int i = from; i < out.size(); i++) {
                Object msg = out.get(i);
                if (msg instanceof HttpRequest) {
                    HttpRequest request = (HttpRequest) msg;
                    String refusal = null;
                    if (heads.size() >= MAX_PIPELINE_DEPTH) {
                        refusal = "more than " + MAX_PIPELINE_DEPTH + " requests sent ahead of their responses";
                    } else if (bareLf && framed(request.headers())) {
                        refusal = "a line ends in LF alone in a request with Content-Length or Transfer-Encoding";
                    }
                    heads.add(HttpMethod.HEAD.equals(request.method()));
                    served = true;
                    bareLf = false;
                    atLine = msg instanceof LastHttpContent;
                    inBody = !(msg instanceof LastHttpContent);
                    if (refusal != null && request.decoderResult().isSuccess()) {
                        request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(refusal)));
                    }
                    if (request.decoderResult().isFailure()) {
                        // nothing after a refused head is read: its body, and any request behind it, go unread
                        discard = true;
                        for (int j = out.size() - 1; j > i; j--) {
                            ReferenceCountUtil.release(out.remove(j));
                        }
                        buffer.skipBytes(buffer.readableBytes());
                        return;
                    }
                } else if (msg instanceof LastHttpContent) {
                    inBody = false;
                    atLine = true;
                }
            }
        }

        /**
         * CPython splits the request line on white space, so white space after the version is nothing;
         * Netty's decoder refuses a line ending in it. Once the whole line is in {@code buf}, its words
         * are moved over that white space (the buffer is the decoder's own) and it is skipped. The line
         * is looked through once, however it arrives.
         */
        private void trimRequestLine(ByteBuf buf) {
            int start = buf.readerIndex();
            int end = buf.writerIndex();
            int from = start + scanned;
            while (from < end && scanned == 0 && (buf.getByte(from) == '\r' || buf.getByte(from) == '\n')) {
                from++; // blank lines before a request are skipped, by the decoder too
                start++;
            }
            int lf = from < end ? buf.indexOf(from, end, (byte) '\n') : -1;
            if (lf < 0) {
                scanned = end - buf.readerIndex();
                return;
            }
            scanned = 0;
            atLine = false;
            int last = lf - 1;
            if (last >= start && buf.getByte(last) == '\r') {
                last--;
            }
            int words = last;
            while (words >= start && pythonSpace(buf.getByte(words))) {
                words--;
            }
            int k = last - words;
            if (k == 0 || words < start || buf.isReadOnly()) {
                return;
            }
            for (int j = words; j >= buf.readerIndex(); j--) {
                buf.setByte(j + k, buf.getByte(j));
            }
            buf.skipBytes(k);
            trimmed = k;
        }

        /**
         * A request line of two words ({@code GET /path}), the connection's first: HTTP/0.9's simple
         * request, which has no header fields. As CPython 3.14 does, it is taken at its line end, without
         * waiting for a header block, and nothing after the line is read (the connection ends with the
         * answer). False, having consumed nothing, for any other line, which the decoder reads as before.
         */
        private boolean simpleRequest(ByteBuf buf, List<Object> out) {
            int start = buf.readerIndex();
            int end = buf.writerIndex();
            while (start < end && (buf.getByte(start) == '\r' || buf.getByte(start) == '\n')) {
                start++;
            }
            int lf = start < end ? buf.indexOf(start, end, (byte) '\n') : -1;
            if (lf < 0 || lf + 1 - start > RequestHeadRules.MAX_LINE) {
                return false;
            }
            int last = lf > start && buf.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            // the bounds of the first three words; every connection's first line comes here, so nothing
            // is made into a string unless the line is a simple request
            int[] bounds = new int[6];
            int words = 0;
            for (int i = start; i < last && words < 3; ) {
                while (i < last && pythonSpace(buf.getByte(i))) {
                    i++;
                }
                int w = i;
                while (i < last && !pythonSpace(buf.getByte(i))) {
                    i++;
                }
                if (i > w) {
                    bounds[2 * words] = w;
                    bounds[2 * words + 1] = i;
                    words++;
                }
            }
            if (words != 2) {
                return false;
            }
            HttpMessage request;
            try {
                lineEnd = 0;
                trimmed = 0;
                request = createMessage(new String[] {word(buf, bounds[0], bounds[1]), word(buf, bounds[2], bounds[3]), ""});
            } catch (Exception e) {
                return false; // the decoder refuses it as before
            }
            buf.skipBytes(buf.readableBytes());
            discard = true;
            served = true;
            atLine = true;
            heads.add(HttpMethod.HEAD.equals(((HttpRequest) request).method()));
            out.add(request);
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            return true;
        }

        private static String word(ByteBuf buf, int from, int to) {
            return buf.toString(from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        private boolean framed(HttpHeaders headers) {
            return headers.contains(HttpHeaderNames.CONTENT_LENGTH) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] asciiContent, int start, int length) {
            lineEnd = start + length;
            return super.splitFirstWordInitialLine(asciiContent, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] asciiContent, int start, int length) {
            lineEnd = Math.max(lineEnd, start + length);
            return super.splitSecondWordInitialLine(asciiContent, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] asciiContent, int start, int length) {
            lineEnd = Math.max(lineEnd, start + length);
            return super.splitThirdWordInitialLine(asciiContent, start, length);
        }

        /**
         * HTTP/0.9 only as a connection's first request: its answer has no status line, so after a
         * response on the connection it would read as the start of the next one (a client or proxy
         * pipelining would take the body for a response).
         */
        private void simpleOnlyFirst() {
            if (served) {
                throw new IllegalArgumentException("an HTTP/0.9 request after another request on the connection");
            }
        }

        @Override
        protected HttpMessage createMessage(String[] line) throws Exception {
            // CPython reads the line with readline(65537): with its line end, 65,536 bytes at most
            int length = lineEnd + trimmed + (bareLf ? 1 : 2);
            lineEnd = 0;
            trimmed = 0;
            if (length > RequestHeadRules.MAX_LINE) {
                throw new TooLongHttpLineException("An HTTP line is larger than " + RequestHeadRules.MAX_LINE + " bytes.");
            }
            if (hasPythonOnlySpace(line)) {
                line = pythonSplit(line);
            }
            String method = line[0];
            String version = line[2];
            if (line[1].isEmpty()) {
                throw new IllegalArgumentException("a request line of one word"); // CPython: bad request syntax
            }
            HttpVersion httpVersion;
            String rawVersion = null;
            if (HttpVersion.HTTP_1_1.text().equals(version)) {
                httpVersion = HttpVersion.HTTP_1_1;
            } else if (HttpVersion.HTTP_1_0.text().equals(version)) {
                httpVersion = HttpVersion.HTTP_1_0;
            } else if (version.isEmpty()) {
                // "GET /path": the handler takes its default_request_version; no body can be framed
                simpleOnlyFirst();
                httpVersion = HttpVersion.HTTP_1_0;
            } else {
                RequestHeadRules.Version number = RequestHeadRules.parseVersion(version);
                if (number == null || number.major() >= 2) {
                    throw new IllegalArgumentException("request version: " + version); // CPython's verdict, from the line
                }
                if (number.major() == 0) {
                    simpleOnlyFirst();
                }
                httpVersion = number.major() == 1 && number.minor() == 1 ? HttpVersion.HTTP_1_1
                        : number.major() == 1 && number.minor() == 0 ? HttpVersion.HTTP_1_0
                        : new HttpVersion("HTTP", number.major(), number.minor(), number.major() == 1);
                rawVersion = version;
            }
            HttpMethod httpMethod;
            String rawMethod = null;
            try {
                httpMethod = HttpMethod.valueOf(method);
            } catch (IllegalArgumentException notAToken) {
                httpMethod = NOT_A_TOKEN; // CPython looks for do_<name> and answers 501
                rawMethod = method;
            }
            if (rawMethod == null && rawVersion == null && !version.isEmpty()) {
                return new DefaultHttpRequest(httpVersion, httpMethod, line[1], headersFactory);
            }
            return new OddRequest(httpVersion, httpMethod, line[1], headersFactory,
                    rawMethod != null ? rawMethod : method, version.isEmpty() ? null : version);
        }
    }

    final class Encoder extends HttpResponseEncoder {
        private boolean raw; // an HTTP/0.9 answer is being written: its body alone

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpResponse && ((HttpResponse) msg).protocolVersion().majorVersion() == 0) {
                raw = true;
                heads.poll();
            }
            if (!raw) {
                super.encode(ctx, msg, out);
                return;
            }
            if (msg instanceof HttpContent) {
                out.add(((HttpContent) msg).content()); // the buffer is handed on; the message is only its holder
                raw = !(msg instanceof LastHttpContent);
            } else if (msg instanceof ByteBuf || msg instanceof FileRegion) {
                out.add(msg);
            } else {
                ReferenceCountUtil.release(msg);
                out.add(Unpooled.EMPTY_BUFFER);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // an interim answer is not the request's response
            }
            return Boolean.TRUE.equals(heads.poll()) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (isAlwaysEmpty && msg.status().code() == HttpResponseStatus.RESET_CONTENT.code()) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING); // and no Content-Length of its own
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }
}
