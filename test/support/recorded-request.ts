import type { IncomingHttpHeaders } from 'node:http';

/** A request a JSON API fake (Graph, X) received, as tests read it back. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** the parsed JSON body, or the form fields, or the raw text; undefined when empty */
  body: unknown;
  headers: IncomingHttpHeaders;
}
