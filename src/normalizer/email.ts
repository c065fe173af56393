// The email part of the normalizer: one call that turns a decoded email into the text a ticket is made from.
// The pieces live in their own files; this facade re-exports them for the email connector and the pipeline.
import { classifyAutomatedEmail, type AutomatedEmail, type EmailHeaders } from './email-automated.ts';
import { stripQuotedReply } from './email-quotes.ts';
import { htmlToText } from './html.ts';
import { stripSignature } from './email-signature.ts';

export {
  classifyAutomatedEmail,
  headerAddresses,
  headerValues,
  type AutomatedEmail,
  type AutomatedEmailInput,
  type AutomatedKind,
  type EmailHeaders,
  type EmailHeaderValue,
} from './email-automated.ts';
export { stripQuotedReply, type QuoteStripOptions, type QuoteStripResult } from './email-quotes.ts';
export { stripSignature, type SignatureStripResult } from './email-signature.ts';

export interface EmailTextInput {
  /** the decoded text/plain body (mailparser's `parsed.text`), before cleanText(); preferred when it has text */
  text?: string | undefined;
  /** the HTML body (mailparser's `parsed.html`, `false` when absent): used only when there is no plain text */
  html?: string | false | undefined;
  headers: EmailHeaders;
  subject?: string | undefined;
  /** the sender, when the connector has it apart from the headers */
  from?: string | undefined;
  /** see classifyAutomatedEmail */
  ownMarkerHeader?: string | undefined;
  ownAddresses?: readonly string[] | undefined;
}

export interface EmailText {
  /** the citizen's new text: quoted thread and signature removed; never empty when `text` was not */
  body: string;
  quoted?: string;
  /** often holds the citizen's phone and address: read contact details from it too */
  signature?: string;
  /** a forward was found and kept in `body` (the forwarded text is the complaint) */
  forwarded: boolean;
  /** when automated, no ticket is made and nothing is sent back */
  automated: AutomatedEmail;
}

/**
 * The text of an email as a ticket should see it: the plain-text body (or the HTML body converted, for mail that
 * has no plain part), its quoted thread cut off, then its trailing signature; plus the auto-reply/bounce verdict.
 * Pure. The plain part is preferred because mail clients write their '>' quotes into it.
 */
export function prepareEmailText(input: EmailTextInput): EmailText {
  const automated = classifyAutomatedEmail({
    headers: input.headers,
    subject: input.subject,
    from: input.from,
    ownMarkerHeader: input.ownMarkerHeader,
    ownAddresses: input.ownAddresses,
  });
  const text = input.text !== undefined && input.text.trim() !== '' ? input.text : input.html ? htmlToText(input.html) : '';
  const reply = stripQuotedReply(text, { subject: input.subject });
  const signed = stripSignature(reply.body);
  const result: EmailText = { body: signed.body, forwarded: reply.forwarded, automated };
  if (reply.quoted !== undefined) result.quoted = reply.quoted;
  if (signed.signature !== undefined) result.signature = signed.signature;
  return result;
}
