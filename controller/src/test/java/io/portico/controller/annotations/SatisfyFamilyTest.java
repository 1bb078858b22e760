package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.access.ExternalAuthPolicy;
import io.portico.router.access.SatisfyAnyPolicy;
import io.portico.router.access.SourceRangePolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RouteOrigin;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code satisfy} read by every family of the reader: {@code any} combines a route's source ranges
 * and its one authentication into a {@link SatisfyAnyPolicy}; {@code all}, an invalid value (the
 * stricter reading) and a route with only one of the two keep the policies apart.
 */
class SatisfyFamilyTest {

  private static final String PREFIX = "nginx.ingress.kubernetes.io/";

  private static List<RequestPolicy> routePolicies(String... keysAndValues) {
    java.util.HashMap<String, String> annotations = new java.util.HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      annotations.put(PREFIX + keysAndValues[i], keysAndValues[i + 1]);
    }
    AnnotationReading reading =
        AnnotationReader.standard(SnippetAnnotations.REFUSE)
            .read(
                Map.copyOf(annotations),
                new IngressContext("default", "test", Set.of(), ControllerConfig.DEFAULTS));
    return reading
        .policy()
        .route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix("/"),
            Backend.of(new BackendId("default", "app", "80"), List.of(Endpoint.of("10.0.0.1", 80))),
            new RouteOrigin("default", "test"))
        .policies()
        .all();
  }

  @Test
  void anyCombinesTheSourceRangesAndTheAuthentication() {
    List<RequestPolicy> policies =
        routePolicies(
            "satisfy", "any",
            "allowlist-source-range", "10.0.0.0/8",
            "auth-url", "http://auth.test/check");
    assertEquals(1, policies.size(), policies.toString());
    SatisfyAnyPolicy any = assertInstanceOf(SatisfyAnyPolicy.class, policies.get(0));
    assertInstanceOf(ExternalAuthPolicy.class, any.authentication());
  }

  @Test
  void allAndInvalidValuesKeepEveryCheck() {
    for (String value : new String[] {"all", "some"}) {
      List<RequestPolicy> policies =
          routePolicies(
              "satisfy", value,
              "allowlist-source-range", "10.0.0.0/8",
              "auth-url", "http://auth.test/check");
      assertEquals(2, policies.size(), value + ": " + policies);
      assertInstanceOf(SourceRangePolicy.class, policies.get(0));
      assertInstanceOf(ExternalAuthPolicy.class, policies.get(1));
    }
  }

  @Test
  void anyWithoutSourceRangesChangesNothing() {
    List<RequestPolicy> policies =
        routePolicies("satisfy", "any", "auth-url", "http://auth.test/check");
    assertEquals(1, policies.size());
    assertInstanceOf(ExternalAuthPolicy.class, policies.get(0));
  }
}
