package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What reading one object gave: its view, or the problems that make the API server reject it, each
 * naming the field ({@code spec.rules[0].matches[1].path.value: ...}).
 *
 * @param view the defaulted view; empty exactly when there are problems
 * @param problems what validation found, in field order
 */
public record Read<T>(Optional<T> view, List<String> problems) {

  public Read {
    requireNonNull(view, "view");
    problems = List.copyOf(problems);
    if (view.isPresent() == !problems.isEmpty()) {
      throw new IllegalArgumentException(
          "read: view " + view.isPresent() + ", problems " + problems + " (expected: one of them)");
    }
  }

  static <T> Read<T> of(FieldErrors errors, Supplier<T> view) {
    return errors.isEmpty()
        ? new Read<>(Optional.of(view.get()), List.of())
        : new Read<>(Optional.empty(), errors.problems());
  }

  public boolean valid() {
    return view.isPresent();
  }
}
