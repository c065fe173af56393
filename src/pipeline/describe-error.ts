/** How a failure is recorded on an inbound message or an outbox entry: its kind and message, e.g. `RetryableSendError: …`. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
