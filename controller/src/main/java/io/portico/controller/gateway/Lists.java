package io.portico.controller.gateway;

import java.util.List;

/** fabric8 lists are empty when absent, but {@code null} when a manifest says {@code null}. */
final class Lists {

  private Lists() {}

  static <T> List<T> of(List<T> list) {
    return list == null ? List.of() : list;
  }
}
