package io.portico.controller.annotations;

import io.portico.router.policy.MirrorPolicy;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request mirroring: {@code mirror-target}, {@code mirror-host} and {@code mirror-request-body},
 * read into the {@link MirrorTarget} of the Ingress with ingress-nginx's names and defaults.
 *
 * <p>The target is data, never configuration (CVE-2025-1098 came from mirror annotations that
 * reached nginx's configuration): it is parsed into scheme, host, port and path, and the host must
 * name a Service of the Ingress's own namespace ({@code svc}, {@code svc.ns}, {@code svc.ns.svc} or
 * {@code svc.ns.svc.cluster.local}), whose port and endpoints the translator resolves as for any
 * backend. Nothing is handed to a DNS resolver. The one nginx variable understood is {@code
 * $request_uri} at the end of the target: the copy keeps the client's path and query. Only {@code
 * http://} targets are served. A target that cannot be used is reported, and nothing is mirrored.
 *
 * <p>Runs after the {@link CanaryFamily}: a canary's rules take their main Ingress's mirror, so a
 * canary's own mirror annotations are not read.
 */
public final class MirrorFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "mirror";

  private static final Set<String> ANNOTATIONS =
      Set.of("mirror-host", "mirror-request-body", "mirror-target");

  private static final String REQUEST_URI = "$request_uri";

  private static final String TARGET_RULE =
      "http://SERVICE[.NAMESPACE[.svc[.cluster.local]]][:PORT][/PATH][$request_uri], a Service of"
          + " the Ingress's namespace";

  // A DNS label, as Kubernetes names Services and namespaces (RFC 1123).
  private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  private static final Pattern HOST =
      Pattern.compile(
          "(?<service>"
              + LABEL
              + ")(\\.(?<namespace>"
              + LABEL
              + ")(\\.svc(\\.cluster\\.local)?)?)?");
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~!&'()*+,;=:@%/-]*)?");
  private static final Pattern HOST_HEADER =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?(:[0-9]{1,5})?");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return ANNOTATIONS;
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    if (policy.isCanary()) {
      return;
    }
    new Reading(values, context.namespace(), report).target().ifPresent(policy::mirror);
  }

  /** One read of one Ingress. */
  private static final class Reading {
    private final AnnotationValues values;
    private final String namespace;
    private final AnnotationReport report;

    Reading(AnnotationValues values, String namespace, AnnotationReport report) {
      this.values = values;
      this.namespace = namespace;
      this.report = report;
    }

    private Optional<MirrorTarget> target() {
      Optional<String> target = values.get("mirror-target").filter(t -> !t.isEmpty());
      if (target.isEmpty()) {
        for (String name : new String[] {"mirror-host", "mirror-request-body"}) {
          if (values.has(name)) {
            report.unused(name, "mirror-target is not set");
          }
        }
        return Optional.empty();
      }
      String text = target.get();
      String rest;
      if (text.regionMatches(true, 0, "http://", 0, 7)) {
        rest = text.substring(7);
      } else {
        return invalid(
            text,
            text.regionMatches(true, 0, "https://", 0, 8)
                ? "only http:// mirrors are served"
                : "not an http:// URL");
      }
      boolean withRequestUri = rest.endsWith(REQUEST_URI);
      if (withRequestUri) {
        rest = rest.substring(0, rest.length() - REQUEST_URI.length());
      }
      if (rest.indexOf('$') >= 0) {
        return invalid(text, "nginx variables other than a final $request_uri are not read");
      }
      int slash = rest.indexOf('/');
      String authority = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash);
      if (!withRequestUri && path.isEmpty()) {
        path = "/";
      }
      if (!PATH.matcher(path).matches()) {
        return invalid(text, "the path " + path + " has characters a path may not have");
      }
      int colon = authority.lastIndexOf(':');
      String host =
          (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
      int port = 80;
      if (colon >= 0) {
        try {
          port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (port < 1 || port > 65_535) {
          return invalid(text, "the port " + authority.substring(colon + 1) + " is not 1 to 65535");
        }
      }
      Matcher names = HOST.matcher(host);
      if (!names.matches()) {
        return invalid(text, "the host " + host + " does not name a Service of the cluster");
      }
      String targetNamespace = names.group("namespace");
      if (targetNamespace != null && !targetNamespace.equals(namespace)) {
        return invalid(
            text,
            "Service "
                + names.group("service")
                + " is in namespace "
                + targetNamespace
                + "; a mirror must be in the Ingress's own, "
                + namespace);
      }
      MirrorPolicy copy = new MirrorPolicy(path, withRequestUri, hostHeader(host), body());
      return Optional.of(
          new MirrorTarget(names.group("service"), String.valueOf(port), copy, text));
    }

    /** The copy's {@code Host}: {@code mirror-host}, else the target's host. */
    private String hostHeader(String targetHost) {
      Optional<String> host = values.get("mirror-host").filter(h -> !h.isEmpty());
      if (host.isEmpty()) {
        return targetHost;
      }
      if (!HOST_HEADER.matcher(host.get()).matches()) {
        report.invalid(
            "mirror-host", host.get(), "a host name, with a port or not", "using " + targetHost);
        return targetHost;
      }
      return host.get();
    }

    private boolean body() {
      Optional<String> body = values.get("mirror-request-body");
      if (body.isEmpty() || body.get().equals("on")) {
        return true;
      }
      if (body.get().equals("off")) {
        return false;
      }
      report.invalid("mirror-request-body", body.get(), "on or off", "using on");
      return true;
    }

    private Optional<MirrorTarget> invalid(String target, String why) {
      report.invalid("mirror-target", target, TARGET_RULE + "; " + why, "no request is mirrored");
      return Optional.empty();
    }
  }
}
