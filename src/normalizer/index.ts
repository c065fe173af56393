import type { Category, OutsideArea, Ward } from '../config/gazetteer.ts';
import type { InboundMessage, Location } from '../model/index.ts';
import { createCategoryMatcher, type CategoryHint } from './categories.ts';
import { extractCoordinates } from './coordinates.ts';
import { numericForm } from './digits.ts';
import { prepareEmailText, type AutomatedEmail } from './email.ts';
import { detectLanguage, type LanguageGuess } from './language.ts';
import { extractLinks } from './links.ts';
import { extractPhones } from './phone.ts';
import { extractPinCodes, type PinCode } from './pin-code.ts';
import { extractPlace } from './place.ts';
import { parseRating, type Rating } from './rating.ts';
import { cleanText } from './text.ts';
import { extractTicketNumbers } from './ticket-number.ts';
import { createWardMatcher, type WardMatch } from './wards.ts';

export type { LanguageGuess, Script } from './language.ts';
export type { CategoryHint } from './categories.ts';
export type { WardMatch } from './wards.ts';

/** What a complaint needs that the text itself says. */
export interface Entities {
  /** E.164, the citizen's own (toll-free numbers, ours, are left out) */
  phones: string[];
  pinCodes: PinCode[];
  /** ticket numbers the citizen quotes, as `PMC12345` */
  ticketNumbers: string[];
  /** set only when the whole message is a 1–5 rating ("५", "five", "⭐⭐⭐⭐") */
  rating?: Rating;
  ward?: WardMatch;
  /** a place named that is not PMC's (config/outside-areas.yaml): whose it is */
  outsideArea?: { areaId: string; matched: string };
  /** a landmark or area as written: "near Kothrud depot", "शनिवारवाड्याजवळ" */
  place?: string;
  /** best first */
  categories: CategoryHint[];
  /** a shared pin (the message's own location) or coordinates written or linked in the text */
  location?: Location & { source: 'pin' | 'text' };
  urls: string[];
  mentions: string[];
  hashtags: string[];
}

export interface NormalizedMessage {
  /** cleaned text (for email: the new text only, quoted thread and signature cut) */
  text: string;
  /** `text` with every digit (१२३, ১২৩ …) as ASCII: for numbers, never shown to the citizen */
  numeric: string;
  language: LanguageGuess;
  entities: Entities;
  /** an auto-reply, bounce, list mail or our own mail come back: no ticket, no answer (no mail loops) */
  automated?: Extract<AutomatedEmail, { automated: true }>;
  /** nothing a person could act on: no words, no media, no location */
  empty: boolean;
}

export interface NormalizerOptions {
  wards?: readonly Ward[];
  categories?: readonly Category[];
  outsideAreas?: readonly OutsideArea[];
  /** places in PMC that no single ward office takes whole: found as places, with no ward */
  sharedPlaces?: readonly string[];
  /** the ticket prefix citizens quote (config tickets.prefix) */
  ticketPrefix?: string;
  /** the header our own outgoing mail carries, so it is never answered if it comes back */
  ownMailHeader?: string;
  /** our mailboxes' addresses: a mail from one of them is our own come back (a forward, a loop), never answered */
  ownAddresses?: readonly string[];
}

export type Normalize = (message: InboundMessage) => NormalizedMessage;

/** A header every mail the bridge sends carries; a mail that has it came from us. */
export const OWN_MAIL_HEADER = 'x-pmc-bridge';

interface Body {
  text: string;
  /** an email signature: read for contact details, not for the complaint */
  signature?: string;
  automated?: NormalizedMessage['automated'];
}

function bodyOf(message: InboundMessage, ownMailHeader: string, ownAddresses: readonly string[]): Body {
  if (message.channel !== 'email') return { text: message.text };
  const email = prepareEmailText({
    text: message.text,
    html: message.html,
    headers: message.headers ?? {},
    subject: message.subject,
    from: message.sender.email,
    ownMarkerHeader: ownMailHeader,
    ownAddresses,
  });
  return {
    text: email.body,
    ...(email.signature ? { signature: email.signature } : {}),
    ...(email.automated.automated ? { automated: email.automated } : {}),
  };
}

