// The language detectors compared side by side, each reduced to the same five answers.
import { franc } from 'franc';
import { detectLanguage } from '../src/normalizer/language.ts';

/** A detector's answer: one of our languages, "no idea" (und), or some other language. */
export type Predicted = 'mr' | 'hi' | 'en' | 'und' | 'other';

export const DETECTOR_IDS = ['ours', 'franc', 'franc-only', 'eld'] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

export interface Detector {
  id: DetectorId;
  /** what it is, for the report */
  label: string;
  detect: (text: string) => Predicted;
}

const FRANC_CODES: Record<string, Predicted> = { mar: 'mr', hin: 'hi', eng: 'en', und: 'und' };
const ELD_CODES: Record<string, Predicted> = { mr: 'mr', hi: 'hi', en: 'en', '': 'und' };
// the same minimum for both franc runs, so the only difference between them is the language list
const FRANC_ALL = { minLength: 3 };
const FRANC_ONLY = { only: ['mar', 'hin', 'eng'], minLength: 3 };

/** Loads one detector; eld's n-gram table is big, so it is only imported when asked for. */
export async function loadDetector(id: DetectorId): Promise<Detector> {
  switch (id) {
    case 'ours':
      return { id, label: 'ours (src/normalizer/language.ts detectLanguage)', detect: (text) => detectLanguage(text).lang };
    case 'franc':
      return { id, label: 'franc 6, all languages, minLength 3', detect: (text) => FRANC_CODES[franc(text, FRANC_ALL)] ?? 'other' };
    case 'franc-only':
      return { id, label: "franc 6, only ['mar','hin','eng'], minLength 3", detect: (text) => FRANC_CODES[franc(text, FRANC_ONLY)] ?? 'other' };
    case 'eld': {
      // the large table: the most accurate of eld's sizes, at about the speed of the medium one once loaded
      const { eld } = await import('eld/large');
      return { id, label: 'eld 2, large n-gram table, all 60 languages', detect: (text) => ELD_CODES[eld.detect(text).language] ?? 'other' };
    }
  }
}

export function isDetectorId(s: string): s is DetectorId {
  return (DETECTOR_IDS as readonly string[]).includes(s);
}
