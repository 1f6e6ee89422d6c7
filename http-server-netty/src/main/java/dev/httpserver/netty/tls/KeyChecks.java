package dev.httpserver.netty.tls;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The checks of {@link PemMaterial} on a key and its chain: a key type both TLS engines use (RSA, or
 * EC on P-256, P-384 or P-521), and a key that belongs to the first certificate. A failure is a
 * {@link TlsConfigException} that says what is wrong and what to do.
 */
final class KeyChecks {

    /** What to use instead of an unsupported key, for the messages. */
    static final String SUPPORTED = "use an RSA key or an EC key on P-256, P-384 or P-521";

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

    private KeyChecks() {
    }

    /** Refuses what TLS (in both engines) cannot use: anything but RSA and EC on the three NIST curves. */
    static void checkKeyType(AlgorithmIdentifier alg, String where) {
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

    /**
     * Refuses a key that does not belong to the first certificate of {@code chain}, saying why: it
     * belongs to a later one (the order is wrong), it is of another type, or of another key pair. The
     * {@code ...Where} arguments name the key, the certificate and the chain in the messages.
     */
    static void checkMatch(PrivateKey key, X509Certificate[] chain, String keyWhere, String certWhere,
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
}
