package dev.httpserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpStatusTest {

    /** len(http.HTTPStatus) in CPython 3.13 and 3.14: 62 members (the 4 aliases are not counted). */
    private static final int CPYTHON_MEMBER_COUNT = 62;

    @Test
    void constantCountMatchesCPython() {
        // CPython 3.14 Lib/http/__init__.py (same count in 3.13.0): len(HTTPStatus) == 62.
        assertEquals(CPYTHON_MEMBER_COUNT, HttpStatus.values().length);
    }

    @Test
    void notFound() {
        assertEquals(404, HttpStatus.NOT_FOUND.value());
        assertEquals("Not Found", HttpStatus.NOT_FOUND.phrase());
        assertEquals("Nothing matches the given URI", HttpStatus.NOT_FOUND.description());
    }

    @Test
    void teapot() {
        assertEquals(418, HttpStatus.IM_A_TEAPOT.value());
        assertEquals("I'm a Teapot", HttpStatus.IM_A_TEAPOT.phrase());
        // CPython 3.14 text: no full stop at the end (3.13.0 had one).
        assertEquals("Server refuses to brew coffee because it is a teapot", HttpStatus.IM_A_TEAPOT.description());
    }

    @Test
    void exactTextOfSelectedCodes() {
        assertEquals("Continue", HttpStatus.CONTINUE.phrase());
        assertEquals("Request received, please continue", HttpStatus.CONTINUE.description());
        assertEquals("Server is processing the request", HttpStatus.PROCESSING.description());

        assertEquals(422, HttpStatus.UNPROCESSABLE_CONTENT.value());
        assertEquals("Unprocessable Content", HttpStatus.UNPROCESSABLE_CONTENT.phrase());
        assertEquals("Server is not able to process the contained instructions",
                HttpStatus.UNPROCESSABLE_CONTENT.description());

        assertEquals("The user has sent too many requests in a given amount of time (\"rate limiting\")",
                HttpStatus.TOO_MANY_REQUESTS.description());

        assertEquals(431, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.value());
        assertEquals("Request Header Fields Too Large", HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.phrase());
        assertEquals("The server is unwilling to process the request because its header fields are too large",
                HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.description());

        assertEquals(505, HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value());
        assertEquals("HTTP Version Not Supported", HttpStatus.HTTP_VERSION_NOT_SUPPORTED.phrase());
        assertEquals("Cannot fulfill request", HttpStatus.HTTP_VERSION_NOT_SUPPORTED.description());

        assertEquals(511, HttpStatus.NETWORK_AUTHENTICATION_REQUIRED.value());
        assertEquals("Network Authentication Required", HttpStatus.NETWORK_AUTHENTICATION_REQUIRED.phrase());
        assertEquals("The client needs to authenticate to gain network access",
                HttpStatus.NETWORK_AUTHENTICATION_REQUIRED.description());
    }

    @Test
    void everyCodeAndPhraseMatchesCPython() {
        // code|phrase for every member of CPython 3.14's HTTPStatus, in definition order.
        String[] expected = {
            "100|Continue", "101|Switching Protocols", "102|Processing", "103|Early Hints",
            "200|OK", "201|Created", "202|Accepted", "203|Non-Authoritative Information", "204|No Content",
            "205|Reset Content", "206|Partial Content", "207|Multi-Status", "208|Already Reported", "226|IM Used",
            "300|Multiple Choices", "301|Moved Permanently", "302|Found", "303|See Other", "304|Not Modified",
            "305|Use Proxy", "307|Temporary Redirect", "308|Permanent Redirect",
            "400|Bad Request", "401|Unauthorized", "402|Payment Required", "403|Forbidden", "404|Not Found",
            "405|Method Not Allowed", "406|Not Acceptable", "407|Proxy Authentication Required",
            "408|Request Timeout", "409|Conflict", "410|Gone", "411|Length Required", "412|Precondition Failed",
            "413|Content Too Large", "414|URI Too Long", "415|Unsupported Media Type",
            "416|Range Not Satisfiable", "417|Expectation Failed", "418|I'm a Teapot", "421|Misdirected Request",
            "422|Unprocessable Content", "423|Locked", "424|Failed Dependency", "425|Too Early",
            "426|Upgrade Required", "428|Precondition Required", "429|Too Many Requests",
            "431|Request Header Fields Too Large", "451|Unavailable For Legal Reasons",
            "500|Internal Server Error", "501|Not Implemented", "502|Bad Gateway", "503|Service Unavailable",
            "504|Gateway Timeout", "505|HTTP Version Not Supported", "506|Variant Also Negotiates",
            "507|Insufficient Storage", "508|Loop Detected", "510|Not Extended",
            "511|Network Authentication Required",
        };
        List<String> actual = new ArrayList<>();
        for (HttpStatus status : HttpStatus.values()) {
            actual.add(status.value() + "|" + status.phrase());
        }
        assertEquals(List.of(expected), actual);
    }

    @Test
    void everyConstantHasADescription() {
        // Since CPython 3.14 no member has an empty description.
        for (HttpStatus status : HttpStatus.values()) {
            assertFalse(status.description().isEmpty(), status.name());
        }
    }

    @Test
    void oldPythonAliasesAreNotConstants() {
        assertEquals(HttpStatus.UNPROCESSABLE_CONTENT, HttpStatus.valueOf("UNPROCESSABLE_CONTENT"));
        assertThrows(IllegalArgumentException.class, () -> HttpStatus.valueOf("UNPROCESSABLE_ENTITY"));
        assertThrows(IllegalArgumentException.class, () -> HttpStatus.valueOf("REQUEST_ENTITY_TOO_LARGE"));
    }

    @Test
    void ofUnknownCodesIsEmpty() {
        assertEquals(Optional.empty(), HttpStatus.of(999));
        assertEquals(Optional.empty(), HttpStatus.of(306));
        assertEquals(Optional.empty(), HttpStatus.of(0));
        assertEquals(Optional.empty(), HttpStatus.of(99));
        assertEquals(Optional.empty(), HttpStatus.of(599));
        assertEquals(Optional.empty(), HttpStatus.of(600));
        assertEquals(Optional.empty(), HttpStatus.of(-1));
        assertEquals(Optional.empty(), HttpStatus.of(Integer.MIN_VALUE));
        assertEquals(Optional.empty(), HttpStatus.of(Integer.MAX_VALUE));
    }

    @Test
    void ofRoundTripsEveryConstant() {
        for (HttpStatus status : HttpStatus.values()) {
            assertSame(status, HttpStatus.of(status.value()).orElseThrow(), status.name());
        }
        assertSame(HttpStatus.NOT_FOUND, HttpStatus.of(404).orElseThrow());
    }

    @Test
    void constantsAreInStrictlyAscendingCodeOrder() {
        int previous = 0;
        for (HttpStatus status : HttpStatus.values()) {
            assertTrue(status.value() > previous, status.name());
            previous = status.value();
        }
    }

    @Test
    void responsesHasOneEntryPerConstantInCodeOrder() {
        Map<Integer, List<String>> responses = HttpStatus.responses();
        assertEquals(HttpStatus.values().length, responses.size());
        List<Integer> codes = new ArrayList<>();
        for (HttpStatus status : HttpStatus.values()) {
            codes.add(status.value());
            assertEquals(List.of(status.phrase(), status.description()), responses.get(status.value()));
        }
        assertEquals(codes, new ArrayList<>(responses.keySet()));
        assertEquals(List.of("Not Found", "Nothing matches the given URI"), responses.get(404));
        assertSame(responses, HttpStatus.responses());
    }

    @Test
    void responsesIsUnmodifiable() {
        Map<Integer, List<String>> responses = HttpStatus.responses();
        assertThrows(UnsupportedOperationException.class, () -> responses.put(999, List.of("a", "b")));
        assertThrows(UnsupportedOperationException.class, () -> responses.remove(404));
        assertThrows(UnsupportedOperationException.class, responses::clear);
        List<String> notFound = responses.get(404);
        assertThrows(UnsupportedOperationException.class, () -> notFound.set(0, "Changed"));
        assertThrows(UnsupportedOperationException.class, () -> notFound.add("extra"));
        assertEquals(2, notFound.size());
    }

    @Test
    void categoryPredicatesOnBoundaries() {
        assertCategory(HttpStatus.CONTINUE, "informational");
        assertCategory(HttpStatus.EARLY_HINTS, "informational");
        assertCategory(HttpStatus.OK, "success");
        assertCategory(HttpStatus.IM_USED, "success");
        assertCategory(HttpStatus.MULTIPLE_CHOICES, "redirection");
        assertCategory(HttpStatus.PERMANENT_REDIRECT, "redirection");
        assertCategory(HttpStatus.BAD_REQUEST, "client");
        assertCategory(HttpStatus.UNAVAILABLE_FOR_LEGAL_REASONS, "client");
        assertCategory(HttpStatus.INTERNAL_SERVER_ERROR, "server");
        assertCategory(HttpStatus.NETWORK_AUTHENTICATION_REQUIRED, "server");
    }

    @Test
    void everyConstantIsInExactlyTheCategoryOfItsHundreds() {
        String[] byHundreds = {null, "informational", "success", "redirection", "client", "server"};
        for (HttpStatus status : HttpStatus.values()) {
            assertCategory(status, byHundreds[status.value() / 100]);
        }
    }

    private static void assertCategory(HttpStatus status, String category) {
        String name = status.name();
        assertEquals(category.equals("informational"), status.isInformational(), name);
        assertEquals(category.equals("success"), status.isSuccess(), name);
        assertEquals(category.equals("redirection"), status.isRedirection(), name);
        assertEquals(category.equals("client"), status.isClientError(), name);
        assertEquals(category.equals("server"), status.isServerError(), name);
    }
}
