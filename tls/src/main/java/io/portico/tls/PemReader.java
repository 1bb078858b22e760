package io.portico.tls;

import static io.portico.tls.Messages.reason;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.jspecify.annotations.Nullable;

/**
 * Reads certificates and a private key from PEM text into JDK objects, with messages that name the
 * text ({@link MaterialNames}) and what is wrong with it.
 *
 * <p>Certificates are {@code BEGIN CERTIFICATE} blocks (or the two older labels of RFC 7468 section
 * 5.3). Keys are RSA or EC, in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), PKCS#8 ({@code BEGIN PRIVATE
 * KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}, optionally after {@code BEGIN EC PARAMETERS});
 * encrypted keys are refused.
 */
final class PemReader {

  private PemReader() {}

  /**
   * The certificates of {@code pem}, in order; never empty.
   *
   * @throws TlsMaterialException naming {@code names.crt()} when the text is not PEM, holds no
   *     certificate, holds another kind of object, or a certificate that does not decode
   */
  static List<X509Certificate> certificates(String pem, MaterialNames names)
      throws TlsMaterialException {
    List<PemObject> objects = read(names.crt(), pem);
    if (objects.isEmpty()) {
      throw new TlsMaterialException(
          names.crt() + ": no PEM certificate found (expected: -----BEGIN CERTIFICATE-----)");
    }
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> chain = new ArrayList<>(objects.size());
    for (PemObject object : objects) {
      if (!isCertificateLabel(object.getType())) {
        throw unsupported(names.crt(), object, "CERTIFICATE");
      }
      int number = chain.size() + 1;
      try {
        chain.add(converter.getCertificate(new X509CertificateHolder(object.getContent())));
      } catch (IOException | CertificateException | RuntimeException e) {
        throw new TlsMaterialException(
            names.crt()
                + ": certificate number "
                + number
                + " is not a valid X.509 certificate ("
                + reason(e)
                + ")",
            e);
      }
    }
    return List.copyOf(chain);
  }

  /**
   * The one private key of {@code pem}.
   *
   * @throws TlsMaterialException naming {@code names.key()} when the text is not PEM, holds no key
   *     or more than one, an encrypted key, another kind of object, or a key that does not decode
   */
  static PrivateKey privateKey(String pem, MaterialNames names) throws TlsMaterialException {
    PemObject keyObject = null;
    ASN1Primitive ecParameters = null;
    for (PemObject object : read(names.key(), pem)) {
      switch (object.getType()) {
        case "EC PARAMETERS" -> ecParameters = ecParameters(object, names);
        case "ENCRYPTED PRIVATE KEY" -> throw encrypted(names);
        case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
          if (isEncrypted(object)) {
            throw encrypted(names);
          }
          if (keyObject != null) {
            throw new TlsMaterialException(
                names.key() + ": more than one private key (expected: exactly one)");
          }
          keyObject = object;
        }
        default ->
            throw unsupported(
                names.key(), object, "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
      }
    }
    if (keyObject == null) {
      throw new TlsMaterialException(
          names.key()
              + ": no PEM private key found (expected: -----BEGIN PRIVATE KEY-----,"
              + " -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }
    PrivateKeyInfo info = privateKeyInfo(keyObject, ecParameters, names);
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (PEMException | RuntimeException e) {
      throw new TlsMaterialException(
          names.key() + ": unsupported or malformed private key (" + reason(e) + ")", e);
    }
  }

  private static boolean isCertificateLabel(String type) {
    // The two older labels are still written by some tools (RFC 7468 section 5.3).
    return type.equals("CERTIFICATE")
        || type.equals("X509 CERTIFICATE")
        || type.equals("X.509 CERTIFICATE");
  }

  private static PrivateKeyInfo privateKeyInfo(
      PemObject object, @Nullable ASN1Primitive ecParameters, MaterialNames names)
      throws TlsMaterialException {
    byte[] content = object.getContent();
    try {
      switch (object.getType()) {
        case "RSA PRIVATE KEY":
          // PKCS#1 holds only the key; PKCS#8 wraps it with the algorithm identifier.
          return new PrivateKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
              org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(content));
        case "EC PRIVATE KEY":
          {
            // SEC1 names its curve inside the key, or openssl writes it in EC PARAMETERS before.
            org.bouncycastle.asn1.sec.ECPrivateKey ecKey =
                org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(content);
            ASN1Encodable parameters = ecKey.getParametersObject();
            if (parameters == null) {
              parameters = ecParameters;
            }
            if (parameters == null) {
              throw new TlsMaterialException(
                  names.key()
                      + ": EC PRIVATE KEY names no curve (expected: curve parameters in the"
                      + " key or in a preceding EC PARAMETERS block)");
            }
            return new PrivateKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, parameters), ecKey);
          }
        default:
          return PrivateKeyInfo.getInstance(content);
      }
    } catch (IOException | RuntimeException e) {
      throw new TlsMaterialException(
          names.key() + ": malformed " + object.getType() + " (" + reason(e) + ")", e);
    }
  }

  private static ASN1Primitive ecParameters(PemObject object, MaterialNames names)
      throws TlsMaterialException {
    try {
      return ASN1Primitive.fromByteArray(object.getContent());
    } catch (IOException | RuntimeException e) {
      throw new TlsMaterialException(
          names.key() + ": malformed EC PARAMETERS (" + reason(e) + ")", e);
    }
  }

  private static boolean isEncrypted(PemObject object) {
    for (Object header : object.getHeaders()) {
      if (header instanceof PemHeader pemHeader
          && pemHeader.getName().equalsIgnoreCase("Proc-Type")
          && pemHeader.getValue().toUpperCase(Locale.ROOT).contains("ENCRYPTED")) {
        return true;
      }
    }
    return false;
  }

  private static TlsMaterialException encrypted(MaterialNames names) {
    return new TlsMaterialException(
        names.key()
            + ": the private key is encrypted (expected: an unencrypted key, as in every"
            + " kubernetes.io/tls Secret; decrypt it with: openssl pkey -in encrypted.key -out "
            + names.key()
            + ")");
  }

  private static TlsMaterialException unsupported(
      String textName, PemObject object, String expected) {
    return new TlsMaterialException(
        textName
            + ": unsupported PEM object \""
            + object.getType()
            + "\" (expected: "
            + expected
            + ")");
  }

  private static List<PemObject> read(String textName, String text) throws TlsMaterialException {
    List<PemObject> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (PemObject o = parser.readPemObject(); o != null; o = parser.readPemObject()) {
        objects.add(o);
      }
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports a missing END line with IOException, bad base64 with a
      // RuntimeException: both mean the text is not well-formed PEM.
      throw new TlsMaterialException(textName + ": malformed PEM (" + reason(e) + ")", e);
    }
    return objects;
  }
}
