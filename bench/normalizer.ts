// The normalizer's throughput on SMS-sized complaints: the whole `normalize`, and language detection alone.
import { franc } from 'franc';
import { InboundMessage, type Channel } from '../src/model/index.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGazetteer } from '../src/config/gazetteer.ts';
import { createNormalizer } from '../src/normalizer/index.ts';
import { detectLanguage } from '../src/normalizer/language.ts';

/** One SMS worth of text: what most complaints are, and what the 20,000 msgs/s target is stated for. */
const MESSAGE_CHARS = 160;

// Synthetic complaints written for this bench (not taken from any corpus). Each opener carries a ward, a
// phone number, a PIN code, an emoji and a URL, so every entity pass has something to find; fillers pad to 160.
const OPENERS: Record<'mr' | 'hi' | 'en' | 'mr-Latn', string[]> = {
  mr: [
    '{ward} भागात दोन दिवसांपासून पाणी आले नाही {emoji} संपर्क {phone}, पिन {pin}. फोटो {url} ',
    'आमच्या गल्लीतील कचरा उचलला गेला नाही, {ward} पिन {pin} {emoji} कृपया {phone} वर कळवा {url} ',
    '{ward} येथील पथदिवा बंद आहे {emoji} रात्री अंधार असतो. मोबाईल {phone} पिनकोड {pin} {url} ',
  ],
  hi: [
    '{ward} में दो दिन से पानी नहीं आया {emoji} संपर्क {phone}, पिन {pin}. फोटो {url} ',
    'हमारी गली का कचरा नहीं उठाया गया, {ward} पिन {pin} {emoji} कृपया {phone} पर बताएं {url} ',
    '{ward} की सड़क पर बड़ा गड्ढा है {emoji} मोबाइल {phone} पिनकोड {pin} देखें {url} ',
  ],
  en: [
    'No water supply in {ward} for two days {emoji} call {phone}, PIN {pin}. Photo: {url} ',
    'Garbage not collected in our lane, {ward} {pin} {emoji} please update me on {phone} {url} ',
    'Streetlight not working near {ward} bus stop {emoji} mobile {phone} pincode {pin} see {url} ',
  ],
  'mr-Latn': [
    '{ward} madhe don divsapasun pani ala nahi {emoji} sampark {phone}, pin {pin}. photo {url} ',
    'amchya gallitla kachra uchlla nahi, {ward} pin {pin} {emoji} krupaya {phone} var kalva {url} ',
    '{ward} road var motha khadda ahe {emoji} mobile {phone} pincode {pin} bagha {url} ',
  ],
};
const FILLERS: Record<keyof typeof OPENERS, string[]> = {
  mr: ['कृपया लवकरात लवकर कारवाई करावी. ', 'लहान मुलांना आणि वृद्धांना खूप त्रास होत आहे. ', 'याआधीही तक्रार केली होती पण काहीच झाले नाही. '],
  hi: ['कृपया जल्द से जल्द कार्रवाई करें। ', 'बच्चों और बुजुर्गों को बहुत परेशानी हो रही है। ', 'पहले भी शिकायत की थी लेकिन कुछ नहीं हुआ। '],
  en: ['Please take action as soon as possible. ', 'Children and elderly people are facing a lot of trouble. ', 'I complained earlier too but nothing happened. '],
  'mr-Latn': ['lavkar karvai kara please. ', 'lahan mulanna ani mothya lokanna khup tras hotoy. ', 'aadhi pan complaint keli hoti pan kahich zala nahi. '],
};
const WARDS = {
  deva: ['कोथरूड', 'हडपसर', 'औंध', 'बिबवेवाडी', 'सिंहगड रोड', 'भवानी पेठ', 'येरवडा', 'वारजे'],
  latn: ['Kothrud', 'Hadapsar', 'Aundh', 'Bibwewadi', 'Sinhagad Road', 'Bhavani Peth', 'Yerawada', 'Warje'],
};
const EMOJI = ['🙏', '😡', '🚰', '🗑️', '💡', '⚠️'];
const PHONES = ['9876543210', '+91 98220 12345', '020-25501234', '98 23 45 67 89'];
const CHANNELS: Channel[] = ['sms', 'facebook', 'twitter', 'email', 'lokshahi', 'webchat'];

