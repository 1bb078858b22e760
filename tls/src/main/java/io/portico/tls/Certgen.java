package io.portico.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * The work of {@code portico certgen}: makes a certificate for some host names and IP addresses and
 * writes {@code tls.crt}, {@code tls.key} and {@code secret.yaml} (a {@code kubernetes.io/tls}
 * Secret) into a directory.
 *
 * <p>Without {@code ca}, the certificate is self-signed. With {@code ca}, it is signed by a local
 * CA kept as {@code ca.crt}/{@code ca.key} in the same directory: created on the first run, reused
 * afterwards, so users trust one CA ({@code curl --cacert ca.crt}) for every certificate they make.
 * {@code tls.crt} then holds the leaf only. The CA is self-signed, a trust anchor that clients must
 * already have; sending it in the chain adds bytes to every handshake and proves nothing (RFC 8446
 * section 4.4.2 and RFC 5246 section 7.4.2 let servers omit it). Were there intermediates, they
 * would follow the leaf, but this CA signs leaves directly.
 *
 * <p>Files are replaced atomically. {@code tls.key}, {@code ca.key} and {@code secret.yaml} (which
 * embeds the key) are created with mode 0600 where the file system has POSIX permissions, the
 * certificates with 0644. Existing {@code tls.crt}, {@code tls.key} or {@code secret.yaml} are
 * overwritten only with {@code force}; an existing CA is never overwritten.
 *
 * <p>Instances are immutable; build one with {@link #builder()} and call {@link #run(Instant)}.
 */
public final class Certgen {

  /** The most days a certificate may be valid for. */
  public static final int MAX_DAYS = 36_500;

  /** The least days a created CA is valid for (longer when the leaf is). */
  static final int CA_DAYS = 3650;

  static final String CERTIFICATE_FILE = "tls.crt";
  static final String KEY_FILE = "tls.key";
  static final String SECRET_FILE = "secret.yaml";
  static final String CA_CERTIFICATE_FILE = "ca.crt";
  static final String CA_KEY_FILE = "ca.key";

  // Kubernetes object name rules (DNS-1123 label for namespaces, subdomain for Secret names).
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_SUBDOMAIN_LENGTH = 253;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");

  private final List<String> hosts;
  private final List<String> ips;
  private final int days;
  private final KeyType keyType;
  private final Path outputDirectory;
  private final String secretName;
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
    if (!DNS_LABEL.matcher(namespace).matches()) {
      throw new CertgenException(
          "namespace: \""
              + namespace
              + "\" (expected: a Kubernetes namespace name: at most 63 lower-case letters, digits"
              + " and '-', starting and ending with a letter or digit)");
    }
    String name =
        secretName != null
            ? secretName
            : defaultSecretName(dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0));
    if (name.length() > MAX_SUBDOMAIN_LENGTH || !DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new CertgenException(
          "secret name: \""
              + name
              + "\" (expected: a Kubernetes object name: at most 253 lower-case letters, digits,"
              + " '-' and '.', starting and ending with a letter or digit)");
    }

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
    Path caCertificateFile = directory.resolve(CA_CERTIFICATE_FILE);
    Path caKeyFile = directory.resolve(CA_KEY_FILE);
    TlsKeyPair ca = null;
    boolean caCreated = false;
    TlsKeyPair leaf;
    if (useCa) {
      ca = loadCa(caCertificateFile, caKeyFile, now);
      if (ca == null) {
        caCreated = true;
        ca =
            CertificateGenerator.certificateAuthority(
                caCommonName(now), keyType, Duration.ofDays(Math.max(CA_DAYS, days)), now);
      }
      checkLeafWithinCa(ca, caCertificateFile, now);
      leaf = CertificateGenerator.signedBy(ca, request, now);
    } else {
      leaf = CertificateGenerator.selfSigned(request, now);
    }

    String certificatePem = Pem.certificates(leaf.chain());
    String keyPem = Pem.privateKey(leaf.privateKey());
    if (caCreated) {
      write(caKeyFile, Pem.privateKey(ca.privateKey()), true);
      write(caCertificateFile, Pem.certificates(ca.chain()), false);
    }
    write(keyFile, keyPem, true);
    write(certificateFile, certificatePem, false);
    write(secretFile, secretYaml(name, certificatePem, keyPem, dnsNames, ipAddresses), true);
    return new Result(
        certificateFile,
        keyFile,
        secretFile,
        useCa ? caCertificateFile : null,
        caCreated,
        leaf,
        ca,
        namespace + "/" + name);
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

  /** The CA in the directory, {@code null} when there is none yet. */
  private static TlsKeyPair loadCa(Path certificateFile, Path keyFile, Instant now)
      throws CertgenException {
    boolean hasCertificate = Files.exists(certificateFile);
    boolean hasKey = Files.exists(keyFile);
    if (!hasCertificate && !hasKey) {
      return null;
    }
    if (hasCertificate != hasKey) {
      Path present = hasCertificate ? certificateFile : keyFile;
      Path missing = hasCertificate ? keyFile : certificateFile;
      throw new CertgenException(
          missing.getFileName()
              + ": "
              + missing
              + " is missing but "
              + present
              + " exists (expected: both, to reuse the CA, or neither, to create one)");
    }
    TlsKeyPair ca;
    try {
      ca =
          TlsKeyPair.fromPem(
              Files.readString(certificateFile, UTF_8),
              Files.readString(keyFile, UTF_8),
              CA_CERTIFICATE_FILE,
              CA_KEY_FILE);
    } catch (IOException e) {
      throw new CertgenException("ca: cannot read " + certificateFile + " or " + keyFile, e);
    } catch (TlsMaterialException e) {
      throw new CertgenException(e.getMessage() + " (in " + certificateFile.getParent() + ")", e);
    }
    if (ca.leaf().getBasicConstraints() < 0) {
      throw new CertgenException(
          "ca.crt: "
              + certificateFile
              + " is not a CA certificate (subject "
              + ca.subject()
              + "; expected: basicConstraints CA:TRUE)");
    }
    if (now.isAfter(ca.notAfter())) {
      throw new CertgenException(
          "ca.crt: the CA in "
              + certificateFile
              + " expired on "
              + ca.notAfter()
              + " (expected: a valid CA; move ca.crt and ca.key away to create a new one)");
    }
    return ca;
  }

  private void checkLeafWithinCa(TlsKeyPair ca, Path caCertificateFile, Instant now)
      throws CertgenException {
    Instant leafEnd = now.plus(Duration.ofDays(days));
    if (leafEnd.isAfter(ca.notAfter())) {
      long maxDays = Duration.between(now, ca.notAfter()).toDays();
      throw new CertgenException(
          "days: "
              + days
              + " would outlive the CA in "
              + caCertificateFile
              + ", which expires on "
              + ca.notAfter()
              + " (expected: at most "
              + maxDays
              + ")");
    }
  }

  private static String caCommonName(Instant now) {
    // A distinct name per CA, so that two local CAs trusted side by side are never confused.
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return "Portico certgen CA "
        + LocalDate.ofInstant(now, ZoneOffset.UTC)
        + " "
        + HexFormat.of().formatHex(suffix);
  }

  /**
   * The Secret name derived from the first name: {@code app.test -> app-test-tls}, {@code
   * *.example.com -> wildcard-example-com-tls}, {@code 127.0.0.1 -> 127-0-0-1-tls}.
   */
  static String defaultSecretName(String firstName) {
    String base = firstName.toLowerCase(Locale.ROOT).replace("*", "wildcard");
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (keep) {
        name.append(c);
      } else if (name.length() > 0 && name.charAt(name.length() - 1) != '-') {
        name.append('-');
      }
    }
    String trimmed = name.toString();
    int maxBase = MAX_SUBDOMAIN_LENGTH - "-tls".length();
    if (trimmed.length() > maxBase) {
      trimmed = trimmed.substring(0, maxBase);
    }
    while (trimmed.endsWith("-")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? "tls" : trimmed + "-tls";
  }

  /**
   * The Secret manifest. Written by hand (this module has no YAML library): the name and namespace
   * were validated as Kubernetes names and are quoted anyway, so that a name such as {@code 123} or
   * {@code true} stays a string; the data values are base64 text.
   */
  private String secretYaml(
      String name, String certificatePem, String keyPem, List<String> dnsNames, List<String> ips) {
    List<String> names = new ArrayList<>(dnsNames);
    names.addAll(ips);
    Base64.Encoder base64 = Base64.getEncoder();
    return "# A kubernetes.io/tls Secret written by portico certgen for: "
        + String.join(", ", names)
        + "\n# kubectl apply -f secret.yaml, or keep it in a folder for portico run --manifests.\n"
        + "apiVersion: v1\n"
        + "kind: Secret\n"
        + "metadata:\n"
        + "  name: \""
        + name
        + "\"\n"
        + "  namespace: \""
        + namespace
        + "\"\n"
        + "type: kubernetes.io/tls\n"
        + "data:\n"
        + "  tls.crt: "
        + new String(base64.encode(certificatePem.getBytes(UTF_8)), US_ASCII)
        + "\n"
        + "  tls.key: "
        + new String(base64.encode(keyPem.getBytes(UTF_8)), US_ASCII)
        + "\n";
  }

  /**
   * Writes {@code content} to {@code target} through a temporary file in the same directory that is
   * moved into place, so readers never see half a file and a private file is never readable by
   * others, not even briefly.
   */
  private static void write(Path target, String content, boolean isPrivate)
      throws CertgenException {
    Path directory = target.getParent();
    try {
      boolean posix =
          Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
      Set<PosixFilePermission> permissions = isPrivate ? PRIVATE : PUBLIC;
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE)}
              : new FileAttribute<?>[0];
      Path temporary =
          Files.createTempFile(directory, "." + target.getFileName(), ".tmp", attributes);
      try {
        Files.writeString(temporary, content, UTF_8);
        if (posix) {
          // Explicit, so the umask neither widens nor narrows the intended mode.
          Files.setPosixFilePermissions(temporary, permissions);
        }
        try {
          Files.move(
              temporary,
              target,
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new CertgenException("cannot write " + target + " (" + reason(e) + ")", e);
    }
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
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
      Path caCertificateFile,
      boolean caCreated,
      TlsKeyPair leaf,
      TlsKeyPair ca,
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
    private String secretName;
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
    public Builder secretName(String secretName) {
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
