package org.dpvideo.dpsgd.audit;

import java.util.Locale;

/** The model families the audit can train. */
public enum AuditedModel {
  /** A two-hidden-layer tanh MLP classifier on tabular features (the fairness spec's tabular model). */
  MLP;

  /** The command-line and JSON name. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a model name. */
  public static AuditedModel parse(String s) {
    for (AuditedModel m : values()) {
      if (m.cliName().equalsIgnoreCase(s == null ? "" : s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("--model must be mlp (the only audited model so far), got '" + s + "'");
  }
}
