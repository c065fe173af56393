import { isMessageKey, placeholderProblems, type Messages, type MessageTexts } from '../bots/messages.ts';
import type { Language } from '../model/index.ts';

type Records = { id: string; data: unknown }[];

/**
 * Puts the reply texts and department names staff saved into the messages every part of the bridge reads, and
 * brings back the file's text where staff deleted theirs. The objects are changed in place: the bot, the
 * pipeline and the renderers hold them, and the next message reads the new words.
 */
export function textOverlay(messages: Messages): (texts: Records, departments: Records) => void {
  const baseline = structuredClone(messages) as Record<Language, MessageTexts>;
  return (texts, departments) => {
    for (const lang of ['mr', 'hi', 'en'] as const) {
      const target = messages[lang] as Record<string, unknown> & MessageTexts;
      for (const [k, v] of Object.entries(baseline[lang])) if (typeof v === 'string') target[k] = v;
      target.departments = { ...baseline[lang].departments };
    }
    for (const { data } of texts) {
      const t = data as { lang?: Language; key?: string; text?: string };
      // checked when saved; checked again, so a record written by another program cannot put "{ticketNo" before a citizen
      if (!t.lang || !(t.lang in messages) || !t.key || typeof t.text !== 'string' || !isMessageKey(t.key) || placeholderProblems(t.key, t.text).length > 0) continue;
      (messages[t.lang] as Record<string, unknown>)[t.key] = t.text;
    }
    for (const { data } of departments) {
      const d = data as { id?: string; name?: Partial<Record<Language, string>> };
      if (!d.id || !d.name) continue;
      for (const lang of ['mr', 'hi', 'en'] as const) {
        const name = d.name[lang];
        if (name) (messages[lang].departments as Record<string, string>)[d.id] = name;
      }
    }
  };
}
