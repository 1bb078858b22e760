package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import io.portico.tls.CertificateSet;
import io.portico.tls.TlsKeyPair;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The certificates one translation serves, and where each came from.
 *
 * @param set what the HTTPS listener selects from by SNI name
 * @param sources for each name of {@code set}, the Secret it came from; sorted by name
 * @param defaultSecret the Secret of the default certificate; empty when the generated one serves
 */
public record ServedCertificates(
    CertificateSet set, Map<String, Source> sources, Optional<ObjectKey> defaultSecret) {

  /**
   * Where the certificate of one name came from.
   *
   * @param secret the Secret
   * @param fromSubjectAltName the name is not in any {@code spec.tls[].hosts} but in the
   *     certificate's subjectAltName, which makes it servable too
   */
  public record Source(ObjectKey secret, boolean fromSubjectAltName) {
    public Source {
      requireNonNull(secret, "secret");
    }
  }

  public ServedCertificates {
    requireNonNull(set, "set");
    sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    requireNonNull(defaultSecret, "defaultSecret");
  }

  /** Only the default certificate, with no names. */
  public static ServedCertificates only(TlsKeyPair defaultPair) {
    return new ServedCertificates(CertificateSet.of(defaultPair), Map.of(), Optional.empty());
  }

  /**
   * One line per name, then the default, e.g. {@code tls app.test -> default/app-tls (CN=app.test,
   * not after 2046-01-01T00:00:00Z)}; empty when only a generated default certificate serves.
   */
  public String dump() {
    if (sources.isEmpty() && defaultSecret.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    Map<String, TlsKeyPair> entries = set.entries();
    sources.forEach(
        (name, source) -> {
          out.append("tls ").append(name).append(" -> ").append(source.secret()).append(' ');
          describe(out, requireNonNull(entries.get(name), "entries.get(name)"));
          if (source.fromSubjectAltName()) {
            out.append("  [from its subjectAltName]");
          }
          out.append('\n');
        });
    out.append("tls default -> ");
    if (defaultSecret.isPresent()) {
      out.append(defaultSecret.get()).append(' ');
      describe(out, set.defaultPair());
    } else {
      out.append("generated (").append(set.defaultPair().subject()).append(')');
    }
    return out.append('\n').toString();
  }

  /**
   * Which certificate a handshake with this server name gets, and why: for example {@code app.test
   * -> Secret default/app-tls (CN=app.test, not after ...)} or {@code no name matches: the default
   * certificate, generated (CN=Portico Default Certificate)}.
   */
  public String explain(String serverName) {
    String name = serverName == null ? "" : serverName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    String matched = null;
    if (sources.containsKey(name)) {
      matched = name;
    } else {
      int dot = name.indexOf('.');
      if (dot > 0 && sources.containsKey("*" + name.substring(dot))) {
        matched = "*" + name.substring(dot);
      }
    }
    StringBuilder out = new StringBuilder();
    if (matched != null) {
      Source source = requireNonNull(sources.get(matched), "source");
      out.append(matched).append(" -> Secret ").append(source.secret()).append(' ');
      describe(out, requireNonNull(set.entries().get(matched), "set.entries().get(matched)"));
      if (source.fromSubjectAltName()) {
        out.append(", from its subjectAltName");
      }
      return out.toString();
    }
    out.append("no name matches: the default certificate, ");
    if (defaultSecret.isPresent()) {
      out.append("Secret ").append(defaultSecret.get()).append(' ');
      describe(out, set.defaultPair());
    } else {
      out.append("generated (").append(set.defaultPair().subject()).append(')');
    }
    return out.toString();
  }

  private static void describe(StringBuilder out, TlsKeyPair pair) {
    out.append('(').append(pair.subject()).append(", not after ").append(pair.notAfter());
    out.append(')');
  }
}
