package io.portico.controller.translate;

import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.policy.MirrorPolicy;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the mirror annotations of one Ingress: {@code mirror-target}, {@code mirror-host} and
 * {@code mirror-request-body}, with ingress-nginx's names and defaults.
 *
 * <p>The target is data, never configuration (CVE-2025-1098 came from mirror annotations that
 * reached nginx's configuration): it is parsed into scheme, host, port and path, and the host must
 * name a Service of the Ingress's own namespace ({@code svc}, {@code svc.ns}, {@code svc.ns.svc} or
 * {@code svc.ns.svc.cluster.local}), whose port and endpoints Portico resolves as for any backend.
 * Nothing is handed to a DNS resolver. The one nginx variable understood is {@code $request_uri} at
 * the end of the target: the copy keeps the client's path and query. Only {@code http://} targets
 * are served.
 */
final class MirrorAnnotations {

  /** The mirror annotations, without prefix. */
  static final Set<String> NAMES = Set.of("mirror-host", "mirror-request-body", "mirror-target");

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

  /**
   * What the annotations ask for: a copy of each request, to a Service port to resolve.
   *
   * @param service the mirror's Service
   * @param port its port, as a number
   * @param copy the path, host and body of each copy
   */
  record Request(ObjectKey service, String port, MirrorPolicy copy) {}

  private final Function<String, Optional<String>> values;
  private final String namespace;
  private final AnnotationProblems report;

  private MirrorAnnotations(
      Function<String, Optional<String>> values, String namespace, AnnotationProblems report) {
    this.values = values;
    this.namespace = namespace;
    this.report = report;
  }

  /**
   * Reads one Ingress's mirror annotations.
   *
   * @param values the value of an annotation by name, trimmed; empty when unset
   * @param namespace the Ingress's namespace, the only one a mirror may be in
   * @return the mirror asked for; empty when none is, or the target cannot be used (reported)
   */
  static Optional<Request> read(
      Function<String, Optional<String>> values, String namespace, AnnotationProblems report) {
    return new MirrorAnnotations(values, namespace, report).read();
  }

  private Optional<Request> read() {
    Optional<String> target = values.apply("mirror-target").filter(t -> !t.isEmpty());
    if (target.isEmpty()) {
      for (String name : new String[] {"mirror-host", "mirror-request-body"}) {
        if (values.apply(name).isPresent()) {
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
    String host = (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
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
        new Request(new ObjectKey(namespace, names.group("service")), String.valueOf(port), copy));
  }

  /** The copy's {@code Host}: {@code mirror-host}, else the target's host. */
  private String hostHeader(String targetHost) {
    Optional<String> host = values.apply("mirror-host").filter(h -> !h.isEmpty());
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
    Optional<String> body = values.apply("mirror-request-body");
    if (body.isEmpty() || body.get().equals("on")) {
      return true;
    }
    if (body.get().equals("off")) {
      return false;
    }
    report.invalid("mirror-request-body", body.get(), "on or off", "using on");
    return true;
  }

  private Optional<Request> invalid(String target, String why) {
    report.invalid("mirror-target", target, TARGET_RULE + "; " + why, "no request is mirrored");
    return Optional.empty();
  }
}
