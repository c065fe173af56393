import type { Store } from '../store/store.ts';
import type { Messages, PublicContacts } from './messages.ts';
import type { Understander } from './understand/index.ts';

/** What the bot is built with: the store, its texts, the intent layer, and the few waits it keeps. */
export interface BotOptions {
  store: Store;
  messages: Messages;
  understander: Understander;
  now?: () => Date;
  /** after "हो, पाठवतो" the complaint waits this long for the photo (config bot.photoWaitMinutes) */
  photoWaitMs?: number;
  /** a photo sent this long after filing is added to the complaint (config bot.attachPhotosForHours) */
  attachPhotosMs?: number;
  /** the addresses the FAQ answers name (config publicContacts) */
  contacts?: PublicContacts;
  /** a rating below the running average reopens the resolved ticket too (config feedback.reopenBelowAverage) */
  reopenBelowAverage?: boolean;
  /** outside-area id → whose area it is, and where to complain there (config/outside-areas.yaml) */
  outsideAreas?: ReadonlyMap<string, { authority: Record<'en' | 'mr' | 'hi', string>; contact?: string | undefined }>;
}

export const DEFAULT_PHOTO_WAIT_MS = 15 * 60_000;
export const DEFAULT_ATTACH_PHOTOS_MS = 24 * 3_600_000;
