package io.portico.tls;

import javax.net.ssl.SSLEngine;

/**
 * Told, during a handshake, which pair {@link SniKeyManager} chose for it, with the handshake's
 * engine: the place to attach per-certificate data to the handshake, such as a stapled OCSP
 * response.
 *
 * <p>Called on the thread that runs the handshake (an event loop), once per chosen pair: it must
 * return at once, without blocking or I/O. An exception it throws is logged and otherwise ignored:
 * it never fails the handshake.
 */
@FunctionalInterface
public interface CertificateChoiceListener {

  /** Does nothing. */
  CertificateChoiceListener NONE = (engine, pair) -> {};

  /** {@code pair} serves the handshake that {@code engine} runs. */
  void chosen(SSLEngine engine, TlsKeyPair pair);
}
