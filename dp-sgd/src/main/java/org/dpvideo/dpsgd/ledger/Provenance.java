package org.dpvideo.dpsgd.ledger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who and what wrote a ledger entry: the operating-system user, the host, the process id and the command
 * line. Recorded with every reservation, resumption, abandonment and budget change. It is what the
 * process says about itself, not an authenticated identity (see {@code docs/ledger.md}).
 *
 * @param user the user name, non-blank
 * @param host the host name, non-blank
 * @param pid the process id, &gt;= 0 (0 when unknown)
 * @param commandLine the command line or API call that started the action, with secrets redacted by
 *     {@link #redactSecrets(String)}; may be empty, never null; no line breaks
 */
public record Provenance(String user, String host, long pid, String commandLine) {
  private static final Pattern SECRET = Pattern.compile("(?i)(password|passwd|pwd|secret|token)=([^&\\s;]*)");

  public Provenance {
    user = requireLine(user, "user");
    host = requireLine(host, "host");
    if (pid < 0) {
      throw new IllegalArgumentException("pid must be >= 0, got " + pid);
    }
    Objects.requireNonNull(commandLine, "commandLine (use \"\" when there is none)");
    commandLine = redactSecrets(commandLine.replace('\n', ' ').replace('\r', ' '));
  }

  /**
   * The current process: {@code user.name}, the host name (environment {@code HOSTNAME}, then
   * {@code /etc/hostname}, then the resolver), this process id, and {@code commandLine}.
   */
  public static Provenance current(String commandLine) {
    return new Provenance(orUnknown(System.getProperty("user.name")), hostName(), ProcessHandle.current().pid(),
        commandLine == null ? "" : commandLine);
  }

  /** Replaces the values of {@code password=}, {@code token=} and similar parameters by {@code ***}. */
  public static String redactSecrets(String text) {
    return SECRET.matcher(text).replaceAll("$1=***");
  }

  /** {@code user@host (pid N)}. */
  public String describe() {
    return user + "@" + host + " (pid " + pid + ")";
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String name = Files.readString(etc).trim();
        if (!name.isEmpty()) {
          return name;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the resolver
    }
    try {
      return orUnknown(InetAddress.getLocalHost().getHostName());
    } catch (IOException | RuntimeException e) {
      return "unknown-host";
    }
  }

  private static String orUnknown(String s) {
    return s == null || s.isBlank() ? "unknown" : s.trim();
  }

  private static String requireLine(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " of a provenance must be non-blank, got '" + value + "'");
    }
    return value.replace('\n', ' ').replace('\r', ' ').trim();
  }
}
