import type { FormParams } from '../../http/form-body.ts';
import { MESSAGE_SID, SmsPayloadError, firstValues } from './parse.ts';

export type DeliveryReceipt = {
  /** the Message SID our send returned as providerId */
  providerId: string;
  state: 'sent' | 'delivered' | 'undelivered';
  /** Twilio's ErrorCode (e.g. 30003 unreachable, 30007 carrier filtered), for undelivered */
  error?: string;
};

// Twilio's message statuses and what they mean for our outbox. accepted/scheduled/canceled are Messaging
// Service states before (or instead of) a send, receiving/received are inbound ones: none changes a receipt.
const STATES = new Map<string, DeliveryReceipt['state']>(Object.entries({
  queued: 'sent',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  // WhatsApp only: read implies delivered
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'undelivered',
} as const));

/**
 * A status callback (Twilio posts one per status change, not necessarily in order) → a delivery receipt, or
 * undefined for a status we do not track. Pure; throws SmsPayloadError when the sid or status is missing.
 */
export function parseStatusCallback(params: FormParams): DeliveryReceipt | undefined {
  const p = firstValues(params, ['MessageSid', 'SmsSid', 'MessageStatus', 'SmsStatus', 'ErrorCode']);
  const providerId = p.MessageSid || p.SmsSid;
  if (!providerId) throw new SmsPayloadError('MessageSid is missing', 'MessageSid');
  if (!MESSAGE_SID.test(providerId)) throw new SmsPayloadError('MessageSid is not a Twilio message id (SM or MM and 32 hex digits)', 'MessageSid');
  // SmsStatus is the deprecated twin of MessageStatus; older callbacks carry only it
  const status = (p.MessageStatus || p.SmsStatus)?.toLowerCase();
  if (!status) throw new SmsPayloadError('MessageStatus is missing', 'MessageStatus');
  const state = STATES.get(status);
  if (!state) return undefined;
  // a Twilio error code is five digits; whatever else arrives here is not stored
  const error = p.ErrorCode?.trim();
  if (error && !/^\d{1,6}$/.test(error)) throw new SmsPayloadError('ErrorCode is not a Twilio error code', 'ErrorCode');
  return { providerId, state, ...(state === 'undelivered' && error ? { error } : {}) };
}
