package dev.httpserver.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzz target's oracle: what it accepts and what it reports, and as what kind. */
class ResponseCheckerTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private static final String HEAD_OK = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";

    private static ResponseChecker.Verdict check(String request, String reply, boolean cutAllowed) {
        return ResponseChecker.check(request.getBytes(StandardCharsets.ISO_8859_1),
                reply.getBytes(StandardCharsets.ISO_8859_1), cutAllowed);
    }

    private static void accepted(String request, String reply, boolean cutAllowed, List<Integer> statuses) {
        ResponseChecker.Verdict v = check(request, reply, cutAllowed);
        assertTrue(v.ok(), v.error);
        assertEquals(statuses, v.statuses);
    }

    private static void refused(String request, String reply, boolean cutAllowed, String kind) {
        ResponseChecker.Verdict v = check(request, reply, cutAllowed);
        assertFalse(v.ok(), "accepted: " + reply);
        assertEquals(kind, v.kind, v.error);
    }

    @Test
    void aSimpleGetMayBeAnsweredWithTheBodyAloneAndNothingElseMay() {
        accepted("GET /known.txt\r\n\r\n", "hello\n", false, List.of());
        accepted("\r\nGET  /x   HTTP/0.9\r\n\r\n", "hello\n", false, List.of());
        refused("GET /x HTTP/1.0\r\n\r\n", "hello\n", false, "malformed");
        // Python's split() does not split on NUL: "GET <NULs>" is a simple GET of a path of NULs
        accepted("GET \u0000\u0000\n%o?HTTP/2.3\r\n", "<!DOCTYPE HTML>\n", false, List.of());
        refused("GET\u0000/x\n", "<!DOCTYPE HTML>\n", false, "malformed"); // one word: NUL joins them
        refused("POST /x\r\n\r\n", "hello\n", false, "malformed");
        accepted("XYZ /x HTTP/0.9\r\n\r\n", "<p>501</p>\n", false, List.of());
    }

    @Test
    void nothingAndWellFramedResponsesAreAccepted() {
        accepted("GET", "", false, List.of());
        accepted("GET", OK + OK, false, List.of(200, 200));
        accepted("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n" + OK, false,
                List.of(200, 200));
        accepted("GET", "HTTP/1.1 100 Continue\r\n\r\n" + OK, false, List.of(100, 200));
        accepted("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n" + OK, false, List.of(304, 200));
        accepted("GET", "HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nHTTP/1.1 500 is just body here", false, List.of(200));
    }

    @Test
    void responsesToHeadHaveNoBodyAsManyAsTheRequestsSaidHead() {
        accepted("HEAD / GET /", HEAD_OK + OK, false, List.of(200, 200));
        accepted("HEAD / HEAD /", HEAD_OK + HEAD_OK, false, List.of(200, 200));
        refused("GET / GET /", HEAD_OK + OK, false, "malformed");
    }

    @Test
    void aCutLastResponseIsAcceptedOnlyWhenTheHalfCloseMayHaveCutIt() {
        refused("GET", OK.substring(0, OK.length() - 2), false, "cut");
        accepted("GET", OK.substring(0, OK.length() - 2), true, List.of(200));
        accepted("GET", OK + "HTTP/1.", true, List.of(200));
        refused("GET", OK + "HTTX", true, "malformed");
    }

    @Test
    void fiveHundredsAreRefusedButTheTwoAClientCanCause() {
        refused("GET", "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", false, "5xx");
        refused("GET", "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n", false, "5xx");
        accepted("X", "HTTP/1.1 501 Unsupported method ('X')\r\nContent-Length: 0\r\n\r\n", false, List.of(501));
        accepted("GET", "HTTP/1.1 505 Invalid HTTP version (2.0)\r\nContent-Length: 0\r\n\r\n", false, List.of(505));
    }

    @Test
    void malformedHeadsAndBodiesAreRefused() {
        refused("GET", "HTTP/1.1 200 OK\nContent-Length: 5\r\n\r\nhello", false, "malformed");
        refused("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\n\r\nhello", false, "malformed");
        refused("GET", "HTTP/1.1 200 OK\r\nX: a\u0001b\r\nContent-Length: 0\r\n\r\n", false, "header-ctl");
        refused("GET", "HTTP/1.1 200 OK\r\n  folded\r\n\r\n", false, "malformed");
        refused("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", false, "malformed");
        refused("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", false,
                "malformed");
        refused("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n", false, "malformed");
        refused("GET", "HTTP/1.1 101 Switching Protocols\r\n\r\n" + OK, false, "malformed");
        refused("GET", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello" + OK, false, "malformed");
        refused("GET", OK + "garbage", false, "malformed");
    }

    @Test
    void pausesSplitTheInputAndAreNotSent() {
        byte[] in = "GET /a\0PAUSE\0 HTTP/1.1\0PAUSE\0".getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = Pauses.split(in);
        assertEquals(3, parts.size());
        assertEquals("GET /a", new String(parts.get(0), StandardCharsets.ISO_8859_1));
        assertEquals(" HTTP/1.1", new String(parts.get(1), StandardCharsets.ISO_8859_1));
        assertEquals("", new String(parts.get(2), StandardCharsets.ISO_8859_1));
    }
}
