package io.portico.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * nginx configured like the Portico workload: one {@code server} per Ingress host, one {@code
 * upstream} with a keep-alive pool per Service, access log off, the same forwarded headers. A
 * change rewrites the whole file and runs {@code nginx -s reload}, which is how a plain nginx (and
 * ingress-nginx, for anything but endpoints) applies configuration.
 */
final class NginxTarget implements Target {

  private final Setup setup;
  private final Path dir;
  private final Path conf;
  private final int httpPort = Http.freePort();
  private final int httpsPort = Http.freePort();
  private int probeChange;
  private int flipPort;
  private Certs.@Nullable Cert cert;

  // Set by start(), which the harness calls first; close() runs after a failed start too.
  @SuppressWarnings("NullAway.Init")
  private Process master;

  NginxTarget(Setup setup) {
    this.setup = setup;
    this.dir = setup.work().resolve("nginx").toAbsolutePath();
    this.conf = dir.resolve("nginx.conf");
    this.flipPort = setup.backend1();
    this.cert = setup.tls() ? setup.certs().get(0) : null;
  }

  @Override
  public String name() {
    return "nginx";
  }

  @Override
  public void start() throws Exception {
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(conf, render());
    String test = Proc.run(120, command("-t"));
    if (!test.contains("successful")) {
      throw new IllegalStateException("nginx -t failed: " + test);
    }
    master =
        new ProcessBuilder(command())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
            .start();
    Readiness.await(this, setup, 300, master::isAlive);
  }

  private List<String> command(String... extra) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("nginx", "-p", dir.toString(), "-c", conf.toString(), "-e", "stderr"));
    command.addAll(List.of(extra));
    return command;
  }

  private void reload() throws Exception {
    Proc.replace(conf, render());
    String out = Proc.run(120, command("-s", "reload"));
    if (out.contains("[emerg]") || out.contains("[error]")) {
      System.out.println("  nginx -s reload: " + out.trim());
    }
  }

  @Override
  public void changeIngress(int change) throws Exception {
    probeChange = change;
    reload();
  }

  @Override
  public void changeSlice(int backendPort) throws Exception {
    flipPort = backendPort;
    reload();
  }

  @Override
  public void changeSecret(Certs.Cert next) throws Exception {
    cert = next;
    reload();
  }

  String render() {
    StringBuilder out = new StringBuilder(setup.size() * 700 + 4096);
    String listen = "127.0.0.1:" + httpPort;
    out.append("worker_processes ")
        .append(setup.workers())
        .append(";\ndaemon off;\npid ")
        .append(dir.resolve("nginx.pid"))
        .append(";\nerror_log ")
        .append(dir.resolve("error.log"))
        .append(" warn;\nevents { worker_connections 4096; }\nhttp {\n")
        .append("  access_log off;\n")
        .append("  keepalive_requests 1000000;\n");
    for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      out.append("  ")
          .append(temp)
          .append("_temp_path ")
          .append(dir.resolve("tmp/" + temp))
          .append(";\n");
    }
    out.append("  server_names_hash_max_size 65536;\n  server_names_hash_bucket_size 128;\n")
        .append(NginxConf.PROXY_SETTINGS)
        .append("  upstream steady { server 127.0.0.1:")
        .append(setup.backend1())
        .append("; keepalive 64; }\n")
        .append("  upstream flip { server 127.0.0.1:")
        .append(flipPort)
        .append("; keepalive 16; }\n")
        .append("  server { listen ")
        .append(listen)
        .append(" default_server; return 404; }\n")
        .append(server(listen, Workload.STEADY_HOST, "location / { proxy_pass http://steady; }"))
        .append(
            server(
                listen,
                Workload.PROBE_HOST,
                "location " + Workload.probePath(probeChange) + " { proxy_pass http://steady; }"))
        .append(server(listen, Workload.FLIP_HOST, "location / { proxy_pass http://flip; }"));
    for (int i = 0; i < setup.size(); i++) {
      out.append("  upstream svc-").append(i).append(" {");
      for (int k = 0; k < Workload.ENDPOINTS_PER_SERVICE; k++) {
        int n = i * Workload.ENDPOINTS_PER_SERVICE + k;
        out.append(" server 127.")
            .append(16 + n / 65536)
            .append('.')
            .append(n / 256 % 256)
            .append('.')
            .append(n % 256)
            .append(':')
            .append(Workload.BULK_PORT)
            .append(';');
      }
      out.append(" keepalive 8; }\n")
          .append(
              server(
                  listen,
                  Workload.bulkHost(i),
                  "location /a { proxy_pass http://svc-"
                      + i
                      + "; } location = /b/c { proxy_pass http://svc-"
                      + i
                      + "; }"));
    }
    if (cert != null) {
      out.append("  server { listen 127.0.0.1:")
          .append(httpsPort)
          .append(" ssl; server_name ")
          .append(Workload.TLS_HOST)
          .append("; ssl_certificate ")
          .append(cert.certFile().toAbsolutePath())
          .append("; ssl_certificate_key ")
          .append(cert.keyFile().toAbsolutePath())
          .append("; location / { proxy_pass http://steady; } }\n");
    }
    return out.append("}\n").toString();
  }

  private static String server(String listen, String host, String locations) {
    return "  server { listen " + listen + "; server_name " + host + "; " + locations + " }\n";
  }

  @Override
  public int httpPort() {
    return httpPort;
  }

  @Override
  public int httpsPort() {
    return httpsPort;
  }

  @Override
  public long rssKib() {
    long total = Proc.rssKib(master.pid());
    for (long child : Proc.children(master.pid())) {
      total += Math.max(0, Proc.rssKib(child));
    }
    return total;
  }

  @Override
  public long heapUsedKib() {
    return -1;
  }

  @Override
  public void close() {
    if (master != null) {
      master.destroy();
      try {
        master.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
