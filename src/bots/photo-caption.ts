import type { Attachment } from '../model/index.ts';
import type { NormalizedMessage } from '../normalizer/index.ts';
import { foldedWords, matchTokens } from '../normalizer/match-key.ts';
import { imagesOf } from './photos.ts';
import type { Intent, Understanding } from './understand/index.ts';

// a caption this short says what the photo shows at most: "हे बघा", "see this", "ये देखिए", "काय चाललंय हे"
const CAPTION_WORDS = 5;
// what a few words beside a photo are read as when they ask nothing of the bot: a greeting, thanks, chatter, a
// swear word, or words about the photo itself ("photo", "हे घ्या" read as a promise of one, or as none)
const SAYS_LITTLE: ReadonlySet<Intent> = new Set(['greeting', 'thanks', 'off_topic', 'abuse', 'photo_promise', 'no_photo']);
// "हे बघा", "see this" are near enough to "cancel" for the classifier: only a plain one drops anything
const CANCEL_SURE = 0.8;
// words that only point at the photo, whatever the classifier makes of them ("look at this please" reads as a complaint)
const POINTING = foldedWords(
  'हे हा ही बघा बघ पहा पाहा बघाना इथे येथे फोटो साहेब कृपया जरा ये यह देखो देखिए देखें देख यहाँ यहां इसे इसको जी ' +
    'see look check at this that it here please pls plz kindly photo pic picture image the out sir madam ' +
    'bagha baga paha pahaa he ithe dekho dekhiye dekh ye yeh yaha yahan ise isko ji',
);

/**
 * A photo with a short caption that asks nothing of the bot is a complaint, as a photo alone is: the intake keeps
 * the photo and asks what is wrong and where, and a photo soon after a filed complaint is added to it. Answered as thanks
 * or "not understood", the photo was lost, and the citizen was later asked for the photo they had sent. A caption
 * that asks something (status, a language, a question, a plain cancel, a rating) is still answered as such.
 */
export function readWithPhoto(u: Understanding, normalized: NormalizedMessage, attachments: readonly Attachment[]): Understanding {
  // most turns bring no photo: they are not cut into words again
  if (imagesOf(attachments).length === 0) return u;
  const words = matchTokens(normalized.text);
  if (words.length > CAPTION_WORDS) return u;
  const pointing = words.length > 0 && words.every((w) => POINTING.has(w.key));
  const saysLittle = pointing || SAYS_LITTLE.has(u.intent) || (u.intent === 'cancel' && u.confidence < CANCEL_SURE);
  return saysLittle ? { ...u, intent: 'complaint', confidence: 1, photoCaption: true } : u;
}
