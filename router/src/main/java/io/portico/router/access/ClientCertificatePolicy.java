package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.re2j.Pattern;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import io.portico.tls.ClientCertificateAuthority;
import io.portico.tls.ClientVerification;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Client certificate authentication ({@code auth-tls-*}), with nginx's {@code ssl_verify_client}
 * semantics as ingress-nginx configures them. The TLS handshake of a host whose routes carry this
 * policy asks for a certificate (unless the mode is {@code off}) and never fails over it; this
 * policy decides per request, as nginx does after the handshake:
 *
 * <ol>
 *   <li>over TLS, a request whose {@code Host} is not the server name the handshake was made for
 *       gets 421 Misdirected Request: the certificate was asked for, or not, for another host
 *       (nginx answers 421 when the host it would serve verifies clients);
 *   <li>no certificate: 400 {@code No required SSL certificate was sent} with {@link
 *       ClientVerifyMode#ON}, else on with {@code ssl-client-verify: NONE}; plain HTTP counts as no
 *       certificate;
 *   <li>a certificate that does not check out against the CA: 400 {@code The SSL certificate
 *       error}, except that {@link ClientVerifyMode#OPTIONAL_NO_CA} lets an untrusted chain through
 *       with {@code ssl-client-verify: FAILED:<reason>};
 *   <li>with {@code auth-tls-error-page}, both 400 answers are a 302 to that page instead;
 *   <li>with {@code auth-tls-match-cn}, a subject DN the pattern does not find gets 403.
 * </ol>
 *
 * A request that goes on carries {@code ssl-client-verify}, {@code ssl-client-subject-dn} and
 * {@code ssl-client-issuer-dn} (RFC 2253, as nginx's {@code $ssl_client_s_dn}), and with {@code
 * auth-tls-pass-certificate-to-upstream} {@code ssl-client-cert} (the client's certificate in PEM,
 * URL-encoded); the client's own headers of these names never reach the backend.
 *
 * <p>Results are remembered per certificate chain (bounded, five minutes), so a keep-alive client
 * pays for one check. Equality is by settings, so that an unchanged Ingress gives equal routes.
 */
public final class ClientCertificatePolicy implements RequestPolicy {

  /**
   * The upstream header with the result: {@code SUCCESS}, {@code FAILED:reason} or {@code NONE}.
   */
  public static final String VERIFY_HEADER = "ssl-client-verify";

  /** The upstream header with the client certificate's subject DN. */
  public static final String SUBJECT_HEADER = "ssl-client-subject-dn";

  /** The upstream header with the client certificate's issuer DN. */
  public static final String ISSUER_HEADER = "ssl-client-issuer-dn";

  /** The upstream header with the client certificate, PEM, URL-encoded. */
  public static final String CERTIFICATE_HEADER = "ssl-client-cert";

  /** nginx's default {@code ssl_verify_depth} as ingress-nginx sets it. */
  public static final int DEFAULT_DEPTH = 1;

  private static final int CACHE_SIZE = 10_000;
  private static final Duration CACHE_TIME = Duration.ofMinutes(5);

  private static final PolicyAnswer NO_CERTIFICATE =
      PolicyAnswer.text(400, "400 No required SSL certificate was sent\n");
  private static final PolicyAnswer CERTIFICATE_ERROR =
      PolicyAnswer.text(400, "400 The SSL certificate error\n");
  private static final PolicyAnswer CN_MISMATCH =
      PolicyAnswer.text(403, "client certificate unauthorized");
  private static final PolicyAnswer MISDIRECTED =
      PolicyAnswer.text(421, "421 Misdirected Request\n");

  private final ClientVerifyMode mode;
  private final ClientCertificateAuthority authority;
  private final int depth;
  private final @Nullable String errorPage;
  private final boolean passCertificate;
  private final @Nullable Pattern matchCn;
  private final Clock clock;
  private final Cache<List<X509Certificate>, ClientVerification> verified =
      Caffeine.newBuilder().maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_TIME).build();

  /**
   * @param authority the CAs of {@code auth-tls-secret}
   * @param depth {@code auth-tls-verify-depth}: the most intermediates between certificate and root
   * @param errorPage {@code auth-tls-error-page}: where a failed check is redirected, or empty
   * @param passCertificate {@code auth-tls-pass-certificate-to-upstream}
   * @param matchCn {@code auth-tls-match-cn}: a pattern (RE2 syntax) the subject DN must contain,
   *     or empty
   */
  public ClientCertificatePolicy(
      ClientVerifyMode mode,
      ClientCertificateAuthority authority,
      int depth,
      Optional<String> errorPage,
      boolean passCertificate,
      Optional<String> matchCn) {
    this(mode, authority, depth, errorPage, passCertificate, matchCn, Clock.systemUTC());
  }

  /** With the clock certificates are checked against, for tests. */
  ClientCertificatePolicy(
      ClientVerifyMode mode,
      ClientCertificateAuthority authority,
      int depth,
      Optional<String> errorPage,
      boolean passCertificate,
      Optional<String> matchCn,
      Clock clock) {
    this.mode = requireNonNull(mode, "mode");
    this.authority = requireNonNull(authority, "authority");
    if (depth < 0) {
      throw new IllegalArgumentException("depth: " + depth + " (expected: 0 or more)");
    }
    this.depth = depth;
    this.errorPage = requireNonNull(errorPage, "errorPage").orElse(null);
    if (this.errorPage != null) {
      // Checked now, so that a bad value fails translation rather than a request.
      PolicyAnswer.redirect(302, this.errorPage);
    }
    this.passCertificate = passCertificate;
    this.matchCn = requireNonNull(matchCn, "matchCn").map(Pattern::compile).orElse(null);
    this.clock = requireNonNull(clock, "clock");
  }

  public ClientVerifyMode mode() {
    return mode;
  }

  /** Whether the TLS handshake of this policy's hosts asks the client for a certificate. */
  public boolean requestsCertificate() {
    return mode.requestsCertificate();
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.AUTHENTICATION;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    if (mode == ClientVerifyMode.OFF) {
      passUpstream(exchange, "NONE", null);
      exchange.proceed();
      return;
    }
    if (request.tls() && misdirected(request.tlsServerName(), request.host())) {
      exchange.answer(MISDIRECTED);
      return;
    }
    List<X509Certificate> chain = request.tls() ? request.clientCertificates() : List.of();
    String result;
    if (chain.isEmpty()) {
      if (mode == ClientVerifyMode.ON) {
        exchange.answer(failure(NO_CERTIFICATE));
        return;
      }
      result = "NONE";
    } else {
      ClientVerification verification =
          verified.get(List.copyOf(chain), sent -> authority.verify(sent, depth, clock.instant()));
      if (!verification.verified()
          && !(mode == ClientVerifyMode.OPTIONAL_NO_CA
              && verification.outcome() == ClientVerification.Outcome.UNTRUSTED)) {
        exchange.answer(failure(CERTIFICATE_ERROR));
        return;
      }
      result = verification.headerValue();
    }
    X509Certificate leaf = chain.isEmpty() ? null : chain.get(0);
    if (matchCn != null) {
      String subject = leaf == null ? "" : distinguishedName(leaf.getSubjectX500Principal());
      if (!matchCn.matcher(subject).find()) {
        exchange.answer(CN_MISMATCH);
        return;
      }
    }
    passUpstream(exchange, result, leaf);
    exchange.proceed();
  }

  private void passUpstream(
      PolicyExchange exchange, String result, @Nullable X509Certificate leaf) {
    exchange.setUpstreamHeader(VERIFY_HEADER, result);
    if (leaf == null) {
      exchange.removeUpstreamHeader(SUBJECT_HEADER);
      exchange.removeUpstreamHeader(ISSUER_HEADER);
      exchange.removeUpstreamHeader(CERTIFICATE_HEADER);
      return;
    }
    exchange.setUpstreamHeader(SUBJECT_HEADER, distinguishedName(leaf.getSubjectX500Principal()));
    exchange.setUpstreamHeader(ISSUER_HEADER, distinguishedName(leaf.getIssuerX500Principal()));
    if (passCertificate) {
      exchange.setUpstreamHeader(CERTIFICATE_HEADER, escapedPem(leaf));
    } else {
      exchange.removeUpstreamHeader(CERTIFICATE_HEADER);
    }
  }

  private PolicyAnswer failure(PolicyAnswer answer) {
    return errorPage == null ? answer : PolicyAnswer.redirect(302, errorPage);
  }

  /**
   * Whether the request is for another host than the handshake's server name. Without a server
   * name, the handshake asked for no certificate, which the checks below treat as none sent.
   */
  static boolean misdirected(@Nullable String serverName, @Nullable String host) {
    if (serverName == null) {
      return false;
    }
    return host == null || !normalized(serverName).equals(normalized(host));
  }

  private static String normalized(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** A DN as nginx's {@code $ssl_client_s_dn} writes it: RFC 2253, most specific first. */
  static String distinguishedName(X500Principal principal) {
    return principal.getName(X500Principal.RFC2253);
  }

  /** nginx's {@code $ssl_client_escaped_cert}: the certificate in PEM, percent-encoded. */
  static String escapedPem(X509Certificate certificate) {
    String pem;
    try {
      pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'})
                  .encodeToString(certificate.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("client certificate cannot be encoded", e);
    }
    StringBuilder escaped = new StringBuilder(pem.length() * 3 / 2);
    for (byte b : pem.getBytes(StandardCharsets.US_ASCII)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        escaped.append(c);
      } else {
        escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return escaped.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof ClientCertificatePolicy other
            && mode == other.mode
            && depth == other.depth
            && passCertificate == other.passCertificate
            && authority.equals(other.authority)
            && Objects.equals(errorPage, other.errorPage)
            && Objects.equals(pattern(), other.pattern()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, authority, depth, errorPage, passCertificate, pattern());
  }

  private @Nullable String pattern() {
    return matchCn == null ? null : matchCn.pattern();
  }

  @Override
  public String label() {
    return "client certificate " + mode.value();
  }

  @Override
  public String toString() {
    return "client-certificate " + mode.value() + " depth=" + depth;
  }
}
