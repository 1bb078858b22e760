package io.portico.controller.cli;

import io.portico.tls.Certgen;
import io.portico.tls.CertgenException;
import io.portico.tls.KeyType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code portico certgen}: makes a self-signed certificate, or one signed by a local CA, and writes
 * {@code tls.crt}, {@code tls.key} and a {@code kubernetes.io/tls} Secret manifest. The file work
 * is {@link Certgen}'s; this class maps options to it and its outcome to exit codes.
 *
 * <p>Exit codes: 0 on success; 1 with one line {@code certgen: <message>} on stderr when the values
 * are unusable (an invalid host name, an existing file, an unusable CA); 2, picocli's usage error,
 * with its message and the usage when the command line cannot be parsed (an unknown option, a
 * non-numeric {@code --days}, an unknown {@code --key-type}).
 */
@Command(
    name = "certgen",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Make a TLS certificate for local use: self-signed, or signed by a local CA (--ca).",
      "Writes tls.crt, tls.key (PKCS#8, mode 0600) and secret.yaml,",
      "a kubernetes.io/tls Secret for kubectl apply -f or portico run --manifests.",
    })
public final class CertgenCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--host",
      paramLabel = "NAME",
      description =
          "DNS name of the certificate; repeat for more. Wildcards such as *.example.com cover"
              + " one label (default: none).")
  private List<String> hosts = new ArrayList<>();

  @Option(
      names = "--ip",
      paramLabel = "ADDRESS",
      description = "IPv4 or IPv6 address of the certificate; repeat for more (default: none).")
  private List<String> ips = new ArrayList<>();

  @Option(
      names = "--days",
      paramLabel = "DAYS",
      defaultValue = "365",
      description = "Validity in days (default: ${DEFAULT-VALUE}).")
  private int days;

  @Option(
      names = "--key-type",
      paramLabel = "TYPE",
      defaultValue = "ec-p256",
      converter = KeyTypeConverter.class,
      completionCandidates = KeyTypeNames.class,
      description = "Key type, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private KeyType keyType;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Directory for the files, created if missing (default: ${DEFAULT-VALUE}).")
  private Path out;

  @Option(
      names = "--secret-name",
      paramLabel = "NAME",
      description =
          "Name of the Secret in secret.yaml (default: from the first name, app.test gives"
              + " app-test-tls).")
  private @Nullable String secretName;

  @Option(
      names = "--namespace",
      paramLabel = "NAMESPACE",
      defaultValue = "default",
      description = "Namespace of the Secret in secret.yaml (default: ${DEFAULT-VALUE}).")
  private String namespace;

  @Option(
      names = "--ca",
      description =
          "Sign with the CA in DIR (ca.crt, ca.key), created on first use and reused after;"
              + " trust it with curl --cacert DIR/ca.crt (default: ${DEFAULT-VALUE}).")
  private boolean ca;

  @Option(
      names = "--force",
      description =
          "Overwrite existing tls.crt, tls.key and secret.yaml; the CA is never overwritten"
              + " (default: ${DEFAULT-VALUE}).")
  private boolean force;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Certgen certgen =
        Certgen.builder()
            .hosts(hosts)
            .ips(ips)
            .days(days)
            .keyType(keyType)
            .outputDirectory(out)
            .secretName(secretName)
            .namespace(namespace)
            .useCa(ca)
            .force(force)
            .build();
    try {
      stdout.print(certgen.run(Instant.now()).summary());
      stdout.flush();
      return 0;
    } catch (CertgenException e) {
      stderr.println("certgen: " + e.getMessage());
      stderr.flush();
      return 1;
    }
  }

  /** Reads {@code --key-type} by its command-line name. */
  static final class KeyTypeConverter implements ITypeConverter<KeyType> {
    @Override
    public KeyType convert(String value) {
      try {
        return KeyType.fromCliName(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "\"" + value + "\" (expected: one of " + KeyType.cliNames() + ")");
      }
    }
  }

  /** The {@code --key-type} names for the help text and shell completion. */
  static final class KeyTypeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(KeyType.values()).map(KeyType::cliName).iterator();
    }
  }
}
