package io.portico.bench;

/** What nginx does to each proxied request, set to what Portico does (README, "Forwarding"). */
final class NginxConf {

  static final String PROXY_SETTINGS =
      "  proxy_http_version 1.1;\n"
          + "  proxy_set_header Connection \"\";\n"
          + "  proxy_set_header Host $host;\n"
          + "  proxy_set_header X-Real-IP $remote_addr;\n"
          + "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
          + "  proxy_set_header X-Forwarded-Proto $scheme;\n"
          + "  proxy_set_header X-Forwarded-Host $host;\n"
          + "  proxy_set_header X-Forwarded-Port $server_port;\n"
          + "  proxy_buffering on;\n";

  private NginxConf() {}
}
