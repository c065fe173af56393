/** An error recorded on a message or a reply is read by staff, not parsed: a provider's essay is cut to this. */
export const MOST_ERROR_CHARS = 1000;

/** How a failure is recorded on an inbound message or an outbox entry: its kind and message, e.g. `RetryableSendError: …`. */
export function describeError(err: unknown): string {
  return boundText(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}

/** Text from outside (an error message, a provider's error code) cut to what is worth storing. */
export function boundText(text: string, most = MOST_ERROR_CHARS): string {
  return text.length <= most ? text : `${text.slice(0, most - 1)}…`;
}
