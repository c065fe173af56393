import type { ArchivedInbound } from '../store/store.ts';

const isText = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// what the stages read of every message; optional fields are each checked where they are used
const REQUIRED_TEXT = ['channel', 'accountId', 'externalId', 'threadKey', 'receivedAt', 'text'] as const;

/**
 * Throws, naming what is wrong, when a stored message is not one this version reads: a row an older version wrote
 * or a damaged one. Without it a stage fails deep inside with "Cannot read properties of undefined", and the dead
 * letter says nothing an operator can act on. Cheap: the archive already checked the whole shape at the webhook.
 */
export function assertReadable(archived: ArchivedInbound): void {
  const m = archived.message as unknown;
  if (!isObject(m)) throw new Error(`inbound ${archived.id}: the stored message is not an object: a damaged row; a retry cannot read it either`);
  const problems: string[] = REQUIRED_TEXT.filter((k) => !isText(m[k])).map((k) => `${k} is ${m[k] === undefined ? 'missing' : 'not text'}`);
  if (!isObject(m.sender) || !isText(m.sender.id)) problems.push('sender.id is missing');
  if (m.attachments !== undefined && !Array.isArray(m.attachments)) problems.push('attachments is not a list');
  if (problems.length > 0) {
    throw new Error(`inbound ${archived.id}: the stored message is not one this version reads (${problems.join(', ')}): an older version's row or a damaged one; a retry cannot read it either`);
  }
}
