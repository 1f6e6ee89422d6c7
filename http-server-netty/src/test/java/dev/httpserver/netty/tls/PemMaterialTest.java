package dev.httpserver.netty.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PemMaterialTest {

    /** Distinctive, so that a message containing it is caught. */
    private static final String PASSWORD = "Zebra-Quartz-7731";

    @TempDir
    Path dir;

    /** Every PEM key form a user may have, made with BouncyCastle's writers. */
    enum Form {
        RSA_PKCS1("RSA", false, "-----BEGIN RSA PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.pkcs1(kp);
            }
        },
        RSA_PKCS8("RSA", false, "-----BEGIN PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.pkcs8(kp.getPrivate());
            }
        },
        RSA_PKCS8_ENCRYPTED_AES256("RSA", true, "-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.encryptedPkcs8(kp.getPrivate(), JcaPKCS8Generator.AES_256_CBC, pw);
            }
        },
        RSA_PKCS8_ENCRYPTED_PBE_SHA1_3DES("RSA", true, "-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.encryptedPkcs8(kp.getPrivate(), JcaPKCS8Generator.PBE_SHA1_3DES, pw);
            }
        },
        RSA_LEGACY_ENCRYPTED_AES256("RSA", true, "DEK-Info: AES-256-CBC") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.legacyEncryptedPkcs1(kp, "AES-256-CBC", pw);
            }
        },
        RSA_LEGACY_ENCRYPTED_DES3("RSA", true, "DEK-Info: DES-EDE3-CBC") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.legacyEncryptedPkcs1(kp, "DES-EDE3-CBC", pw);
            }
        },
        EC_SEC1("EC", false, "-----BEGIN EC PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.sec1(kp, false);
            }
        },
        EC_SEC1_AFTER_EC_PARAMETERS("EC", false, "-----BEGIN EC PARAMETERS-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.sec1(kp, true);
            }
        },
        EC_PKCS8("EC", false, "-----BEGIN PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.pkcs8(kp.getPrivate());
            }
        },
        EC_PKCS8_ENCRYPTED_AES256("EC", true, "-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.encryptedPkcs8(kp.getPrivate(), JcaPKCS8Generator.AES_256_CBC, pw);
            }
        },
        EC_LEGACY_ENCRYPTED_AES128("EC", true, "DEK-Info: AES-128-CBC") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.legacyEncryptedSec1(kp, "AES-128-CBC", pw);
            }
        },
        EC_P384_PKCS8("EC-384", false, "-----BEGIN PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.pkcs8(kp.getPrivate());
            }
        },
        EC_P521_SEC1("EC-521", false, "-----BEGIN EC PRIVATE KEY-----") {
            @Override
            String pem(KeyPair kp, char[] pw) {
                return Pki.sec1(kp, false);
            }
        };

        final String keyType;
        final boolean encrypted;
        final String marker;

        Form(String keyType, boolean encrypted, String marker) {
            this.keyType = keyType;
            this.encrypted = encrypted;
            this.marker = marker;
        }

        abstract String pem(KeyPair kp, char[] pw);

        KeyPair keyPair() {
            return Pki.keyPair(keyType, "server");
        }
    }

    @BeforeAll
    static void warmUp() {
        Pki.keyPair("RSA", "server");
        Pki.keyPair("EC", "server");
    }

    private Path certFile(KeyPair kp) {
        return Pki.write(dir.resolve("cert.pem"), Pki.certificates(Pki.selfSigned(kp, "localhost")));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void loadsEveryKeyForm(Form form) throws Exception {
        KeyPair kp = form.keyPair();
        X509Certificate cert = Pki.selfSigned(kp, "localhost");
        Path certFile = Pki.write(dir.resolve("cert.pem"), Pki.certificates(cert));
        String keyPem = form.pem(kp, PASSWORD.toCharArray());
        assertTrue(keyPem.contains(form.marker), keyPem);
        assertEquals(form.encrypted, keyPem.contains("ENCRYPTED"));
        Path keyFile = Pki.write(dir.resolve("key.pem"), keyPem);

        char[] password = PASSWORD.toCharArray();
        PemMaterial m = PemMaterial.load(certFile, keyFile, password);

        assertArrayEquals(PASSWORD.toCharArray(), password, "the caller's password array is left as it was");
        assertEquals(1, m.chain().length);
        assertEquals(cert, m.certificate());
        assertSameKey(kp.getPrivate(), m.privateKey());
        assertEquals(form.keyType.startsWith("EC") ? "EC" : "RSA", m.keyAlgorithm());
        assertSignsFor(m);
        assertFalse(m.toString().contains(PASSWORD));
    }

    @ParameterizedTest
    @EnumSource(value = Form.class, names = {"RSA_PKCS1", "EC_SEC1_AFTER_EC_PARAMETERS", "EC_PKCS8_ENCRYPTED_AES256",
        "RSA_LEGACY_ENCRYPTED_AES256"})
    void readsTheKeyFromTheCertificateFileWhenNoKeyFileIsGiven(Form form) {
        KeyPair kp = form.keyPair();
        X509Certificate cert = Pki.selfSigned(kp, "localhost");
        Path both = Pki.write(dir.resolve("both.pem"), Pki.certificates(cert) + form.pem(kp, PASSWORD.toCharArray()));
        PemMaterial m = PemMaterial.load(both, null, PASSWORD.toCharArray());
        assertEquals(cert, m.certificate());
        assertSameKey(kp.getPrivate(), m.privateKey());

        Path keyFirst = Pki.write(dir.resolve("keyfirst.pem"), form.pem(kp, PASSWORD.toCharArray()) + Pki.certificates(cert));
        assertEquals(cert, PemMaterial.load(keyFirst, null, PASSWORD.toCharArray()).certificate());
    }

    @Test
    void aKeyFileMayAlsoHoldTheCertificate() {
        KeyPair kp = Form.RSA_PKCS8.keyPair();
        X509Certificate cert = Pki.selfSigned(kp, "localhost");
        Path certFile = Pki.write(dir.resolve("cert.pem"), Pki.certificates(cert));
        Path keyFile = Pki.write(dir.resolve("key.pem"), Pki.certificates(cert) + Pki.pkcs8(kp.getPrivate()));
        assertSameKey(kp.getPrivate(), PemMaterial.load(certFile, keyFile, null).privateKey());
    }

    @Test
    void loadsAChainLeafFirst() {
        KeyPair caKeys = Pki.keyPair("EC", "ca");
        KeyPair leafKeys = Pki.keyPair("RSA", "server");
        X509Certificate ca = Pki.certificate("CN=Test CA", caKeys.getPublic(), "CN=Test CA", caKeys, true);
        X509Certificate leaf = Pki.certificate("CN=localhost", leafKeys.getPublic(), "CN=Test CA", caKeys, false);
        Path chain = Pki.write(dir.resolve("chain.pem"), Pki.certificates(leaf, ca));
        Path key = Pki.write(dir.resolve("key.pem"), Pki.pkcs1(leafKeys));

        PemMaterial m = PemMaterial.load(chain, key, null);

        assertEquals(2, m.chain().length);
        assertEquals(leaf, m.chain()[0]);
        assertEquals(ca, m.chain()[1]);
        assertEquals(leaf, m.certificate());
        assertEquals("RSA", m.keyAlgorithm());
        m.chain()[0] = null;
        assertEquals(leaf, m.chain()[0], "chain() returns a copy");
    }

    @Test
    void aChainInTheWrongOrderIsNamed() {
        KeyPair caKeys = Pki.keyPair("EC", "ca");
        KeyPair leafKeys = Pki.keyPair("EC", "server");
        X509Certificate ca = Pki.certificate("CN=Test CA", caKeys.getPublic(), "CN=Test CA", caKeys, true);
        X509Certificate leaf = Pki.certificate("CN=localhost", leafKeys.getPublic(), "CN=Test CA", caKeys, false);
        Path chain = Pki.write(dir.resolve("chain.pem"), Pki.certificates(ca, leaf));
        Path key = Pki.write(dir.resolve("key.pem"), Pki.pkcs8(leafKeys.getPrivate()));

        String m = message(() -> PemMaterial.load(chain, key, null));
        assertContains(m, "key.pem", "does not match", "chain.pem", "certificate #2", "CN=localhost", "first");
    }

    @Test
    void skipsTextAndOtherPemBlocks() {
        KeyPair kp = Form.EC_SEC1.keyPair();
        X509Certificate cert = Pki.selfSigned(kp, "localhost");
        String text = "Bag Attributes\n    friendlyName: caf\u00e9\nsubject=CN = localhost\n"
                + "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n"
                + "-----BEGIN SOMETHING ELSE-----\nAAAA\n-----END SOMETHING ELSE-----\n"
                + Pki.certificates(cert)
                + "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(kp.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path certFile = dir.resolve("cert.pem");
        writeLatin1(certFile, text);
        Path keyFile = Pki.write(dir.resolve("key.pem"), "# my key\n" + Pki.sec1(kp, true));
        PemMaterial m = PemMaterial.load(certFile, keyFile, null);
        assertEquals(cert, m.certificate());
        assertEquals(1, m.chain().length);
    }

    @Test
    void aPasswordIsIgnoredWhenTheKeyIsNotEncrypted() {
        KeyPair kp = Form.RSA_PKCS8.keyPair();
        Path keyFile = Pki.write(dir.resolve("key.pem"), Pki.pkcs8(kp.getPrivate()));
        assertSameKey(kp.getPrivate(), PemMaterial.load(certFile(kp), keyFile, "unused".toCharArray()).privateKey());
    }

    @Test
    void ofChecksAsLoadDoes() {
        KeyPair kp = Pki.keyPair("EC", "server");
        X509Certificate cert = Pki.selfSigned(kp, "localhost");
        PemMaterial m = PemMaterial.of(kp.getPrivate(), cert);
        assertEquals(cert, m.certificate());
        assertContains(message(() -> PemMaterial.of(Pki.keyPair("EC", "other").getPrivate(), cert)), "does not match");
        assertContains(message(() -> PemMaterial.of(kp.getPrivate())), "no certificate");
    }

    // ---- keys and certificates made by the real openssl, as users have them ----

    static List<String> opensslRecipes() {
        return List.of(
                // OpenSSL 3's req writes PKCS#8
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=localhost",
                // the traditional RSA form
                "openssl genrsa -traditional -out key.pem 2048 && "
                        + "openssl req -x509 -key key.pem -out cert.pem -days 2 -subj /CN=localhost",
                // EC PARAMETERS then EC PRIVATE KEY
                "openssl ecparam -name prime256v1 -genkey -out key.pem && "
                        + "openssl req -x509 -key key.pem -out cert.pem -days 2 -subj /CN=localhost",
                // encrypted PKCS#8 (PBES2, AES-256-CBC, PBKDF2 with HMAC-SHA256)
                "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -aes-256-cbc -pass pass:" + PASSWORD
                        + " -out key.pem && openssl req -x509 -key key.pem -passin pass:" + PASSWORD
                        + " -out cert.pem -days 2 -subj /CN=localhost",
                // legacy encrypted RSA (Proc-Type / DEK-Info)
                "openssl genrsa -traditional -aes256 -passout pass:" + PASSWORD + " -out key.pem 2048 && "
                        + "openssl req -x509 -key key.pem -passin pass:" + PASSWORD + " -out cert.pem -days 2 -subj /CN=localhost",
                // legacy encrypted EC
                "openssl ecparam -name secp384r1 -genkey -noout -out plain.pem && "
                        + "openssl ec -in plain.pem -aes128 -passout pass:" + PASSWORD + " -out key.pem && "
                        + "openssl req -x509 -key plain.pem -out cert.pem -days 2 -subj /CN=localhost",
                // PKCS#8 with the old PKCS#12 3DES scheme
                "openssl genrsa -out plain.pem 2048 && openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in plain.pem -passout pass:"
                        + PASSWORD + " -out key.pem && openssl req -x509 -key plain.pem -out cert.pem -days 2 -subj /CN=localhost",
                // key and certificate in one file
                "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem -out c.pem -days 2 "
                        + "-subj /CN=localhost && cat c.pem k.pem > cert.pem");
    }

    @ParameterizedTest
    @MethodSource("opensslRecipes")
    void loadsWhatOpensslWrites(String recipe) {
        assumeTrue(Pki.onPath("openssl", "version"), "openssl is not on the PATH");
        Pki.Result r = Pki.sh(dir, recipe);
        assertEquals(0, r.exit, r.toString());
        Path key = Files.exists(dir.resolve("key.pem")) ? dir.resolve("key.pem") : null;
        PemMaterial m = PemMaterial.load(dir.resolve("cert.pem"), key, PASSWORD.toCharArray());
        assertEquals("CN=localhost", m.certificate().getSubjectX500Principal().getName());
        assertSignsFor(m);
        if (recipe.contains("-pass")) {
            String msg = message(() -> PemMaterial.load(dir.resolve("cert.pem"), key, "nope".toCharArray()));
            assertContains(msg, "wrong password", "key.pem");
        }
    }

    // ---- errors: each names the file and the cause ----

    @Test
    void aMissingCertificateFile() {
        Path missing = dir.resolve("nosuch-cert.pem");
        assertContains(message(() -> PemMaterial.load(missing, null, null)), "nosuch-cert.pem", "certificate file", "no such file");
    }

    @Test
    void aMissingKeyFile() {
        KeyPair kp = Pki.keyPair("EC", "server");
        Path missing = dir.resolve("nosuch-key.pem");
        assertContains(message(() -> PemMaterial.load(certFile(kp), missing, null)), "nosuch-key.pem", "key file", "no such file");
    }

    @Test
    void aDirectory() {
        assertContains(message(() -> PemMaterial.load(dir, null, null)), dir.toString(), "is a directory");
    }

    @Test
    void anUnreadableFile() throws Exception {
        KeyPair kp = Pki.keyPair("EC", "server");
        Path keyFile = Pki.write(dir.resolve("secret-key.pem"), Pki.pkcs8(kp.getPrivate()));
        try {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("---------"));
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "no POSIX permissions here");
        }
        assumeFalse(Files.isReadable(keyFile), "running as root: every file is readable");
        assertContains(message(() -> PemMaterial.load(certFile(kp), keyFile, null)), "secret-key.pem", "permission denied");
    }

    @Test
    void anEmptyCertificateFile() {
        Path empty = Pki.write(dir.resolve("empty.pem"), "");
        assertContains(message(() -> PemMaterial.load(empty, null, null)), "empty.pem", "no certificate found", "BEGIN CERTIFICATE");
    }

    @Test
    void aCertificateFileWithOnlyAKey() {
        KeyPair kp = Pki.keyPair("EC", "server");
        Path keyOnly = Pki.write(dir.resolve("onlykey.pem"), Pki.pkcs8(kp.getPrivate()));
        assertContains(message(() -> PemMaterial.load(keyOnly, null, null)), "onlykey.pem", "no certificate found");
    }

    @Test
    void aDerCertificateGetsAHint() throws Exception {
        KeyPair kp = Pki.keyPair("EC", "server");
        Path der = dir.resolve("cert.der");
        Files.write(der, Pki.selfSigned(kp, "localhost").getEncoded());
        assertContains(message(() -> PemMaterial.load(der, null, null)), "cert.der", "no certificate found", "DER", "openssl x509 -inform der");
    }

    @Test
    void noKeyInTheKeyFile() {
        KeyPair kp = Pki.keyPair("EC", "server");
        Path certFile = certFile(kp);
        Path notAKey = Pki.write(dir.resolve("notakey.pem"), Pki.certificates(Pki.selfSigned(kp, "localhost")));
        assertContains(message(() -> PemMaterial.load(certFile, notAKey, null)), "notakey.pem", "no private key found");
    }

    @Test
    void noKeyInTheCertificateFileWhenNoKeyFileIsGiven() {
        KeyPair kp = Pki.keyPair("EC", "server");
        Path certFile = certFile(kp);
        assertContains(message(() -> PemMaterial.load(certFile, null, null)), "cert.pem", "no private key found", "give the key file");
    }

    @ParameterizedTest
    @EnumSource(value = Form.class, names = ".*ENCRYPTED.*", mode = EnumSource.Mode.MATCH_ANY)
    void aWrongPassword(Form form) {
        KeyPair kp = form.keyPair();
        Path certFile = Pki.write(dir.resolve("cert.pem"), Pki.certificates(Pki.selfSigned(kp, "localhost")));
        Path keyFile = Pki.write(dir.resolve("my-key.pem"), form.pem(kp, PASSWORD.toCharArray()));
        // many wrong passwords: BouncyCastle fails in several ways (bad padding, garbage ASN.1...)
        for (int i = 0; i < 20; i++) {
            String wrong = "wrong-" + i + "-" + PASSWORD.substring(0, 5);
            String m = message(() -> PemMaterial.load(certFile, keyFile, wrong.toCharArray()));
            assertContains(m, "wrong password for the key in", "my-key.pem");
            assertFalse(m.contains(wrong), m);
            assertFalse(m.contains(PASSWORD), m);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Form.class, names = ".*ENCRYPTED.*", mode = EnumSource.Mode.MATCH_ANY)
    void aPasswordIsNeededButNoneIsGiven(Form form) {
        KeyPair kp = form.keyPair();
        Path certFile = Pki.write(dir.resolve("cert.pem"), Pki.certificates(Pki.selfSigned(kp, "localhost")));
        Path keyFile = Pki.write(dir.resolve("locked-key.pem"), form.pem(kp, PASSWORD.toCharArray()));
        assertContains(message(() -> PemMaterial.load(certFile, keyFile, null)), "locked-key.pem", "is encrypted",
                "no password was given");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC"})
    void aKeyThatDoesNotMatchTheCertificate(String type) {
        Path certFile = Pki.write(dir.resolve("their-cert.pem"),
                Pki.certificates(Pki.selfSigned(Pki.keyPair(type, "server"), "localhost")));
        Path keyFile = Pki.write(dir.resolve("other-key.pem"), Pki.pkcs8(Pki.keyPair(type, "other").getPrivate()));
        assertContains(message(() -> PemMaterial.load(certFile, keyFile, null)), "other-key.pem", "their-cert.pem",
                "does not match", "CN=localhost");
    }

    @Test
    void aKeyOfAnotherTypeThanTheCertificate() {
        Path certFile = Pki.write(dir.resolve("rsa-cert.pem"),
                Pki.certificates(Pki.selfSigned(Pki.keyPair("RSA", "server"), "localhost")));
        Path keyFile = Pki.write(dir.resolve("ec-key.pem"), Pki.pkcs8(Pki.keyPair("EC", "server").getPrivate()));
        assertContains(message(() -> PemMaterial.load(certFile, keyFile, null)), "ec-key.pem", "rsa-cert.pem",
                "does not match", "an EC key", "an RSA public key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ed25519", "DSA", "secp256k1"})
    void anUnsupportedKeyType(String type) {
        KeyPair kp = Pki.newKeyPair(type);
        Path certFile = Pki.write(dir.resolve("cert.pem"), Pki.certificates(Pki.selfSigned(kp, "localhost")));
        Path keyFile = Pki.write(dir.resolve("odd-key.pem"), Pki.pkcs8(kp.getPrivate()));
        assertContains(message(() -> PemMaterial.load(certFile, keyFile, null)), "odd-key.pem", type, "not supported",
                "RSA", "P-256");
    }

    @Test
    void anOpenSshKey() {
        KeyPair kp = Pki.keyPair("EC", "server");
        Path keyFile = Pki.write(dir.resolve("id_ecdsa"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        assertContains(message(() -> PemMaterial.load(certFile(kp), keyFile, null)), "id_ecdsa", "OpenSSH",
                "ssh-keygen -p -m PKCS8");
    }

    @Test
    void aDamagedPemFile() {
        KeyPair kp = Pki.keyPair("EC", "server");
        String pem = Pki.pkcs8(kp.getPrivate());
        String damaged = pem.replaceFirst("\n[A-Za-z0-9+/]{10}", "\n!!!!@@@@##");
        Path keyFile = Pki.write(dir.resolve("damaged.pem"), damaged);
        assertContains(message(() -> PemMaterial.load(certFile(kp), keyFile, null)), "damaged.pem", "not a valid PEM file");

        Path truncated = Pki.write(dir.resolve("truncated.pem"), pem.substring(0, pem.length() / 2));
        assertContains(message(() -> PemMaterial.load(certFile(kp), truncated, null)), "truncated.pem", "not a valid PEM file");
    }

    // ---- helpers ----

    private static String message(Runnable r) {
        TlsConfigException e = assertThrows(TlsConfigException.class, r::run);
        assertTrue(e instanceof IllegalArgumentException);
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT)),
                    "expected '" + part + "' in: " + message);
        }
    }

    private static void assertSameKey(PrivateKey expected, PrivateKey actual) {
        if (expected instanceof RSAPrivateKey) {
            assertEquals(((RSAPrivateKey) expected).getModulus(), ((RSAPrivateKey) actual).getModulus());
            assertEquals(((RSAPrivateKey) expected).getPrivateExponent(), ((RSAPrivateKey) actual).getPrivateExponent());
        } else {
            assertEquals(((ECPrivateKey) expected).getS(), ((ECPrivateKey) actual).getS());
        }
        // a JDK key, usable by the JDK's TLS engine without BouncyCastle installed
        assertFalse(actual.getClass().getName().startsWith("org.bouncycastle"), actual.getClass().getName());
    }

    private static void assertSignsFor(PemMaterial m) {
        try {
            String alg = m.keyAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(m.privateKey());
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(m.certificate());
            v.update(data);
            assertTrue(v.verify(sig));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static void writeLatin1(Path file, String text) {
        try {
            Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
