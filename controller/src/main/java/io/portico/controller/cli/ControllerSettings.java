package io.portico.controller.cli;

import io.fabric8.kubernetes.client.Config;
import io.portico.controller.Controller;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Turns parsed flags into the settings a {@link Controller} starts with. */
final class ControllerSettings {

  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private ControllerSettings() {}

  static Controller.Settings of(RunOptions options) throws IOException {
    return new Controller.Settings(
        source(options),
        options.translatorSettings(),
        options.proxySettings(),
        options.bind(),
        options.adminPort(),
        options.affinityKey(),
        options.httpsSettings(),
        options.defaultTlsSecret(),
        options.operations());
  }

  private static Controller.Source source(RunOptions options) throws IOException {
    if (options.manifests().isPresent()) {
      return new Controller.Source.Manifests(options.manifests().get());
    }
    Config config;
    if (options.kubeconfig().isPresent()) {
      Path file = options.kubeconfig().get();
      try {
        config = Config.fromKubeconfig(file.toFile());
      } catch (RuntimeException e) {
        throw new IOException(
            "--kubeconfig " + file + ": not a usable kubeconfig (" + Errors.describe(e) + ")", e);
      }
    } else {
      config = Config.autoConfigure(null);
    }
    return new Controller.Source.Cluster(
        config,
        options.watchSettings(),
        options.reportingSettings(podNamespace(config), identity()));
  }

  /** The namespace Portico runs in: $POD_NAMESPACE, the service account's, the kubeconfig's. */
  private static String podNamespace(Config config) throws IOException {
    String fromEnv = System.getenv("POD_NAMESPACE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
      return Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip();
    }
    return config.getNamespace() != null ? config.getNamespace() : "default";
  }

  /** This replica's name in the Lease: $POD_NAME, else the host name and a random suffix. */
  private static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod.strip();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "portico";
    }
    byte[] suffix = new byte[3];
    ThreadLocalRandom.current().nextBytes(suffix);
    return host + "-" + HexFormat.of().formatHex(suffix);
  }
}
