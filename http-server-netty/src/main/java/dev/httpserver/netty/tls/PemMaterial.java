package dev.httpserver.netty.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.NoSuchPaddingException;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A server's certificate chain and private key, read from PEM files as Python's
 * {@code SSLContext.load_cert_chain(certfile, keyfile=None, password=None)} reads them.
 *
 * <p>The certificate file holds the server's certificate first, then any intermediate certificates
 * (leaf first, as OpenSSL expects); other PEM blocks in it are skipped. The key may be in any common
 * PEM form:
 * <ul>
 *   <li>PKCS#8, {@code -----BEGIN PRIVATE KEY-----} (RSA or EC; what {@code openssl genpkey} and
 *       OpenSSL 3's {@code openssl req -newkey} write);
 *   <li>encrypted PKCS#8, {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} (PBES2 or the older
 *       PKCS#5/PKCS#12 schemes);
 *   <li>RSA PKCS#1, {@code -----BEGIN RSA PRIVATE KEY-----};
 *   <li>EC SEC1, {@code -----BEGIN EC PRIVATE KEY-----}, with or without a preceding
 *       {@code -----BEGIN EC PARAMETERS-----} block ({@code openssl ecparam -genkey});
 *   <li>either of the last two encrypted the legacy OpenSSL way ({@code Proc-Type: 4,ENCRYPTED} and a
 *       {@code DEK-Info} header).
 * </ul>
 * RSA keys and EC keys on P-256, P-384 or P-521 are supported (what every TLS client accepts); other
 * key types are refused with a clear message.
 *
 * <p>With no key file the key is read from the certificate file, as Python does. A password is used
 * only when the key is encrypted (and ignored otherwise, as Python ignores it); it is never copied
 * into a message, a log or {@link #toString()}, and the caller's array is not modified.
 *
 * <p>Every problem is a {@link TlsConfigException} (an {@link IllegalArgumentException}) whose
 * message names the file and the cause: a missing or unreadable file, no certificate, no key, a
 * wrong password, a password needed but not given, a key that does not belong to the certificate,
 * an unsupported key type.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class PemMaterial {

    /** No PEM file of ours is this big: a bigger one is a mistake (a disk image, a log...). */
    private static final long MAX_FILE_SIZE = 16L * 1024 * 1024;

    private static final Map<String, String> KEY_TYPE_NAMES = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.2.840.10040.4.1", "DSA",
            "1.3.101.110", "X25519",
            "1.3.101.111", "X448",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448",
            "1.2.840.113549.1.3.1", "DH",
            "1.2.840.10046.2.1", "DH");

    /** The curves of TLS's {@code supported_groups} that every client and both TLS engines know. */
    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384",
            SECObjectIdentifiers.secp521r1, "P-521");

    private static final Set<String> CERTIFICATE_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE");

    private static final Set<String> KEY_TYPES = Set.of("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY",
            "EC PRIVATE KEY", "DSA PRIVATE KEY");

    private static final String SUPPORTED = "use an RSA key or an EC key on P-256, P-384 or P-521";

    private final X509Certificate[] chain;
    private final PrivateKey key;
    private final String source;

    private PemMaterial(X509Certificate[] chain, PrivateKey key, String source) {
        this.chain = chain;
        this.key = key;
        this.source = source;
    }

    /**
     * Python's {@code load_cert_chain(certfile, keyfile, password)}: reads the certificate chain from
     * {@code certfile} and the private key from {@code keyfile}, or from {@code certfile} when
     * {@code keyfile} is null.
     *
     * @param certfile a PEM file: the server's certificate, then its intermediates
     * @param keyfile  a PEM file holding the private key, or null when it is in {@code certfile}
     * @param password the key's password, or null; used only if the key is encrypted; not modified
     * @throws TlsConfigException if a file cannot be read, holds no certificate or no key, the password
     *                            is wrong or missing, the key does not match the certificate, or the key
     *                            type is not supported; the message names the file and the cause
     */
    public static PemMaterial load(Path certfile, Path keyfile, char[] password) {
        Objects.requireNonNull(certfile, "certfile");
        List<Object> certBlocks = readPem(certfile, "certificate file");
        List<X509Certificate> certs = certificates(certBlocks, certfile);
        if (certs.isEmpty()) {
            throw new TlsConfigException("no certificate found in " + certfile
                    + ": expected a PEM file with a '-----BEGIN CERTIFICATE-----' block" + derHint(certfile));
        }
        Path keySource = keyfile == null ? certfile : keyfile;
        List<Object> keyBlocks = keyfile == null ? certBlocks : readPem(keyfile, "key file");
        Object keyBlock = firstKey(keyBlocks);
        if (keyBlock == null) {
            if (keyfile == null) {
                throw new TlsConfigException("no private key found in " + certfile
                        + ": give the key file too, or append the key ('-----BEGIN PRIVATE KEY-----') to the certificate file");
            }
            throw new TlsConfigException("no private key found in " + keyfile
                    + ": expected a PEM block such as '-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----'"
                    + " or '-----BEGIN EC PRIVATE KEY-----'" + derHint(keyfile));
        }
        boolean encrypted = keyBlock instanceof PKCS8EncryptedPrivateKeyInfo || keyBlock instanceof PEMEncryptedKeyPair;
        PrivateKeyInfo info = decrypt(keyBlock, keySource, password);
        String where = "the key in " + keySource;
        checkKeyType(info.getPrivateKeyAlgorithm(), where);
        PrivateKey key;
        try {
            key = new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            if (encrypted) {
                throw wrongPassword(keySource, e);
            }
            throw new TlsConfigException("cannot read the private key in " + keySource + ": " + e.getMessage(), e);
        }
        X509Certificate[] chain = certs.toArray(new X509Certificate[0]);
        String certWhere = "the certificate in " + certfile;
        checkMatch(key, chain, where, certWhere, certfile.toString());
        return new PemMaterial(chain, key,
                keyfile == null ? certfile.toString() : certfile + " and " + keyfile);
    }

    /**
     * The given key and chain (leaf first), checked as {@link #load} checks them: at least one
     * certificate, a supported key type, and a key that belongs to the first certificate.
     *
     * @throws TlsConfigException if they cannot be used together
     */
    public static PemMaterial of(PrivateKey key, X509Certificate... chain) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(chain, "chain");
        if (chain.length == 0) {
            throw new TlsConfigException("no certificate given: give the server's certificate, then its intermediates");
        }
        X509Certificate[] copy = chain.clone();
        for (X509Certificate c : copy) {
            Objects.requireNonNull(c, "a certificate of the chain is null");
        }
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(key.getEncoded());
        } catch (RuntimeException e) {
            throw new TlsConfigException("the given private key (" + key.getAlgorithm()
                    + ") cannot be encoded as PKCS#8, so it cannot be used for TLS", e);
        }
        if (info == null) {
            throw new TlsConfigException("the given private key (" + key.getAlgorithm()
                    + ") cannot be encoded as PKCS#8, so it cannot be used for TLS");
        }
        checkKeyType(info.getPrivateKeyAlgorithm(), "the given key");
        checkMatch(key, copy, "the given key", "the given certificate", "the given chain");
        return new PemMaterial(copy, key, "the given key and certificate");
    }

    /** The certificate chain, the server's certificate first (a copy). */
    public X509Certificate[] chain() {
        return chain.clone();
    }

    /** The server's own certificate: the first of {@link #chain()}. */
    public X509Certificate certificate() {
        return chain[0];
    }

    /** The private key of {@link #certificate()}. */
    public PrivateKey privateKey() {
        return key;
    }

    /** The key type: {@code RSA} or {@code EC}. */
    public String keyAlgorithm() {
        return key instanceof RSAPrivateKey ? "RSA" : "EC";
    }

    /**
     * The SHA-256 fingerprint of {@link #certificate()} as {@code openssl x509 -fingerprint -sha256}
     * prints it: upper-case hex pairs separated by {@code :}.
     */
    public String sha256Fingerprint() {
        return SelfSigned.sha256Fingerprint(chain[0]);
    }

    /** The subject, key type and source files; never anything secret. */
    @Override
    public String toString() {
        return "PemMaterial[" + chain[0].getSubjectX500Principal().getName(X500Principal.RFC2253) + ", "
                + keyAlgorithm() + " key, " + chain.length + " certificate(s), from " + source + "]";
    }

    // ---- reading ----

    private static List<Object> readPem(Path file, String what) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new TlsConfigException("cannot read the " + what + " " + file + ": it is a directory, not a PEM file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new TlsConfigException("cannot read the " + what + " " + file + ": it is " + size
                        + " bytes long, too big to be a PEM file");
            }
            // Latin-1 maps every byte to a char: text around the PEM blocks may be in any encoding.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException("cannot read the " + what + " " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new TlsConfigException("cannot read the " + what + " " + file + ": permission denied", e);
        } catch (IOException | SecurityException e) {
            throw new TlsConfigException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
        }
        List<Object> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            while (true) {
                PemObject pem;
                try {
                    pem = reader.readPemObject();
                } catch (IOException | RuntimeException e) {
                    throw malformed(file, what, e);
                }
                if (pem == null) {
                    return blocks;
                }
                String type = pem.getType();
                if (CERTIFICATE_TYPES.contains(type) || KEY_TYPES.contains(type)) {
                    blocks.add(parse(pem, file, what));
                } else if (type.endsWith("PRIVATE KEY")) {
                    blocks.add(new OtherKeyBlock(type));
                }
                // other blocks (EC PARAMETERS, PUBLIC KEY, X509 CRL...) are skipped, as OpenSSL skips them
            }
        } catch (IOException e) {
            throw malformed(file, what, e); // from close(): a StringReader does not throw
        }
    }

    /** One block, through BouncyCastle's parser (which knows the encrypted forms and their headers). */
    private static Object parse(PemObject pem, Path file, String what) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(pem);
        } catch (IOException e) {
            throw malformed(file, what, e); // a StringWriter does not fail
        }
        try (PEMParser parser = new PEMParser(new StringReader(text.toString()))) {
            Object block = parser.readObject();
            if (block == null) {
                throw new IOException("empty block");
            }
            return block;
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigException("the " + what + " " + file + " is not a valid PEM file: its '" + pem.getType()
                    + "' block is damaged (" + e.getMessage() + ")", e);
        }
    }

    private static TlsConfigException malformed(Path file, String what, Exception e) {
        return new TlsConfigException("the " + what + " " + file + " is not a valid PEM file: " + e.getMessage(), e);
    }

    /** A hint for a DER (binary) file, which starts with an ASN.1 SEQUENCE byte. */
    private static String derHint(Path file) {
        try (var in = Files.newInputStream(file)) {
            int first = in.read();
            if (first == 0x30) {
                return " (this file looks binary, DER: convert it to PEM, e.g. 'openssl x509 -inform der -in "
                        + file + " -out cert.pem' or 'openssl pkey -inform der -in " + file + " -out key.pem')";
            }
        } catch (IOException | RuntimeException e) {
            // no hint
        }
        return "";
    }

    private static List<X509Certificate> certificates(List<Object> blocks, Path file) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certs = new ArrayList<>();
        for (Object block : blocks) {
            X509CertificateHolder holder = null;
            if (block instanceof X509CertificateHolder) {
                holder = (X509CertificateHolder) block;
            } else if (block instanceof X509TrustedCertificateBlock) {
                holder = ((X509TrustedCertificateBlock) block).getCertificateHolder();
            }
            if (holder != null) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (CertificateException | RuntimeException e) {
                    throw new TlsConfigException("certificate #" + (certs.size() + 1) + " in " + file
                            + " cannot be read: " + e.getMessage(), e);
                }
            }
        }
        return certs;
    }

    private static Object firstKey(List<Object> blocks) {
        for (Object block : blocks) {
            if (block instanceof PrivateKeyInfo || block instanceof PEMKeyPair
                    || block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair
                    || block instanceof OtherKeyBlock) {
                return block;
            }
        }
        return null;
    }

    private static PrivateKeyInfo decrypt(Object block, Path file, char[] password) {
        if (block instanceof OtherKeyBlock) {
            String type = ((OtherKeyBlock) block).type;
            if (type.equals("OPENSSH PRIVATE KEY")) {
                throw new TlsConfigException("the key in " + file + " is in OpenSSH's own format, which TLS does not use:"
                        + " convert it to PKCS#8, e.g. 'ssh-keygen -p -m PKCS8 -f " + file + "' (this rewrites the file)");
            }
            throw new TlsConfigException("the key in " + file + " is a '" + type + "' block, which is not supported: "
                    + SUPPORTED + ", in PEM ('-----BEGIN PRIVATE KEY-----')");
        }
        if (block instanceof PrivateKeyInfo) {
            return (PrivateKeyInfo) block;
        }
        if (block instanceof PEMKeyPair) {
            try {
                PrivateKeyInfo info = ((PEMKeyPair) block).getPrivateKeyInfo();
                if (info == null) {
                    throw new TlsConfigException("cannot read the private key in " + file + ": the key block is empty");
                }
                return info;
            } catch (RuntimeException e) {
                if (e instanceof TlsConfigException) {
                    throw e;
                }
                throw new TlsConfigException("cannot read the private key in " + file + ": " + e.getMessage(), e);
            }
        }
        if (password == null) {
            throw new TlsConfigException("the private key in " + file
                    + " is encrypted and no password was given: give its password");
        }
        try {
            PrivateKeyInfo info;
            if (block instanceof PKCS8EncryptedPrivateKeyInfo) {
                info = ((PKCS8EncryptedPrivateKeyInfo) block).decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
            } else {
                PEMKeyPair pair = ((PEMEncryptedKeyPair) block).decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
                info = pair.getPrivateKeyInfo();
            }
            if (info == null) {
                throw wrongPassword(file, null);
            }
            return info;
        } catch (TlsConfigException e) {
            throw e;
        } catch (Exception e) {
            // BouncyCastle reports a wrong password in many ways: a bad padding, an ASN.1 error in the
            // garbage it decrypted, a PEMException... Only a missing algorithm is something else.
            if (unsupportedCipher(e)) {
                throw new TlsConfigException("the private key in " + file
                        + " is encrypted with a cipher this Java runtime does not support (" + rootMessage(e)
                        + "): re-encrypt it, e.g. 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW'", e);
            }
            throw wrongPassword(file, e);
        }
    }

    private static TlsConfigException wrongPassword(Path file, Exception cause) {
        // The cause's message is only BouncyCastle's ("pad block corrupted"...), never the password.
        return new TlsConfigException("wrong password for the key in " + file
                + ": the key could not be decrypted with the password given", cause);
    }

    private static boolean unsupportedCipher(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchAlgorithmException || t instanceof NoSuchPaddingException
                    || t instanceof OperatorCreationException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.startsWith("unknown encryption") || m.contains("not available"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    // ---- checks ----

    /** Refuses what TLS (in both engines) cannot use: anything but RSA and EC on the three NIST curves. */
    private static void checkKeyType(AlgorithmIdentifier alg, String where) {
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        String name = KEY_TYPE_NAMES.getOrDefault(oid.getId(), "OID " + oid.getId());
        if ("RSA".equals(name)) {
            return;
        }
        if (!"EC".equals(name)) {
            throw new TlsConfigException(where + " is " + article(name) + name
                    + " key, which is not supported: " + SUPPORTED);
        }
        ASN1Encodable params = alg.getParameters();
        if (params instanceof ASN1ObjectIdentifier) {
            ASN1ObjectIdentifier curve = (ASN1ObjectIdentifier) params;
            if (CURVES.containsKey(curve)) {
                return;
            }
            String curveName = ECNamedCurveTable.getName(curve);
            throw new TlsConfigException(where + " is an EC key on the curve "
                    + (curveName == null ? curve.getId() : curveName) + ", which is not supported: " + SUPPORTED);
        }
        if (params == null || X9ObjectIdentifiers.id_ecPublicKey.equals(params)) {
            throw new TlsConfigException(where + " is an EC key that does not name its curve: " + SUPPORTED);
        }
        throw new TlsConfigException(where + " is an EC key with explicit curve parameters, which is not supported: "
                + SUPPORTED + " (e.g. 'openssl ec -param_enc named_curve')");
    }

    /** "an " before a name said with a vowel sound (an RSA, an EC, an Ed25519, an X25519), "a " otherwise. */
    private static String article(String name) {
        return name.startsWith("E") || name.startsWith("R") || name.startsWith("X") || name.startsWith("O")
                || name.startsWith("A") || name.startsWith("I") ? "an " : "a ";
    }

    private static void checkMatch(PrivateKey key, X509Certificate[] chain, String keyWhere, String certWhere,
            String chainWhere) {
        X509Certificate leaf = chain[0];
        PublicKey pub = leaf.getPublicKey();
        if (matches(key, pub)) {
            return;
        }
        String keyType = key instanceof RSAPrivateKey ? "RSA" : key instanceof ECPrivateKey ? "EC" : key.getAlgorithm();
        String certType = pub instanceof RSAPublicKey ? "RSA" : pub instanceof ECPublicKey ? "EC" : pub.getAlgorithm();
        String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
        for (int i = 1; i < chain.length; i++) {
            if (matches(key, chain[i].getPublicKey())) {
                throw new TlsConfigException(keyWhere + " does not match the first certificate of " + chainWhere
                        + " (" + subject + ") but certificate #" + (i + 1) + " ("
                        + chain[i].getSubjectX500Principal().getName(X500Principal.RFC2253)
                        + "): put the server's own certificate first, then its issuers");
            }
        }
        if (!keyType.equals(certType)) {
            throw new TlsConfigException(keyWhere + " does not match " + certWhere + " (" + subject + "): the key is "
                    + article(keyType) + keyType + " key but the certificate holds " + article(certType) + certType
                    + " public key");
        }
        throw new TlsConfigException(keyWhere + " does not match " + certWhere + " (" + subject
                + "): the certificate was issued for another key; give the key it was made with");
    }

    private static boolean matches(PrivateKey key, PublicKey pub) {
        if (key instanceof RSAPrivateKey && pub instanceof RSAPublicKey) {
            RSAPublicKey p = (RSAPublicKey) pub;
            if (!((RSAPrivateKey) key).getModulus().equals(p.getModulus())) {
                return false;
            }
            if (key instanceof RSAPrivateCrtKey) {
                BigInteger e = ((RSAPrivateCrtKey) key).getPublicExponent();
                return e == null || e.signum() == 0 || e.equals(p.getPublicExponent());
            }
            return true;
        }
        if (key instanceof ECPrivateKey && pub instanceof ECPublicKey) {
            ECPrivateKey k = (ECPrivateKey) key;
            ECPublicKey p = (ECPublicKey) pub;
            if (!k.getParams().getCurve().equals(p.getParams().getCurve())) {
                return false;
            }
            // The public point is not derivable with the JDK's API: sign and verify a message instead.
            try {
                byte[] message = "dev.httpserver key check".getBytes(StandardCharsets.US_ASCII);
                Signature signer = Signature.getInstance("SHA256withECDSA");
                signer.initSign(k);
                signer.update(message);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance("SHA256withECDSA");
                verifier.initVerify(p);
                verifier.update(message);
                return verifier.verify(signature);
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    /** A private key block of a kind no TLS engine reads (an OpenSSH key...): reported if it is the key found. */
    private static final class OtherKeyBlock {
        final String type;

        OtherKeyBlock(String type) {
            this.type = type;
        }
    }

    /** BouncyCastle as a provider object, for the ciphers of encrypted keys; never installed globally. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
