package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The users of a basic-auth route and their password hashes, read from a Secret as ingress-nginx
 * reads it: an htpasswd file ({@code auth-secret-type: auth-file}, the key {@code auth}) or one key
 * per user ({@code auth-map}). Immutable; equal files give equal credentials.
 *
 * @param users each user's hash, by name
 */
public record BasicCredentials(Map<String, PasswordHash> users) {

  public BasicCredentials {
    users = Map.copyOf(new TreeMap<>(requireNonNull(users, "users")));
  }

  /**
   * What reading a file gave: the credentials and, for each line or key left out, why (naming the
   * line or user, never the hash).
   */
  public record Read(BasicCredentials credentials, List<String> problems) {
    public Read {
      requireNonNull(credentials, "credentials");
      problems = List.copyOf(problems);
    }
  }

  /**
   * Reads an htpasswd file: {@code user:hash} lines; empty lines and lines starting with {@code #}
   * are skipped. A line Portico cannot read is left out (that user cannot log in) and reported.
   */
  public static Read parseFile(String file) {
    requireNonNull(file, "file");
    Map<String, PasswordHash> users = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    String[] lines = file.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        problems.add("line " + (i + 1) + ": not user:hash");
        continue;
      }
      String user = line.substring(0, colon);
      add(users, problems, user, line.substring(colon + 1), "line " + (i + 1));
    }
    return new Read(new BasicCredentials(users), problems);
  }

  /** Reads one key per user, the value the user's hash ({@code auth-map}). */
  public static Read parseMap(Map<String, String> entries) {
    requireNonNull(entries, "entries");
    Map<String, PasswordHash> users = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
      add(users, problems, entry.getKey(), entry.getValue().strip(), "key " + entry.getKey());
    }
    return new Read(new BasicCredentials(users), problems);
  }

  private static void add(
      Map<String, PasswordHash> users,
      List<String> problems,
      String user,
      String hash,
      String where) {
    Optional<PasswordHash> parsed = PasswordHash.parse(hash);
    if (parsed.isEmpty()) {
      problems.add(
          where
              + " (user "
              + user
              + "): not "
              + PasswordHash.EXPECTED
              + "; the user cannot log in");
    } else if (users.putIfAbsent(user, parsed.get()) != null) {
      problems.add(where + ": user " + user + " appears again; the first line counts");
    }
  }

  /** The hash of {@code user}, or empty. */
  public Optional<PasswordHash> hashOf(String user) {
    return Optional.ofNullable(users.get(user));
  }

  public boolean isEmpty() {
    return users.isEmpty();
  }

  /** The user names only. */
  @Override
  public String toString() {
    return "BasicCredentials" + users.keySet();
  }
}