function locationOf(message: InboundMessage, text: string): Entities['location'] {
  if (message.location) return { ...message.location, source: 'pin' };
  const written = extractCoordinates(text);
  return written ? { ...written, source: 'text' } : undefined;
}

/**
 * Builds the normalizer once from the gazetteer (wards, categories); the function it returns is pure and does no
 * I/O: cleanup, language, entities, and for email the quoted thread, signature and auto-reply verdict.
 */
export function createNormalizer(options: NormalizerOptions = {}): Normalize {
  const matchWard = createWardMatcher(options.wards ?? []);
  const matchCategories = createCategoryMatcher(options.categories ?? []);
  // the same matching as ward offices: each area is a "ward" whose names are its localities
  const outside = options.outsideAreas ?? [];
  const shared = options.sharedPlaces ?? [];
  const matchShared = shared.length === 0 ? undefined : createWardMatcher([{ id: 'shared', name: { en: shared[0]!, mr: shared[0]! }, mrVerified: false, formerNames: [], aliases: [], localities: [...shared] }]);
  const matchOutside = outside.length === 0 ? undefined : createWardMatcher(outside.map((a) => ({ id: a.id, name: { en: a.localities[0]!, mr: a.localities[0]! }, mrVerified: false, formerNames: [], aliases: [], localities: a.localities })));
  const prefix = options.ticketPrefix ?? 'PMC';
  const ownMailHeader = options.ownMailHeader ?? OWN_MAIL_HEADER;
  const ownAddresses = options.ownAddresses ?? [];

  return (message) => {
    const body = bodyOf(message, ownMailHeader, ownAddresses);
    const text = cleanText(body.text);
    const subject = message.subject ? cleanText(message.subject) : '';
    // the subject often says what and where ("Garbage near Kothrud depot"); the language is the body's
    const about = subject ? `${subject}\n${text}` : text;
    const contact = body.signature ? `${about}\n${cleanText(body.signature)}` : about;
    const links = extractLinks(about);
    const ward = matchWard(about);
    const outsideArea = matchOutside?.(about);
    const sharedPlace = matchShared?.(about);
    const place = extractPlace(text) ?? (ward ? undefined : sharedPlace?.matched);
    const rating = parseRating(text);
    const location = locationOf(message, about);
    const entities: Entities = {
      phones: extractPhones(contact),
      pinCodes: extractPinCodes(contact, prefix),
      ticketNumbers: extractTicketNumbers(about, prefix),
      ...(rating !== undefined ? { rating } : {}),
      ...(ward ? { ward } : {}),
      ...(outsideArea ? { outsideArea: { areaId: outsideArea.wardId, matched: outsideArea.matched } } : {}),
      ...(place ? { place } : {}),
      // a problem word inside a place's name is no problem: "नळ स्टॉप" (Nal Stop), "कोरेगाव पार्क"
      categories: matchCategories(about, spansOf(about, [ward?.matched, sharedPlace?.matched, outsideArea?.matched])),
      ...(location ? { location } : {}),
      ...links,
    };
    return {
      text,
      numeric: numericForm(text),
      language: detectLanguage(text || subject),
      entities,
      ...(body.automated ? { automated: body.automated } : {}),
      empty: text.length === 0 && !subject && message.attachments.length === 0 && !message.location,
    };
  };
}

/** where each name stands in `text`, every time it does */
function spansOf(text: string, names: readonly (string | undefined)[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const name of names) {
    if (!name) continue;
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) spans.push([at, at + name.length]);
  }
  return spans;
}

/** The normalizer without a gazetteer: language and entities, no ward or category hints (tests, tools). */
export const normalize: Normalize = createNormalizer();
