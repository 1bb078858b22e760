package io.portico.tls;

/**
 * What user-facing messages call the certificate text and the key text: the keys of a {@code
 * kubernetes.io/tls} Secret, the arguments of {@link TlsKeyPair#of}, or file names such as {@code
 * ca.crt} and {@code ca.key}.
 */
record MaterialNames(String crt, String key) {

  static final MaterialNames SECRET = new MaterialNames("tls.crt", "tls.key");
  static final MaterialNames ARGUMENTS = new MaterialNames("chain", "privateKey");
}
