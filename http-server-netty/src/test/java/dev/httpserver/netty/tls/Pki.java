package dev.httpserver.netty.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptor;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * Keys and certificates made at test time (nothing secret is committed), written in every PEM form
 * a user may have. BouncyCastle is used as a provider object for the ciphers, never installed.
 */
final class Pki {

    static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ConcurrentHashMap<String, KeyPair> CACHE = new ConcurrentHashMap<>();

    private Pki() {
    }

    /** A new key pair: "RSA" (2048), "EC" (P-256), "EC-384", "EC-521", "Ed25519", "DSA", "secp256k1". */
    static KeyPair newKeyPair(String type) {
        try {
            switch (type) {
                case "RSA": {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048, RANDOM);
                    return g.generateKeyPair();
                }
                case "EC":
                case "EC-256":
                    return ec("secp256r1");
                case "EC-384":
                    return ec("secp384r1");
                case "EC-521":
                    return ec("secp521r1");
                case "secp256k1": {
                    // the JDK 17 dropped this curve: BouncyCastle makes the key
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
                    g.initialize(new ECGenParameterSpec("secp256k1"), RANDOM);
                    return g.generateKeyPair();
                }
                case "DSA": {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
                    g.initialize(2048, RANDOM);
                    return g.generateKeyPair();
                }
                default:
                    return KeyPairGenerator.getInstance(type).generateKeyPair();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair of {@code type}, shared by the tests of one JVM (RSA generation is slow). */
    static KeyPair keyPair(String type, String name) {
        return CACHE.computeIfAbsent(type + "/" + name, k -> newKeyPair(type));
    }

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve), RANDOM);
        return g.generateKeyPair();
    }

    /** A self-signed server certificate for localhost (SANs DNS:localhost, IP:127.0.0.1, IP:::1). */
    static X509Certificate selfSigned(KeyPair pair, String cn) {
        return certificate("CN=" + cn, pair.getPublic(), "CN=" + cn, pair, false);
    }

    /** A certificate for {@code subject} and {@code subjectKey}, signed by {@code issuerPair} as {@code issuer}. */
    static X509Certificate certificate(String subject, PublicKey subjectKey, String issuer, KeyPair issuerPair, boolean ca) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    new BigInteger(64, RANDOM).setBit(0), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject), subjectKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPair.getPublic()));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1"),
                }));
            }
            PrivateKey signer = issuerPair.getPrivate();
            String alg = signer.getAlgorithm().startsWith("RSA") ? "SHA256withRSA"
                    : signer.getAlgorithm().equals("EdDSA") || signer.getAlgorithm().equals("Ed25519") ? "Ed25519"
                    : signer.getAlgorithm().equals("DSA") ? "SHA256withDSA" : "SHA256withECDSA";
            JcaContentSignerBuilder sb = new JcaContentSignerBuilder(alg);
            if (signer.getClass().getName().startsWith("org.bouncycastle") || alg.equals("Ed25519")) {
                sb.setProvider(BC);
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(sb.build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- PEM text ----

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (object instanceof PemObject) {
                w.writeObject((PemObjectGenerator) () -> (PemObject) object);
            } else {
                w.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String certificates(X509Certificate... certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(pem(c));
        }
        return sb.toString();
    }

    /** PKCS#8, {@code BEGIN PRIVATE KEY}. */
    static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypted PKCS#8, {@code BEGIN ENCRYPTED PRIVATE KEY}, with {@code scheme} (e.g. AES_256_CBC, PBE_SHA1_3DES). */
    static String encryptedPkcs8(PrivateKey key, ASN1ObjectIdentifier scheme, char[] password) {
        try {
            return pem(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(scheme)
                    .setProvider(BC).setRandom(RANDOM).setPassword(password).build()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RSA PKCS#1, {@code BEGIN RSA PRIVATE KEY}: what JcaPEMWriter writes for an RSA KeyPair. */
    static String pkcs1(KeyPair rsa) {
        return pem(rsa);
    }

    /** RSA PKCS#1 encrypted the legacy OpenSSL way (Proc-Type, DEK-Info) with {@code cipher} (e.g. AES-256-CBC). */
    static String legacyEncryptedPkcs1(KeyPair rsa, String cipher, char[] password) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(rsa, new JcePEMEncryptorBuilder(cipher).setProvider(BC).setSecureRandom(RANDOM).build(password));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * EC SEC1, {@code BEGIN EC PRIVATE KEY}, with the curve and public key inside as OpenSSL writes it
     * (JcaPEMWriter given a JDK EC key leaves them out); with {@code paramsBlock}, preceded by the
     * {@code BEGIN EC PARAMETERS} block of {@code openssl ecparam -genkey}.
     */
    static String sec1(KeyPair ec, boolean paramsBlock) {
        PemObject key = new PemObject("EC PRIVATE KEY", sec1Der(ec));
        try {
            return (paramsBlock ? pem(new PemObject("EC PARAMETERS", curveOid(ec).getEncoded())) : "") + pem(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** EC SEC1 encrypted the legacy OpenSSL way. */
    static String legacyEncryptedSec1(KeyPair ec, String cipher, char[] password) {
        return legacyEncrypted("EC PRIVATE KEY", sec1Der(ec), cipher, password);
    }

    static String legacyEncrypted(String type, byte[] der, String cipher, char[] password) {
        PEMEncryptor enc = new JcePEMEncryptorBuilder(cipher).setProvider(BC).setSecureRandom(RANDOM).build(password);
        try {
            byte[] encrypted = enc.encrypt(der);
            List<PemHeader> headers = new ArrayList<>();
            headers.add(new PemHeader("Proc-Type", "4,ENCRYPTED"));
            headers.add(new PemHeader("DEK-Info", enc.getAlgorithm() + "," + HexFormat.of().withUpperCase().formatHex(enc.getIV())));
            return pem(new PemObject(type, headers, encrypted));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ASN1ObjectIdentifier curveOid(KeyPair ec) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
        return ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
    }

    private static byte[] sec1Der(KeyPair ec) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            int orderBits = ((ECPrivateKey) ec.getPrivate()).getParams().getOrder().bitLength();
            return new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, inner.getKey(),
                    SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded()).getPublicKeyData(), curveOid(ec))
                    .getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- external tools ----

    /** Whether {@code tool} answers {@code args} on the PATH. */
    static boolean onPath(String tool, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a shell command in {@code dir}; the exit code, then stdout, then stderr. */
    static Result run(Path dir, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            for (String v : List.of("CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "http_proxy", "https_proxy",
                    "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "OPENSSL_CONF", "CURL_HOME")) {
                pb.environment().remove(v);
            }
            pb.environment().put("HOME", dir.toString()); // no ~/.curlrc
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result sh(Path dir, String script) {
        return run(dir, List.of("sh", "-c", script));
    }

    static final class Result {
        final int exit;
        final String out;
        final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }
}
