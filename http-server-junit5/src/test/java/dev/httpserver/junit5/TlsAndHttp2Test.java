package dev.httpserver.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** https() with its generated CA, as the JDK's client, OkHttp and curl trust it; h2 and h2c. */
@Timeout(60)
class TlsAndHttp2Test {

    @RegisterExtension
    final HttpServerExtension server = HttpServerExtension.scripted().https().http2();

    @Test
    void theJdkClientTrustsTheCaAndSpeaksHttp2() throws Exception {
        server.stub(RequestMatcher.get("/hello"), MockResponse.of(200, "hi"));
        HttpClient client = HttpClient.newBuilder().sslContext(server.certificates().sslContext()).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.url("/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("hi", r.body());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals("https", server.url("/").getScheme());
        assertEquals("HTTP/2.0", server.takeRequest().version());

        HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(server.certificates().sslContext()).build();
        assertEquals(HttpClient.Version.HTTP_1_1, h1.send(HttpRequest.newBuilder(server.url("/hello")).build(),
                HttpResponse.BodyHandlers.ofString()).version());
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefused() {
        HttpClient untrusting = HttpClient.newBuilder().sslContext(TlsCertificates.generate().sslContext()).build();
        assertThrows(SSLHandshakeException.class, () -> untrusting.send(
                HttpRequest.newBuilder(server.url("/")).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void okHttpTrustsItWithTheTrustManager() throws Exception {
        server.enqueue(MockResponse.of(200, "ok"));
        TlsCertificates certs = server.certificates();
        OkHttpClient ok = new OkHttpClient.Builder()
                .sslSocketFactory(certs.sslContext().getSocketFactory(), certs.trustManager()).build();
        try (Response r = ok.newCall(new Request.Builder().url(server.url("/").toString()).build()).execute()) {
            assertEquals("ok", r.body().string());
            assertEquals(Protocol.HTTP_2, r.protocol());
        }
    }

    @Test
    void curlTrustsItWithTheCaPem(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        server.certificates().writeCaCertificatePem(ca);
        server.stub(RequestMatcher.any(), MockResponse.of(200, "curl"));
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            String url = "https://" + host + ":" + server.port() + "/";
            Curl.Result r = Curl.run("--http2", "--cacert", ca.toString(), "-w", "\\n%{http_version}", url);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("curl\n2", r.out(), r.toString());
        }
        Curl.Result refused = Curl.run("https://127.0.0.1:" + server.port() + "/");
        assertEquals(60, refused.exitCode(), "no CA given: curl cannot verify the certificate; " + refused);
    }

    @Test
    void h2cSpeaksCleartextHttp2() throws Exception {
        try (HttpServerExtension h2c = HttpServerExtension.scripted().http2().start()) {
            h2c.stub(RequestMatcher.any(), MockResponse.of(200, "clear"));
            Curl.Result r = Curl.run("--http2-prior-knowledge", "-w", "\\n%{http_version}",
                    h2c.url("/").toString());
            assertEquals("clear\n2", r.out(), r.toString());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            client.send(HttpRequest.newBuilder(h2c.url("/upgrade")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(h2c.url("/again")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, second.version(), "upgraded by Upgrade: h2c");
            assertTrue(h2c.requestCount() >= 3);
        }
    }
}
