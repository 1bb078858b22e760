package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.router.policy.ClosedPolicy;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.ResponseHeadersPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Response headers: the controller ConfigMap's {@code add-headers} (a ConfigMap whose data are
 * headers every response carries) and the {@code custom-headers} annotation (a ConfigMap of the
 * Ingress's namespace whose headers the Ingress's responses carry), as ingress-nginx's {@code
 * more_set_headers}: each replaces a header of the same name from the backend, on every response of
 * the route, and {@code custom-headers} wins over {@code add-headers} for the same name.
 *
 * <p>{@code add-headers} is the platform's: an entry that is not a header is left out (the
 * controller ConfigMap step reports it), and a missing ConfigMap adds nothing. {@code
 * custom-headers} is a namespace user's and fails closed, as ingress-nginx's denied location does:
 * when its ConfigMap is missing, is in another namespace, or holds a header that is malformed or
 * not listed in {@code global-allowed-response-headers}, every route of the Ingress answers 503.
 */
public final class CustomHeadersFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "custom-headers";

  private static final String ANNOTATION = "custom-headers";
  private static final Set<String> ANNOTATIONS = Set.of(ANNOTATION);

  /** {@code name} or {@code namespace/name}, DNS names. */
  private static final Pattern REFERENCE =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-.a-z0-9]*[a-z0-9])?");

  /**
   * The routes of an Ingress get the same policies, whatever their host and path.
   *
   * @param policies the policies, precomputed
   */
  record EveryRoute(List<RequestPolicy> policies) implements RoutePolicyRule {
    EveryRoute {
      policies = List.copyOf(policies);
    }

    @Override
    public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
      return policies;
    }
  }

  /** What a route answers when the custom headers it refers to cannot be used as asked. */
  static ClosedPolicy closed(String reference) {
    return new ClosedPolicy(
        ANNOTATION + ": \"" + reference + "\" cannot be used (see the Ingress's warnings)");
  }

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
    Map<String, PolicyAnswer.Header> byName = new LinkedHashMap<>();
    addHeaders(context).forEach(header -> put(byName, header));
    ClosedPolicy closed = null;
    Optional<String> reference = values.get(ANNOTATION);
    if (reference.isPresent()) {
      Optional<List<PolicyAnswer.Header>> custom = customHeaders(reference.get(), context, report);
      if (custom.isPresent()) {
        custom.get().forEach(header -> put(byName, header));
      } else {
        closed = closed(reference.get());
      }
    }
    List<RequestPolicy> policies = new ArrayList<>(2);
    if (closed != null) {
      policies.add(closed);
    }
    if (!byName.isEmpty()) {
      policies.add(new ResponseHeadersPolicy(List.copyOf(byName.values())));
    }
    if (!policies.isEmpty()) {
      policy.routeRule(new EveryRoute(policies));
    }
  }

  /**
   * The headers of the controller ConfigMap's {@code add-headers}, without the entries that are not
   * headers; none when it names nothing or a ConfigMap that does not exist.
   */
  public static List<PolicyAnswer.Header> addHeaders(IngressContext context) {
    String reference = context.config().get(ConfigKeys.ADD_HEADERS);
    if (reference.isEmpty()) {
      return List.of();
    }
    int slash = reference.indexOf('/');
    return context
        .configMaps()
        .data(reference.substring(0, slash), reference.substring(slash + 1))
        .map(data -> ResponseHeaderData.addHeaders(data).headers())
        .orElse(List.of());
  }

  /** The Ingress's own headers; empty when they cannot be served as asked (reported). */
  private static Optional<List<PolicyAnswer.Header>> customHeaders(
      String reference, IngressContext context, AnnotationReport report) {
    String instead = "every route of the Ingress answers 503";
    String shown = "\"" + reference + "\"";
    if (!REFERENCE.matcher(reference).matches()) {
      report.invalid(ANNOTATION, shown, "name or namespace/name of a ConfigMap", instead);
      return Optional.empty();
    }
    int slash = reference.indexOf('/');
    String namespace = slash < 0 ? context.namespace() : reference.substring(0, slash);
    String name = reference.substring(slash + 1);
    if (!namespace.equals(context.namespace())) {
      report.invalid(
          ANNOTATION,
          shown,
          "a ConfigMap in the Ingress's namespace " + context.namespace(),
          instead);
      return Optional.empty();
    }
    Optional<Map<String, String>> data = context.configMaps().data(namespace, name);
    if (data.isEmpty()) {
      report.invalid(
          ANNOTATION,
          shown,
          "a ConfigMap that exists: " + namespace + "/" + name + " does not",
          instead);
      return Optional.empty();
    }
    ControllerConfig config = context.config();
    ResponseHeaderData.Read read =
        ResponseHeaderData.customHeaders(
            data.get(), config.get(ConfigKeys.GLOBAL_ALLOWED_RESPONSE_HEADERS));
    if (!read.problems().isEmpty()) {
      report.invalid(
          ANNOTATION,
          shown,
          "a ConfigMap of allowed headers; ConfigMap "
              + namespace
              + "/"
              + name
              + ": "
              + String.join("; ", read.problems()),
          instead);
      return Optional.empty();
    }
    return Optional.of(read.headers());
  }

  /** A later header of the same name (in any case) replaces an earlier one. */
  private static void put(Map<String, PolicyAnswer.Header> byName, PolicyAnswer.Header header) {
    String key = header.name().toLowerCase(Locale.ROOT);
    byName.remove(key);
    byName.put(key, header);
  }
}
