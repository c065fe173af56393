import { mkdtempSync, rmSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { departmentName, loadMessages, parseMessages, say, type MessageKey } from '../../src/bots/messages.ts';
import { ConfigError } from '../../src/config/load.ts';
import { segmentCount } from '../../src/render/sms-segments.ts';
import { detectLanguage } from '../../src/normalizer/language.ts';
import { ROOT } from '../support/bridge-process.ts';

const DIR = join(ROOT, 'config', 'messages');
const messages = loadMessages(DIR);
const VALUES = {
  ticketNo: 'PMC123456',
  department: 'Solid Waste Management',
  dueDate: '30 November 2026',
  date: '30 November 2026',
  status: 'work in progress',
  here: '',
  // names, as written: the detector must read the text around them
  place: 'Kothrud',
  authority: 'PCMC',
  contact: 'https://www.pcmcindia.gov.in',
  // an officer's words, in whatever language they wrote: the lines that carry them are mostly the value
  note: 'Garbage lifted on 30/11, area cleaned and disinfected',
  reason: 'This is a private plot; the owner has been notified',
};
// texts that are mostly a value the citizen or the config gave: their language is the value's
const MOSTLY_VALUES = new Set(['askWhatAt', 'outsideContact', 'department', 'statusDone', 'statusNote', 'statusReason']);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the shipped texts (config/messages)', () => {
  it('are written in the language of their file', () => {
    for (const lang of ['mr', 'hi', 'en'] as const) {
      const texts = messages[lang];
      for (const key of Object.keys(texts) as (MessageKey | 'statuses' | 'departments' | 'faq' | 'here')[]) {
        if (key === 'statuses' || key === 'departments' || key === 'faq' || key === 'here' || key === 'yes' || key === 'no' || MOSTLY_VALUES.has(key)) continue;
        const said = say(messages, lang, key, { ...VALUES, here: texts.here.sms });
        expect(detectLanguage(said).lang, `${lang}.${key}: ${said}`).toBe(lang);
      }
      for (const [channel, here] of Object.entries(texts.here)) expect(detectLanguage(here).lang, `${lang}.here.${channel}: ${here}`).toBe(lang);
    }
  });

  it('fit in two SMS parts with the values filled in', () => {
    for (const lang of ['mr', 'hi', 'en'] as const) {
      const longest = Object.values(messages[lang].departments).sort((a, b) => b.length - a.length)[0] ?? VALUES.department;
      const longestHere = Object.values(messages[lang].here).sort((a, b) => b.length - a.length)[0]!;
      for (const key of Object.keys(messages[lang]) as (MessageKey | 'statuses' | 'departments' | 'faq' | 'here')[]) {
        if (key === 'statuses' || key === 'departments' || key === 'faq' || key === 'here') continue;
        const said = say(messages, lang, key, { ...VALUES, department: longest, here: longestHere });
        expect(segmentCount(said), `${lang}.${key}: ${said}`).toBeLessThanOrEqual(2);
      }
      // a confirmation with its department line, as it is sent
      const filed = `${say(messages, lang, 'filed', VALUES)} ${say(messages, lang, 'department', { department: longest })}`;
      expect(segmentCount(filed), `${lang}.filed + department: ${filed}`).toBeLessThanOrEqual(2);
    }
  });

  it('name every department a category routes to, in each language', () => {
    const codes = [...readFileSync(join(ROOT, 'config', 'categories.yaml'), 'utf8').matchAll(/department: (\w+)/g)].map((m) => m[1]!);
    for (const lang of ['mr', 'hi', 'en'] as const) {
      for (const code of [...codes, 'call-centre']) expect(departmentName(messages, lang, code), `${lang} ${code}`).not.toBe(code);
    }
    expect(departmentName(messages, 'mr', 'NEW-DEPT')).toBe('NEW-DEPT');
  });

  it('answer the same FAQ questions in every language, each answer in its language and in two SMS parts', () => {
    const ids = Object.keys(messages.mr.faq);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    for (const lang of ['mr', 'hi', 'en'] as const) {
      expect(Object.keys(messages[lang].faq)).toEqual(ids);
      for (const [id, { answer }] of Object.entries(messages[lang].faq)) {
        const said = answer.replace('{email}', 'complaints@pmc.example.in');
        expect(detectLanguage(said).lang, `${lang}.faq.${id}: ${said}`).toBe(lang);
        expect(segmentCount(said), `${lang}.faq.${id}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it('put the ticket number in every text that confirms or reports a complaint', () => {
    for (const lang of ['mr', 'hi', 'en'] as const) {
      for (const key of ['filed', 'status', 'askRating'] as const) expect(say(messages, lang, key, VALUES)).toContain('PMC123456');
    }
  });
});

describe('loading texts', () => {
  const withFile = (lang: string, edit: (source: string) => string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-messages-'));
    dirs.push(dir);
    for (const l of ['mr', 'hi', 'en']) copyFileSync(join(DIR, `${l}.yaml`), join(dir, `${l}.yaml`));
    writeFileSync(join(dir, `${lang}.yaml`), edit(readFileSync(join(DIR, `${lang}.yaml`), 'utf8')));
    return dir;
  };

  it('names the file and key of a text that lost its ticket number, or uses an unknown placeholder', () => {
    const lost = withFile('mr', (s) => s.replace('तक्रार क्रमांक: {ticketNo}.', 'तक्रार नोंदवली.'));
    expect(() => loadMessages(lost)).toThrow(/mr\.yaml: filed: must contain \{ticketNo\}/);
    const unknown = withFile('hi', (s) => s.replace('{department}', '{vibhag}'));
    expect(() => loadMessages(unknown)).toThrow(/hi\.yaml: department: unknown placeholder \{vibhag\}/);
    const faq = withFile('en', (s) => s.replace('to {email}:', 'to {mail}:'));
    expect(() => loadMessages(faq)).toThrow(/en\.yaml: faq\.email\.answer: unknown placeholder \{mail\}/);
  });

  it('refuses a missing text, a misspelt key, a missing status and a missing language', () => {
    expect(() => parseMessages('greeting: "hi"', 'x.yaml')).toThrow(ConfigError);
    const typo = withFile('en', (s) => s.replace('askWhere:', 'askWehre:'));
    expect(() => loadMessages(typo)).toThrow(/en\.yaml: .*askWhere/);
    const status = withFile('en', (s) => s.replace(/ {2}reopened: .*\n/, ''));
    expect(() => loadMessages(status)).toThrow(/statuses\.reopened/);
    const dir = withFile('en', (s) => s);
    rmSync(join(dir, 'hi.yaml'));
    expect(() => loadMessages(dir)).toThrow(/hi\.yaml not found/);
  });

  it('names the file and the FAQ entry that one language lacks', () => {
    const lacking = withFile('hi', (s) => s.replace(/ {2}lokshahi:\n(?: {4}.*\n)+/u, ''));
    expect(() => loadMessages(lacking)).toThrow(/hi\.yaml: faq lacks lokshahi/);
  });

  it('say() fills placeholders and refuses to send a text with one left empty', () => {
    expect(say(messages, 'en', 'askRating', { ticketNo: 'PMC10001' })).toContain('Complaint PMC10001 has been resolved');
    expect(() => say(messages, 'mr', 'filed', { ticketNo: 'PMC10001' })).toThrow(/mr\.filed needs \{dueDate\}/);
  });
});
