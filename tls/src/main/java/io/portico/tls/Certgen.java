package io.portico.tls;

import static io.portico.tls.Messages.reason;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.util.IPAddress;
import org.jspecify.annotations.Nullable;

/**
 * The work of {@code portico certgen}: makes a certificate for some host names and IP addresses and
 * writes {@code tls.crt}, {@code tls.key} and {@code secret.yaml} (a {@code kubernetes.io/tls}
 * Secret, see {@link SecretManifest}) into a directory.
 *
 * <p>Without {@code ca}, the certificate is self-signed. With {@code ca}, it is signed by the
 * {@linkplain LocalCa local CA} kept as {@code ca.crt}/{@code ca.key} in the same directory, and
 * {@code tls.crt} holds the leaf only.
 *
 * <p>Files are replaced atomically ({@link AtomicFiles}). {@code tls.key}, {@code ca.key} and
 * {@code secret.yaml} (which embeds the key) are created with mode 0600 where the file system has
 * POSIX permissions, the certificates with 0644. Existing {@code tls.crt}, {@code tls.key} or
 * {@code secret.yaml} are overwritten only with {@code force}; an existing CA is never overwritten.
 *
 * <p>Instances are immutable; build one with {@link #builder()} and call {@link #run(Instant)}.
 */
public final class Certgen {

  /** The most days a certificate may be valid for. */
  public static final int MAX_DAYS = 36_500;

  static final String CERTIFICATE_FILE = "tls.crt";
  static final String KEY_FILE = "tls.key";
  static final String SECRET_FILE = "secret.yaml";

  private final List<String> hosts;
  private final List<String> ips;
  private final int days;
  private final KeyType keyType;
  private final Path outputDirectory;
  private final @Nullable String secretName;
  private final String namespace;
  private final boolean useCa;
  private final boolean force;

  private Certgen(Builder builder) {
    this.hosts = List.copyOf(builder.hosts);
    this.ips = List.copyOf(builder.ips);
    this.days = builder.days;
    this.keyType = builder.keyType;
    this.outputDirectory = builder.outputDirectory;
    this.secretName = builder.secretName;
    this.namespace = builder.namespace;
    this.useCa = builder.useCa;
    this.force = builder.force;
  }

  /** A builder with the command's defaults: 365 days, EC P-256, directory {@code .}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Validates the options, makes the certificate (and the CA if needed) valid from {@code now}, and
   * writes the files.
   *
   * @throws CertgenException with a one-line user-facing message for invalid options, existing
   *     files, an unusable CA, or a directory that cannot be written; nothing is written then
   *     unless the failure is an I/O error midway
   */
  public Result run(Instant now) throws CertgenException {
    requireNonNull(now, "now");
    List<String> dnsNames = validHosts();
    List<String> ipAddresses = validIps();
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new CertgenException(
          "no host names or IP addresses (expected: at least one --host or --ip)");
    }
    if (days < 1 || days > MAX_DAYS) {
      throw new CertgenException("days: " + days + " (expected: 1 to " + MAX_DAYS + ")");
    }
    List<String> names = new ArrayList<>(dnsNames);
    names.addAll(ipAddresses);
    SecretManifest secret = SecretManifest.of(namespace, secretName, names.get(0));

    Path directory = prepareDirectory();
    Path certificateFile = directory.resolve(CERTIFICATE_FILE);
    Path keyFile = directory.resolve(KEY_FILE);
    Path secretFile = directory.resolve(SECRET_FILE);
    if (!force) {
      for (Path file : List.of(certificateFile, keyFile, secretFile)) {
        if (Files.exists(file)) {
          throw new CertgenException(
              "refusing to overwrite "
                  + file
                  + " (use --force to replace tls.crt, tls.key and secret.yaml)");
        }
      }
    }

    CertificateGenerator.LeafRequest request =
        CertificateGenerator.LeafRequest.builder()
            .dnsNames(dnsNames)
            .ipAddresses(ipAddresses)
            .keyType(keyType)
            .validity(Duration.ofDays(days))
            .build();
    LocalCa ca = null;
    TlsKeyPair leaf;
    if (useCa) {
      ca = LocalCa.loadOrCreate(directory, keyType, days, now);
      ca.checkOutlives(days, now);
      leaf = CertificateGenerator.signedBy(ca.pair(), request, now);
    } else {
      leaf = CertificateGenerator.selfSigned(request, now);
    }

