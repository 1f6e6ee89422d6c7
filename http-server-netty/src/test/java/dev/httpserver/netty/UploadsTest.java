package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads (SimpleHttpRequestHandler.uploads) on real sockets: PUT and multipart POST, the policy for
 * existing names, the size limit, 100-continue after the checks, and a cut upload that leaves
 * nothing behind; off by default (CPython's 501).
 */
@Timeout(60)
class UploadsTest {

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpServer serve(boolean overwrite, long max) {
        return HttpServer.builder().address("127.0.0.1", 0)
                .handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1").withUploads(true, max, overwrite))
                .build().start();
    }

    private HttpResponse<String> put(HttpServer s, String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(url(s, path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(HttpServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.serverPort() + path);
    }

    /** Everything in the folder, temporary files included. */
    private String[] contents() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void putCreatesAFileRefusesAnExistingNameAndReplacesOnlyWhenAsked() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        try (HttpServer s = serve(false, -1)) {
            HttpResponse<String> created = put(s, "/sub/new.txt", "first".getBytes(StandardCharsets.UTF_8));
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("/sub/new.txt", created.headers().firstValue("Location").orElse(null));
            assertEquals("first", Files.readString(dir.resolve("sub/new.txt")));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/new.txt"))));
            assertEquals(409, put(s, "/sub/new.txt", "second".getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals("first", Files.readString(dir.resolve("sub/new.txt")), "left as it was");
            assertEquals(404, put(s, "/nowhere/x.txt", new byte[1]).statusCode(), "no such folder");
            assertEquals(409, put(s, "/sub", new byte[1]).statusCode(), "a folder");
            assertEquals(201, put(s, "/../../escape.txt", new byte[] {1}).statusCode());
            assertTrue(Files.exists(dir.resolve("escape.txt")), "a path never leaves the folder");
        }
        try (HttpServer s = serve(true, -1)) {
            assertEquals(200, put(s, "/sub/new.txt", "second".getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals("second", Files.readString(dir.resolve("sub/new.txt")));
        }
        assertArrayEquals(new String[] {"escape.txt", "sub"}, contents(), "no temporary file left");
    }

    @Test
    void theSizeLimitHoldsForDeclaredAndChunkedBodies() throws Exception {
        byte[] big = new byte[200_000];
        new Random(1).nextBytes(big);
        try (HttpServer s = serve(false, 100_000)) {
            assertEquals(413, put(s, "/big.bin", big).statusCode(), "Content-Length over the limit");
            HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(url(s, "/big2.bin"))
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, chunked.statusCode(), "a chunked body that grows over it");
            assertEquals(201, put(s, "/small.bin", new byte[100_000]).statusCode(), "the limit itself is allowed");
        }
        assertArrayEquals(new String[] {"small.bin"}, contents());
    }

    @Test
    void continueIsSentOnlyAfterTheChecks() throws Exception {
        Files.writeString(dir.resolve("taken.txt"), "mine");
        try (HttpServer s = serve(false, -1); Socket c = new Socket("127.0.0.1", s.serverPort())) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write(("PUT /taken.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 409 "), "the 409 instead of 100 Continue: " + answer);
            assertFalse(answer.contains("100 Continue"), answer);
        }
        try (HttpServer s = serve(false, -1); Socket c = new Socket("127.0.0.1", s.serverPort())) {
            c.setSoTimeout(10_000);
            OutputStream out = c.getOutputStream();
            out.write(("PUT /fresh.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = c.getInputStream();
            byte[] interim = new byte[25];
            int n = in.readNBytes(interim, 0, 25);
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, 0, n, StandardCharsets.ISO_8859_1));
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[13];
            assertEquals("HTTP/1.1 201 ", new String(head, 0, in.readNBytes(head, 0, 13), StandardCharsets.ISO_8859_1));
        }
        assertEquals("hello", Files.readString(dir.resolve("fresh.txt")));
    }

    @Test
    void aCutUploadLeavesNothingBehind() throws Exception {
        try (HttpServer s = serve(false, -1)) {
            try (Socket c = new Socket("127.0.0.1", s.serverPort())) {
                c.getOutputStream().write(("PUT /cut.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().write(new byte[300_000]);
                c.getOutputStream().flush();
                Thread.sleep(200);
            } // closed with 700 000 bytes missing
            for (int i = 0; i < 200 && contents().length > 0; i++) {
                Thread.sleep(25);
            }
            assertArrayEquals(new String[0], contents(), "neither the file nor its temporary");
            assertEquals(201, put(s, "/after.txt", new byte[3]).statusCode(), "the server goes on");
        }
    }

    @Test
    void aMultipartFormSavesEveryFileAndIgnoresPlainFields() throws Exception {
        String boundary = "----b0undary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"one.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + "1\r\n--not the boundary\r\n"
                + "\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\tmp\\\\..\\\\two.txt\"\r\n\r\n"
                + "22\r\n--" + boundary + "--\r\n";
        try (HttpServer s = serve(false, -1)) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(url(s, "/"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            assertEquals("Created /one.txt\nCreated /two.txt\n", r.body());
            assertEquals("1\r\n--not the boundary\r\n", Files.readString(dir.resolve("one.txt")));
            assertEquals("22", Files.readString(dir.resolve("two.txt")), "the last segment of a path a browser sent");
            HttpResponse<String> again = client.send(HttpRequest.newBuilder(url(s, "/"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(409, again.statusCode());
            HttpResponse<String> notForm = client.send(HttpRequest.newBuilder(url(s, "/"))
                    .POST(HttpRequest.BodyPublishers.ofString("x=1")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(415, notForm.statusCode());
            HttpResponse<String> broken = client.send(HttpRequest.newBuilder(url(s, "/"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; "
                            + "name=\"f\"; filename=\"three.txt\"\r\n\r\nno end")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, broken.statusCode());
            assertTrue(client.send(HttpRequest.newBuilder(url(s, "/")).build(), HttpResponse.BodyHandlers.ofString())
                    .body().contains("<form method=\"post\" enctype=\"multipart/form-data\">"), "the form on listings");
        }
        assertArrayEquals(new String[] {"one.txt", "two.txt"}, contents());
    }

    @Test
    void withoutUploadsPutAndPostGetCPythons501() throws Exception {
        try (HttpServer s = HttpServer.builder().address("127.0.0.1", 0)
                .handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1")).build().start()) {
            assertEquals(501, put(s, "/x.txt", new byte[1]).statusCode());
            assertEquals(501, client.send(HttpRequest.newBuilder(url(s, "/")).POST(HttpRequest.BodyPublishers.ofString("a"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertFalse(client.send(HttpRequest.newBuilder(url(s, "/")).build(), HttpResponse.BodyHandlers.ofString())
                    .body().contains("<form"), "no form");
        }
        assertArrayEquals(new String[0], contents());
    }
}