/** A small seeded PRNG (mulberry32): the same messages on every run, so figures compare across runs. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` valid InboundMessages whose text is exactly 160 characters (code points), mixed over the four kinds. */
export function benchMessages(n = 10_000, seed = 20240601): InboundMessage[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const kinds = Object.keys(OPENERS) as (keyof typeof OPENERS)[];
  const received = Date.parse('2025-01-15T09:00:00+05:30');
  return Array.from({ length: n }, (_, i) => {
    const kind = kinds[i % kinds.length]!;
    let text = pick(OPENERS[kind])
      .replace('{ward}', pick(kind === 'mr' || kind === 'hi' ? WARDS.deva : WARDS.latn))
      .replace('{phone}', pick(PHONES))
      .replace('{pin}', `4110${String(1 + Math.floor(random() * 62)).padStart(2, '0')}`)
      .replace('{emoji}', pick(EMOJI))
      .replace('{url}', `https://pmc.gov.in/c/${(i * 7919).toString(36)}`);
    while ([...text].length < MESSAGE_CHARS) text += pick(FILLERS[kind]);
    const phone = `+9198${String(10_000_000 + i).padStart(8, '0')}`;
    return InboundMessage.parse({
      channel: CHANNELS[i % CHANNELS.length],
      accountId: 'bench',
      externalId: `bench-${i}`,
      threadKey: phone,
      sender: { id: phone, phone },
      receivedAt: new Date(received + i * 1000).toISOString(),
      text: [...text].slice(0, MESSAGE_CHARS).join(''),
      attachments: [],
      raw: { bench: i },
    });
  });
}

export interface Rate {
  msgsPerSec: number;
  usPerMsg: number;
}

/**
 * Runs `fn` over the items, pass after pass, for about `seconds` after a one-second warm-up, on this thread
 * (one core). `sink` keeps each result observably used so the JIT cannot drop the work.
 */
function measure<T>(items: readonly T[], fn: (item: T) => unknown, seconds: number): Rate {
  let sink = 0;
  const run = (until: number): number => {
    let done = 0;
    while (performance.now() < until) {
      for (const item of items) if (fn(item) !== undefined) sink++;
      done += items.length;
    }
    return done;
  };
  run(performance.now() + 1000);
  const start = performance.now();
  const done = run(start + seconds * 1000);
  const elapsed = (performance.now() - start) / 1000;
  if (sink < 0) throw new Error('unreachable: keeps `sink` alive');
  return { msgsPerSec: done / elapsed, usPerMsg: (elapsed * 1e6) / done };
}

const FRANC_ONLY = { only: ['mar', 'hin', 'eng'], minLength: 3 };

/** The normalizer as the bridge builds it: with the shipped wards.yaml and categories.yaml. */
function shippedNormalizer(): ReturnType<typeof createNormalizer> {
  const { wards, categories } = loadGazetteer(join(fileURLToPath(new URL('..', import.meta.url)), 'config'));
  return createNormalizer({ wards, categories, ticketPrefix: 'PMC' });
}

/** normalize() on 10k synthetic 160-character complaints, then detectLanguage and franc restricted alone. */
export function benchNormalizer(seconds = 3): { messages: number; normalize: Rate; detectLanguage: Rate; francOnly: Rate } {
  const messages = benchMessages();
  const texts = messages.map((m) => m.text);
  return {
    messages: messages.length,
    normalize: measure(messages, shippedNormalizer(), seconds),
    detectLanguage: measure(texts, detectLanguage, seconds),
    francOnly: measure(texts, (t) => franc(t, FRANC_ONLY), seconds),
  };
}
