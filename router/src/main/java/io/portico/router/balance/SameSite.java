package io.portico.router.balance;

/** The {@code SameSite} attribute of the session cookie (the {@code session-cookie-samesite}). */
public enum SameSite {
  NONE("None"),
  LAX("Lax"),
  STRICT("Strict");

  private final String attribute;

  SameSite(String attribute) {
    this.attribute = attribute;
  }

  /**
   * The attribute value as written in {@code Set-Cookie}: {@code None}, {@code Lax}, {@code
   * Strict}.
   */
  public String attribute() {
    return attribute;
  }

  @Override
  public String toString() {
    return attribute;
  }
}
