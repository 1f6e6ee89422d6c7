package dev.httpserver.netty.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link CgiPaths} and {@link CgiResponseHead}, without a server. */
@Timeout(30)
class CgiPathsTest {

    /** CPython's {@code test_url_collapse_path} vectors; null means {@code IndexError}. */
    @Test
    void collapseMatchesCpython() {
        Map<String, String> vectors = new LinkedHashMap<>();
        vectors.put("", "//");
        vectors.put("..", null);
        vectors.put("/.//..", null);
        vectors.put("/", "//");
        vectors.put("//", "//");
        vectors.put("/\\", "//\\");
        vectors.put("/.//", "//");
        vectors.put("cgi-bin/file1.py", "/cgi-bin/file1.py");
        vectors.put("/cgi-bin/file1.py", "/cgi-bin/file1.py");
        vectors.put("a", "//a");
        vectors.put("/a", "//a");
        vectors.put("//a", "//a");
        vectors.put("./a", "//a");
        vectors.put("./C:/", "/C:/");
        vectors.put("/a/b", "/a/b");
        vectors.put("/a/b/", "/a/b/");
        vectors.put("/a/b/.", "/a/b/");
        vectors.put("/a/b/c/..", "/a/b/");
        vectors.put("/a/b/c/../d", "/a/b/d");
        vectors.put("/a/b/c/../d/e/../f", "/a/b/d/f");
        vectors.put("/a/b/c/../d/e/../../f", "/a/b/f");
        vectors.put("/a/b/c/../d/e/.././././..//f", "/a/b/f");
        vectors.put("../a/b/c/../d/e/.././././..//f", null);
        vectors.put("/a/b/c/../d/e/../../../f", "/a/f");
        vectors.put("/a/b/c/../d/e/../../../../f", "//f");
        vectors.put("/a/b/c/../d/e/../../../../../f", null);
        vectors.put("/a/b/c/../d/e/../../../../f/..", "//");
        vectors.put("/a/b/c/../d/e/../../../../f/../.", "//");
        for (Map.Entry<String, String> v : vectors.entrySet()) {
            if (v.getValue() == null) {
                assertThrows(IllegalArgumentException.class, () -> CgiPaths.collapse(v.getKey()), v.getKey());
            } else {
                assertEquals(v.getValue(), CgiPaths.collapse(v.getKey()), v.getKey());
            }
        }
    }

    @Test
    void collapseDecodesThePathButNotTheQuery() {
        assertEquals("/cgi-bin/file1.py", CgiPaths.collapse("/cgi-bin%2ffile1.py"));
        assertEquals("//secret.sh", CgiPaths.collapse("/cgi-bin/%2e%2e/secret.sh"));
        assertEquals("//secret.sh", CgiPaths.collapse("/cgi-bin/..%2fsecret.sh"));
        assertEquals("/cgi-bin/%2e%2e/x", CgiPaths.collapse("/cgi-bin/%252e%252e/x"));
        assertEquals("/cgi-bin/file4.py?k=aa%2F%2Fbb&//q//p//=//a//b//",
                CgiPaths.collapse("/cgi-bin/file4.py?k=aa%2F%2Fbb&//q//p//=//a//b//"));
        assertEquals("/cgi-bin/file4.py?a=b?c=d", CgiPaths.collapse("/cgi-bin/file4.py?a=b?c=d"));
        assertEquals("/cgi-bin/x", CgiPaths.collapse("/cgi-bin/x?"));
        assertThrows(IllegalArgumentException.class, () -> CgiPaths.collapse("/cgi-bin/../../secret.sh"));
        assertThrows(IllegalArgumentException.class, () -> CgiPaths.collapse("/cgi-bin/%2e%2e/%2e%2e/secret.sh"));
    }

    @Test
    void quoteIsUndoneByUnquote() {
        for (String s : new String[] {"/a b/%2e%2e/c?d#e", "/caf\u00e9/\u2603", "/x%41/y+z", "/plain/path"}) {
            String quoted = CgiPaths.quote(s);
            assertTrue(quoted.chars().allMatch(c -> c < 0x80 && c != '?' && c != '#' && c != ' '), quoted);
            assertEquals(s, CgiPaths.unquote(quoted));
        }
        assertEquals("/plain/path", CgiPaths.quote("/plain/path"));
        assertEquals("caf\u00e9 \ufffd", CgiPaths.unquote("caf%C3%A9%20%FF"));
    }

    @Test
    void searchArgumentsFollowRfc3875() {
        assertEquals(List.of("a", "b c", "+"), CgiPaths.searchArguments("a+b%20c+%2B"));
        assertEquals(List.of("one"), CgiPaths.searchArguments("one"));
        assertEquals(List.of(), CgiPaths.searchArguments(""));
        assertEquals(List.of(), CgiPaths.searchArguments("a=b"));
        assertEquals(List.of(), CgiPaths.searchArguments("a+b=c"));
        assertEquals(List.of(), CgiPaths.searchArguments("a+%00"));
        assertEquals(List.of("x", "y=z"), CgiPaths.searchArguments("x+y%3Dz"));
    }

    @Test
    void headerBlockWithLfOrCrlf() {
        for (String eol : new String[] {"\n", "\r\n"}) {
            byte[] b = ("Status: 404 Not Here" + eol + "Content-Type: text/plain" + eol + "X-A:  spaced \t" + eol
                    + "Transfer-Encoding: chunked" + eol).getBytes(StandardCharsets.ISO_8859_1);
            CgiResponseHead h = CgiResponseHead.parse(b, b.length);
            assertEquals(404, h.status);
            assertEquals("Not Here", h.reason);
            assertEquals("text/plain", h.contentType);
            assertEquals(List.of(Map.entry("Content-Type", "text/plain"), Map.entry("X-A", "spaced")), h.fields);
        }
    }

    @Test
    void malformedHeaderBlocksAreRefused() {
        for (String block : new String[] {"no colon here\n", "Bad Name: x\n", ": empty\n", "Status: 9\n",
            "Status: 099 x\n", "Status: 700\n", "Status: 200\nStatus: 201\n", "Content-Length: -1\n",
            "Content-Length: 12a\n", "X: a\rb\n", "X: a\n folded\n", "Location:\n"}) {
            byte[] b = block.getBytes(StandardCharsets.ISO_8859_1);
            assertThrows(IllegalArgumentException.class, () -> CgiResponseHead.parse(b, b.length), block);
        }
        byte[] ok = "Status: 302\nLocation: http://x/\nServer: mine\nDate: today\n".getBytes(StandardCharsets.ISO_8859_1);
        CgiResponseHead h = CgiResponseHead.parse(ok, ok.length);
        assertEquals(302, h.status);
        assertEquals(null, h.reason);
        assertEquals("http://x/", h.location);
        assertTrue(h.hasServer && h.hasDate);
    }
}
