package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

/**
 * {@code certificates}: the {@code spec.tls} sections of the owned Ingresses, oldest first, and
 * {@code --default-tls-secret} become the {@link ServedCertificates} ({@link CertificateSelection}
 * has the rules). Each Secret version is parsed once across translations ({@link TlsInputs}); the
 * selection itself is made again each time, from the TLS Ingresses only.
 */
final class CertificatesStep implements TranslationStep {

  @Override
  public String name() {
    return "certificates";
  }

  @Override
  public void apply(TranslationRun run) {
    CertificateSelection selection = new CertificateSelection(run.snapshot(), run.tls(), run.now());
    for (OwnedIngress o : run.state().ingresses.withTls()) {
      selection.ingress(requireNonNull(run.snapshot().ingress(o.key()), "ingress"));
    }
    ServedCertificates served = selection.build();
    selection.findings().forEach(run::report);
    run.certificates(served, selection.referencedSecrets());
  }
}
