package org.dpvideo.dpsgd.accounting;

/** An accountant was given an event (or a nesting of events) it cannot account. */
public final class UnsupportedEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient DpEvent event;

  /**
   * @param accountant the accountant that refused
   * @param event the event it cannot account
   * @param why what is unsupported and what to do instead
   */
  public UnsupportedEventException(AccountantKind accountant, DpEvent event, String why) {
    super(accountant.cliName() + " accountant cannot account " + event + ": " + why);
    this.event = event;
  }

  /** The refused event. */
  public DpEvent event() {
    return event;
  }
}
