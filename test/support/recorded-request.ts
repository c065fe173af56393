import type { IncomingHttpHeaders } from 'node:http';

/** A request a JSON API fake (Graph, X) received, as tests read it back. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** the parsed JSON body, or the form fields, or the raw text; undefined when empty */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** when it came, by the fake's clock (ms; the X fake) */
  at?: number;
  /** what the fake answered (the X fake), unless rudeness dropped or held the answer */
  answer?: { status: number; headers: Record<string, string> };
}
