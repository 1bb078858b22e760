package io.portico.router.policy;

import org.jspecify.annotations.Nullable;

/** The head of a response about to be written, as a {@link ResponseHeadPolicy} sees it. */
public interface ResponseHead extends HeaderTarget {

  /** The response's status code. */
  int status();

  /** The first value of a header, or {@code null} when it has none. */
  @Nullable String header(String name);
}
