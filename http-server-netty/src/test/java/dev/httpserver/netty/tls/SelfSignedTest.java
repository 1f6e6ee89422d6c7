package dev.httpserver.netty.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SelfSignedTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SelfSigned.KeyType.class)
    void aCertificateForLocalhost(SelfSigned.KeyType type) throws Exception {
        Instant before = Instant.now();
        SelfSigned s = SelfSigned.generate(type);
        X509Certificate c = s.certificate();

        assertEquals("CN=localhost", c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        c.verify(c.getPublicKey()); // self-signed
        c.checkValidity();
        assertEquals(type == SelfSigned.KeyType.EC_P256 ? "EC" : "RSA", c.getPublicKey().getAlgorithm());
        assertEquals(type == SelfSigned.KeyType.EC_P256 ? "SHA256withECDSA" : "SHA256withRSA", c.getSigAlgName());
        long notBefore = c.getNotBefore().toInstant().getEpochSecond();
        long notAfter = c.getNotAfter().toInstant().getEpochSecond();
        assertTrue(Math.abs(before.minus(Duration.ofDays(1)).getEpochSecond() - notBefore) < 60, c.getNotBefore().toString());
        assertTrue(Math.abs(before.plus(Duration.ofDays(30)).getEpochSecond() - notAfter) < 60, c.getNotAfter().toString());
        assertEquals(-1, c.getBasicConstraints(), "an end-entity certificate");
        assertNull(c.getKeyUsage(), "no key usage extension (see SelfSigned)");
        assertTrue(c.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
        assertTrue(c.getSerialNumber().signum() > 0);

        List<String> sans = new ArrayList<>();
        Collection<List<?>> names = c.getSubjectAlternativeNames();
        for (List<?> n : names) {
            sans.add(n.get(0) + ":" + n.get(1));
        }
        assertTrue(sans.contains("2:localhost"), sans.toString());
        assertTrue(sans.contains("7:127.0.0.1"), sans.toString());
        assertTrue(sans.stream().anyMatch(n -> n.equals("7:0:0:0:0:0:0:0:1") || n.equals("7:::1")), sans.toString());

        PemMaterial m = s.material();
        assertEquals(c, m.certificate());
        assertEquals(s.privateKey(), m.privateKey());
        assertEquals(1, s.chain().length);
        assertFalse(s.toString().contains(Base64.getEncoder().encodeToString(s.privateKey().getEncoded()).substring(0, 20)));
    }

    @Test
    void eachCallMakesANewKey() {
        SelfSigned a = SelfSigned.generate();
        SelfSigned b = SelfSigned.generate();
        assertNotEquals(a.sha256Fingerprint(), b.sha256Fingerprint());
        assertNotEquals(a.certificate().getSerialNumber(), b.certificate().getSerialNumber());
    }

    @Test
    void theFingerprintIsOpensslsForm() throws Exception {
        SelfSigned s = SelfSigned.generate();
        String fp = s.sha256Fingerprint();
        assertTrue(fp.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fp);
        assertEquals(fp, PemMaterial.of(s.privateKey(), s.certificate()).sha256Fingerprint());

        assumeTrue(Pki.onPath("openssl", "version"), "openssl is not on the PATH");
        s.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        Pki.Result r = Pki.run(dir, List.of("openssl", "x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha256"));
        assertEquals(0, r.exit, r.toString());
        // "sha256 Fingerprint=AB:CD:..." (OpenSSL 3) or "SHA256 Fingerprint=..." (1.1)
        assertEquals(fp, r.out.trim().substring(r.out.indexOf('=') + 1));
    }

    @ParameterizedTest
    @EnumSource(SelfSigned.KeyType.class)
    void writePemIsReadBack(SelfSigned.KeyType type) throws Exception {
        SelfSigned s = SelfSigned.generate(type);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "old content, replaced");
        s.writePem(cert, key);

        assertTrue(Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(s.certificatePem(), Files.readString(cert));
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left behind");
        }
        PemMaterial m = PemMaterial.load(cert, key, null);
        assertEquals(s.certificate(), m.certificate());
        assertEquals(s.sha256Fingerprint(), m.sha256Fingerprint());

        Path both = dir.resolve("both.pem");
        s.writePem(both, both);
        assertEquals(s.certificate(), PemMaterial.load(both, null, null).certificate());
    }

    @Test
    void opensslAcceptsItForLocalhostAndItsAddresses() throws Exception {
        assumeTrue(Pki.onPath("openssl", "version"), "openssl is not on the PATH");
        for (SelfSigned.KeyType type : SelfSigned.KeyType.values()) {
            SelfSigned.generate(type).writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
            Pki.Result verify = Pki.run(dir, List.of("openssl", "verify", "-purpose", "sslserver", "-CAfile", "cert.pem",
                    "-verify_hostname", "localhost", "cert.pem"));
            assertEquals(0, verify.exit, verify.toString());
            assertTrue(verify.out.contains("cert.pem: OK"), verify.toString());
            Pki.Result ip = Pki.run(dir, List.of("openssl", "verify", "-CAfile", "cert.pem", "-verify_ip", "::1", "cert.pem"));
            assertEquals(0, ip.exit, ip.toString());
            Pki.Result text = Pki.run(dir, List.of("openssl", "x509", "-in", "cert.pem", "-noout", "-text"));
            String t = text.out.toLowerCase(Locale.ROOT);
            assertTrue(t.contains("dns:localhost, ip address:127.0.0.1, ip address:0:0:0:0:0:0:0:1"), text.out);
            assertTrue(t.contains("ca:false"), text.out);
        }
    }
}
