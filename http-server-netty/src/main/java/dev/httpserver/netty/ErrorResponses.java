package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.HttpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Complete error responses the server sends by itself, below the codec, when no handler is
 * involved (408 after a slow request head, 503 beyond the connection limit): CPython's error page,
 * then the connection closes.
 */
final class ErrorResponses {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private ErrorResponses() {
    }

    static ByteBuf encode(ByteBufAllocator alloc, int code, String extraHeaders) {
        HttpStatus status = HttpStatus.of(code).orElseThrow();
        String page = BaseHttpRequestHandler.DEFAULT_ERROR_MESSAGE
                .replace("%(code)d", Integer.toString(code))
                .replace("%(code)s", Integer.toString(code))
                .replace("%(message)s", status.phrase())
                .replace("%(explain)s", status.description());
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + status.phrase() + "\r\n"
                + "Server: BaseHTTP/" + BaseHttpRequestHandler.VERSION + " Java/" + System.getProperty("java.version") + "\r\n"
                + "Date: " + HTTP_DATE.format(Instant.now().atOffset(ZoneOffset.UTC)) + "\r\n"
                + "Connection: close\r\n"
                + extraHeaders
                + "Content-Type: " + BaseHttpRequestHandler.DEFAULT_ERROR_CONTENT_TYPE + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        ByteBuf buf = alloc.buffer(head.length() + body.length);
        buf.writeCharSequence(head, StandardCharsets.ISO_8859_1);
        buf.writeBytes(body);
        return buf;
    }
}
