package io.portico.controller.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnameTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "*.example.com, a.example.com, true",
    "*.example.com, a.b.example.com, true",
    "*.example.com, example.com, false",
    "*.example.com, aexample.com, false",
    "foo.example.com, FOO.example.com, true",
    "foo.example.com, bar.example.com, false",
  })
  void wildcardsStandForOneOrMoreLabels(String hostname, String host, boolean matches) {
    assertEquals(matches, Hostname.of(hostname).matches(host));
  }

  @ParameterizedTest(name = "{0} and {1} meet in {2}")
  @CsvSource({
    "very.specific.com, very.specific.com, very.specific.com",
    "*.wildcard.io, foo.bar.wildcard.io, foo.bar.wildcard.io",
    "*.wildcard.io, wildcard.io, ''",
    "very.specific.com, *.specific.com, very.specific.com",
    "*.anotherwildcard.io, *.anotherwildcard.io, *.anotherwildcard.io",
    "*.io, *.wildcard.io, *.wildcard.io",
    "*.wildcard.io, *.other.io, ''",
    "foo.specific.com, very.specific.com, ''",
  })
  void listenerAndRouteHostnamesIntersect(String listener, String route, String expected) {
    Optional<Hostname> want =
        expected.isEmpty() ? Optional.empty() : Optional.of(Hostname.of(expected));
    assertEquals(want, Hostname.of(listener).intersect(Hostname.of(route)));
    assertEquals(want, Hostname.of(route).intersect(Hostname.of(listener)));
  }
}
