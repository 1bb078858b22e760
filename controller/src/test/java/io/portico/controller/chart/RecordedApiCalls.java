package io.portico.controller.chart;

import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The API calls a mock API server received, as the RBAC authorizer would see them. */
final class RecordedApiCalls {

  private RecordedApiCalls() {}

  /** The User-Agent of the test's own client, whose calls are not the controller's. */
  static final String TEST_USER_AGENT = "portico-test";

  /** Takes every request recorded so far, leaving out the test's own. */
  static List<ApiCall> drain(DefaultMockServer server) throws InterruptedException {
    List<ApiCall> calls = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (!TEST_USER_AGENT.equals(request.getHeader("User-Agent"))
          && !discovery(request.getPath())) {
        calls.add(of(request.getMethod(), request.getPath()));
      }
    }
    return calls;
  }

  /**
   * Whether a request reads API discovery ({@code /api}, {@code /apis}, {@code /apis/GROUP}, {@code
   * /apis/GROUP/VERSION}): a non-resource URL every authenticated client may read (the {@code
   * system:discovery} ClusterRole), which no rule of the chart grants.
   */
  static boolean discovery(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String[] parts = path.substring(1).split("/");
    return (parts[0].equals("api") && parts.length <= 2)
        || (parts[0].equals("apis") && parts.length <= 3);
  }

  /**
   * Maps a request line to a call: {@code /api/v1/...} is the core group, {@code
   * /apis/GROUP/VERSION/...} another; {@code namespaces/NS/} scopes it; {@code ?watch=true} makes a
   * GET a watch; a GET without an object name is a list. A list or watch with the field selector
   * {@code metadata.name=NAME} names that object, as the API server tells the authorizer (so that a
   * rule's resourceNames can allow it).
   */
  static ApiCall of(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String[] parts = path.substring(1).split("/");
    int i;
    String group;
    if (parts[0].equals("api")) {
      group = "";
      i = 2;
    } else if (parts[0].equals("apis")) {
      group = parts[1];
      i = 3;
    } else {
      throw new IllegalArgumentException("not a resource path: " + pathAndQuery);
    }
    String namespace = null;
    if (i + 1 < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
      namespace = parts[i + 1];
      i += 2;
    }
    String resource = parts[i];
    String name = i + 1 < parts.length ? parts[i + 1] : null;
    if (i + 2 < parts.length) {
      resource = resource + "/" + parts[i + 2];
    }
    String verb =
        switch (method.toUpperCase(Locale.ROOT)) {
          case "GET" -> query.contains("watch=true") ? "watch" : name == null ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name == null ? "deletecollection" : "delete";
          default -> throw new IllegalArgumentException("method " + method);
        };
    if ((verb.equals("list") || verb.equals("watch")) && name == null) {
      name = selectedName(query);
    }
    return new ApiCall(verb, group, resource, namespace, verb.equals("create") ? null : name);
  }

  /** The NAME of a {@code fieldSelector=metadata.name=NAME} query parameter, or null. */
  private static String selectedName(String query) {
    for (String parameter : query.split("&")) {
      String decoded = URLDecoder.decode(parameter, StandardCharsets.UTF_8);
      if (decoded.startsWith("fieldSelector=metadata.name=") && !decoded.contains(",")) {
        return decoded.substring("fieldSelector=metadata.name=".length());
      }
    }
    return null;
  }
}
