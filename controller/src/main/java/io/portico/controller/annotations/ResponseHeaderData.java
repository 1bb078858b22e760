package io.portico.controller.annotations;

import io.portico.router.policy.PolicyAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The data of a ConfigMap read as response headers, one header per key, in the order of their names
 * (as ingress-nginx writes them into nginx.conf). Two readings: the controller ConfigMap's {@code
 * add-headers}, written by whoever runs the controller, and the {@code custom-headers} annotation,
 * written by a namespace's user and held to ingress-nginx's stricter rules.
 */
public final class ResponseHeaderData {

  /**
   * What a ConfigMap gave.
   *
   * @param headers the usable headers, by name
   * @param problems one message per entry that is not usable, naming it; empty when all are
   */
  public record Read(List<PolicyAnswer.Header> headers, List<String> problems) {
    public Read {
      headers = List.copyOf(headers);
      problems = List.copyOf(problems);
    }
  }

  /** A header name as {@code custom-headers} accepts it (ingress-nginx's rule). */
  private static final Pattern CUSTOM_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  /** A header value as {@code custom-headers} accepts it (ingress-nginx's rule). */
  private static final Pattern CUSTOM_VALUE =
      Pattern.compile("[A-Za-z0-9_ :;.,\\\\/\"'?!(){}\\[\\]@<>=\\-+*#$&`|~^%]+");

  /** An RFC 9110 token. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  /**
   * An RFC 9110 field value, not empty: visible characters, with spaces and tabs inside (an empty
   * value would clear the header in nginx).
   */
  private static final Pattern FIELD_VALUE =
      Pattern.compile(
          "[\\x21-\\x7e\\x80-\\xff]([\\x20-\\x7e\\t\\x80-\\xff]*[\\x21-\\x7e\\x80-\\xff])?");

  private ResponseHeaderData() {}

  /**
   * The {@code add-headers} reading: any header name that is a token, any value on one line; an
   * entry that is not is a problem and is left out, the others apply.
   */
  public static Read addHeaders(Map<String, String> data) {
    List<PolicyAnswer.Header> headers = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(data).entrySet()) {
      String name = entry.getKey();
      String value = entry.getValue() == null ? "" : entry.getValue();
      if (!TOKEN.matcher(name).matches()) {
        problems.add("header name " + quote(name) + " (expected: a token)");
      } else if (!FIELD_VALUE.matcher(value).matches()) {
        problems.add(
            "header "
                + name
                + ": "
                + quote(value)
                + " (expected: visible characters on one line, not empty)");
      } else {
        headers.add(new PolicyAnswer.Header(name, value));
      }
    }
    return new Read(headers, problems);
  }

  /**
   * The {@code custom-headers} reading: names of letters, digits, {@code -} and {@code _}, values
   * of ingress-nginx's characters, and every name listed in {@code allowed} (the ConfigMap's {@code
   * global-allowed-response-headers}, compared without case). Any problem makes the whole reading
   * unusable: the caller serves none of it.
   */
  public static Read customHeaders(Map<String, String> data, List<String> allowed) {
    Set<String> allowedNames = new java.util.HashSet<>();
    allowed.forEach(name -> allowedNames.add(name.toLowerCase(Locale.ROOT)));
    List<PolicyAnswer.Header> headers = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(data).entrySet()) {
      String name = entry.getKey();
      String value = entry.getValue() == null ? "" : entry.getValue();
      if (!CUSTOM_NAME.matcher(name).matches()) {
        problems.add("header name " + quote(name) + " (expected: letters, digits, - and _)");
      } else if (!CUSTOM_VALUE.matcher(value).matches()) {
        problems.add(
            "header "
                + name
                + ": "
                + quote(value)
                + " (expected: letters, digits, spaces and the punctuation ingress-nginx allows)");
      } else if (!allowedNames.contains(name.toLowerCase(Locale.ROOT))) {
        problems.add(
            "header "
                + name
                + " is not allowed (expected: a name listed in the controller ConfigMap's"
                + " global-allowed-response-headers)");
      } else {
        headers.add(new PolicyAnswer.Header(name, value));
      }
    }
    return new Read(headers, problems);
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