    String certificatePem = Pem.certificates(leaf.chain());
    String keyPem = Pem.privateKey(leaf.privateKey());
    if (ca != null) {
      ca.writeIfCreated();
    }
    AtomicFiles.writePrivate(keyFile, keyPem);
    AtomicFiles.writePublic(certificateFile, certificatePem);
    AtomicFiles.writePrivate(secretFile, secret.yaml(certificatePem, keyPem, names));
    return new Result(
        certificateFile,
        keyFile,
        secretFile,
        ca != null ? ca.certificateFile() : null,
        ca != null && ca.created(),
        leaf,
        ca != null ? ca.pair() : null,
        secret.qualifiedName());
  }

  private List<String> validHosts() throws CertgenException {
    Set<String> names = new LinkedHashSet<>();
    for (String host : hosts) {
      String name = host.strip().toLowerCase(Locale.ROOT);
      if (HostNames.isIpLiteral(name)) {
        throw new CertgenException(
            "host \""
                + host
                + "\": an IP address (expected: a DNS name; give IP addresses with --ip)");
      }
      String problem = HostNames.problem(name);
      if (problem != null) {
        throw new CertgenException("host \"" + host + "\": " + problem);
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private List<String> validIps() throws CertgenException {
    Set<String> addresses = new LinkedHashSet<>();
    for (String ip : ips) {
      String address = ip.strip();
      if (!IPAddress.isValid(address)) {
        throw new CertgenException(
            "ip \""
                + ip
                + "\": not an IP address (expected: an IPv4 or IPv6 address such as"
                + " 127.0.0.1 or ::1)");
      }
      addresses.add(address);
    }
    return List.copyOf(addresses);
  }

  private Path prepareDirectory() throws CertgenException {
    Path directory = outputDirectory.toAbsolutePath().normalize();
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new CertgenException("out: " + directory + " is not a directory");
    }
    try {
      Files.createDirectories(directory);
    } catch (FileAlreadyExistsException e) {
      throw new CertgenException("out: " + directory + " is not a directory", e);
    } catch (IOException e) {
      throw new CertgenException(
          "out: cannot create directory " + directory + " (" + reason(e) + ")", e);
    }
    return directory;
  }

  /**
   * What a run wrote.
   *
   * @param caCertificateFile {@code ca.crt}, or {@code null} without {@code ca}
   * @param ca the CA, or {@code null} without {@code ca}
   * @param secret the Secret as {@code namespace/name}
   */
  public record Result(
      Path certificateFile,
      Path privateKeyFile,
      Path secretFile,
      @Nullable Path caCertificateFile,
      boolean caCreated,
      TlsKeyPair leaf,
      @Nullable TlsKeyPair ca,
      String secret) {

    /** A few lines for the terminal: files, names, expiry, CA fingerprint; no key material. */
    public String summary() {
      List<String> names = new ArrayList<>(leaf.dnsNames());
      for (String ip : leaf.ipAddresses()) {
        names.add("IP " + ip);
      }
      StringBuilder text = new StringBuilder();
      text.append("certificate  ")
          .append(certificateFile)
          .append('\n')
          .append("  names      ")
          .append(String.join(", ", names))
          .append('\n')
          .append("  key type   ")
          .append(leaf.keyType())
          .append(", expires ")
          .append(leaf.notAfter())
          .append('\n')
          .append("  sha-256    ")
          .append(leaf.fingerprint())
          .append('\n')
          .append("private key  ")
          .append(privateKeyFile)
          .append(" (PKCS#8, mode 0600)\n")
          .append("secret       ")
          .append(secretFile)
          .append(" (kubernetes.io/tls Secret ")
          .append(secret)
          .append(")\n");
      if (ca == null) {
        text.append("self-signed: trust it with curl --cacert ")
            .append(certificateFile)
            .append('\n');
        return text.toString();
      }
      text.append("CA           ")
          .append(caCertificateFile)
          .append(caCreated ? " (created, " : " (reused, ")
          .append(ca.subject())
          .append(", expires ")
          .append(ca.notAfter())
          .append(")\n")
          .append("  sha-256    ")
          .append(ca.fingerprint())
          .append('\n')
          .append("trust the CA with curl --cacert ")
          .append(caCertificateFile)
          .append('\n');
      return text.toString();
    }
  }

  /** Options of a {@link Certgen} run; validated by {@link Certgen#run}, not here. */
  public static final class Builder {

    private final List<String> hosts = new ArrayList<>();
    private final List<String> ips = new ArrayList<>();
    private int days = 365;
    private KeyType keyType = KeyType.EC_P256;
    private Path outputDirectory = Path.of(".");
    private @Nullable String secretName;
    private String namespace = "default";
    private boolean useCa;
    private boolean force;

    private Builder() {}

    /** Adds a DNS name; wildcards ({@code *.example.com}) allowed. */
    public Builder host(String host) {
      hosts.add(requireNonNull(host, "host"));
      return this;
    }

    public Builder hosts(List<String> hosts) {
      requireNonNull(hosts, "hosts").forEach(this::host);
      return this;
    }

    /** Adds an IPv4 or IPv6 address. */
    public Builder ip(String ip) {
      ips.add(requireNonNull(ip, "ip"));
      return this;
    }

    public Builder ips(List<String> ips) {
      requireNonNull(ips, "ips").forEach(this::ip);
      return this;
    }

    /** Validity in days (default 365). */
    public Builder days(int days) {
      this.days = days;
      return this;
    }

    public Builder keyType(KeyType keyType) {
      this.keyType = requireNonNull(keyType, "keyType");
      return this;
    }

    /** Where the files go (default {@code .}); created if missing. */
    public Builder outputDirectory(Path outputDirectory) {
      this.outputDirectory = requireNonNull(outputDirectory, "outputDirectory");
      return this;
    }

    /** The Secret's name; {@code null} (the default) derives it from the first name. */
    public Builder secretName(@Nullable String secretName) {
      this.secretName = secretName;
      return this;
    }

    /** The Secret's namespace (default {@code default}). */
    public Builder namespace(String namespace) {
      this.namespace = requireNonNull(namespace, "namespace");
      return this;
    }

    /** Whether to sign with the CA in the output directory, creating it if needed. */
    public Builder useCa(boolean useCa) {
      this.useCa = useCa;
      return this;
    }

    /** Whether to overwrite existing tls.crt, tls.key and secret.yaml. */
    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    public Certgen build() {
      return new Certgen(this);
    }
  }
}
