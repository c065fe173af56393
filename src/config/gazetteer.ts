/**
 * The staff-edited gazetteer: config/wards.yaml (PMC's ward offices and the places in them) and
 * config/categories.yaml (complaint categories and the words citizens use for them). Read, parsed and checked
 * here, so that a mistake stops the process with the file and the key to fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { matchTokens } from '../normalizer/match-key.ts';
import { ConfigError } from './load.ts';

/** "is missing" or "must be …", instead of zod's "expected string, received undefined" */
const needs = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? 'is missing' : `must be ${what}`) });

const Slug = z.string(needs('text')).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, like kothrud-bavdhan');
const Phrase = z
  .string(needs('text'))
  .trim()
  .min(1, 'must not be empty')
  .refine((s) => matchTokens(s).length > 0, 'has no letters or digits to match on');
const Phrases = z.array(Phrase, needs('a list, like [Kothrud, कोथरूड]')).default([]);

export const Ward = z
  .object({
    id: Slug,
    name: z.object({ en: Phrase, mr: Phrase }).strict(),
    /** true only when the Marathi name was seen in a Marathi source */
    mrVerified: z.boolean(needs('true or false')),
    /** names the office had before the 2017 reorganisation */
    formerNames: Phrases,
    /** other spellings of the name, its parts, short forms, in Latin and Devanagari */
    aliases: Phrases,
    /** well-known areas (peths, nagars, colonies) that belong to this ward office */
    localities: Phrases,
  })
  .strict();
export type Ward = z.infer<typeof Ward>;

const WardsFile = z
  .object({
    wards: z.array(Ward, needs('a list of ward offices')).min(1, 'must list at least one ward office'),
    /** places in PMC that no single ward office takes whole: a place, with no ward */
    sharedPlaces: Phrases,
  })
  .strict();

export const Category = z
  .object({
    id: Slug,
    /** the department code the router sends it to */
    department: z.string(needs('text')).regex(/^[A-Z][A-Z0-9_]*$/, 'must be a short code in capitals, like SWM or WATER'),
    name: z.object({ en: Phrase, mr: Phrase, hi: Phrase }).strict(),
    /** latn = Marathi or Hindi written in Latin letters */
    keywords: z.object({ en: Phrases, mr: Phrases, hi: Phrases, latn: Phrases }).strict(),
  })
  .strict();
export type Category = z.infer<typeof Category>;

/** A place that is not PMC's: a complaint there belongs to another body, which the bot names. */
export const OutsideArea = z
  .object({
    id: Slug,
    /** the body whose area it is, as the citizen reads it */
    authority: z.object({ en: Phrase, mr: Phrase, hi: Phrase }).strict(),
    /** where the citizen can complain there: a website or helpline, only a confirmed one */
    contact: z.string().trim().min(1).optional(),
    localities: z.array(Phrase).min(1, 'must list at least one place'),
  })
  .strict();
export type OutsideArea = z.infer<typeof OutsideArea>;

const OutsideAreasFile = z.object({ areas: z.array(OutsideArea, needs('a list of areas')) }).strict();

const CategoriesFile = z.object({ categories: z.array(Category, needs('a list of categories')).min(1, 'must list at least one category') }).strict();

type Issue = { path: (string | number)[]; message: string };

function fail(fileName: string, issues: readonly Issue[]): never {
  const lines = issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
  throw new ConfigError(`${fileName}: ${lines.join('; ')}`);
}

function parseDocument(text: string, fileName: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${fileName}: not valid YAML: ${(err as Error).message}`);
  }
}

function validate<T>(schema: z.ZodType<T>, doc: unknown, fileName: string): T {
  const parsed = schema.safeParse(doc ?? {});
  if (!parsed.success) fail(fileName, parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })));
  return parsed.data;
}

function duplicateIds(items: readonly { id: string }[], list: string): Issue[] {
  const seen = new Map<string, number>();
  const issues: Issue[] = [];
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first === undefined) seen.set(item.id, i);
    else issues.push({ path: [list, i, 'id'], message: `"${item.id}" is already the id of ${list}.${first}; ids must be unique` });
  });
  return issues;
}

interface Claim {
  owner: string;
  path: (string | number)[];
  written: string;
}

/**
 * Every phrase must lead to one owner (a ward, a category). A phrase is compared by its match keys, and a
 * phrase of several words also as one word, since the matcher finds "Karve Nagar" written "Karvenagar" too.
 */
function conflictingPhrases(phrases: Iterable<Claim>, ownerKind: string): Issue[] {
  const claims = new Map<string, Claim>();
  const issues: Issue[] = [];
  for (const claim of phrases) {
    const keys = matchTokens(claim.written).map((t) => t.key);
    const forms = keys.length > 1 ? [keys.join(' '), keys.join('')] : [keys.join(' ')];
    for (const form of forms) {
      const earlier = claims.get(form);
      if (earlier === undefined) claims.set(form, claim);
      else if (earlier.owner !== claim.owner) {
        issues.push({
          path: claim.path,
          message: `"${claim.written}" matches the same words as "${earlier.written}" of ${ownerKind} ${earlier.owner} (${earlier.path.join('.')}); keep it in one ${ownerKind} only`,
        });
        break;
      }
    }
  }
  return issues;
}

function* wardPhrases(wards: readonly Ward[]): Iterable<Claim> {
  for (const [i, w] of wards.entries()) {
    yield { owner: w.id, path: ['wards', i, 'name', 'en'], written: w.name.en };
    yield { owner: w.id, path: ['wards', i, 'name', 'mr'], written: w.name.mr };
    for (const field of ['aliases', 'formerNames', 'localities'] as const)
      for (const [j, written] of w[field].entries()) yield { owner: w.id, path: ['wards', i, field, j], written };
  }
}

function* categoryPhrases(categories: readonly Category[]): Iterable<Claim> {
  for (const [i, c] of categories.entries())
    for (const lang of ['en', 'mr', 'hi', 'latn'] as const)
      for (const [j, written] of c.keywords[lang].entries()) yield { owner: c.id, path: ['categories', i, 'keywords', lang, j], written };
}

/** Parses and checks the text of a wards file; `fileName` is only used in error messages. */
export function parseWards(text: string, fileName: string): Ward[] {
  return parseWardsFile(text, fileName).wards;
}

/** The wards and the shared places of a wards file; a shared place may not also be a ward's phrase. */
export function parseWardsFile(text: string, fileName: string): { wards: Ward[]; sharedPlaces: string[] } {
  const { wards, sharedPlaces } = validate(WardsFile, parseDocument(text, fileName), fileName);
  function* claims(): Iterable<Claim> {
    yield* wardPhrases(wards);
    for (const [i, written] of sharedPlaces.entries()) yield { owner: '(shared place)', path: ['sharedPlaces', i], written };
  }
  const issues = [...duplicateIds(wards, 'wards'), ...conflictingPhrases(claims(), 'ward')];
  if (issues.length > 0) fail(fileName, issues);
  return { wards, sharedPlaces };
}

/** Parses and checks the text of a categories file; `fileName` is only used in error messages. */
export function parseCategories(text: string, fileName: string): Category[] {
  const { categories } = validate(CategoriesFile, parseDocument(text, fileName), fileName);
  const issues: Issue[] = [...duplicateIds(categories, 'categories'), ...conflictingPhrases(categoryPhrases(categories), 'category')];
  categories.forEach((c, i) => {
    if (Object.values(c.keywords).every((list) => list.length === 0))
      issues.push({ path: ['categories', i, 'keywords'], message: 'needs at least one keyword in en, mr, hi or latn' });
  });
  if (issues.length > 0) fail(fileName, issues);
  return categories;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot be read: ${(err as Error).message}`);
  }
}

/** Parses an outside-areas file; a place that is also a PMC ward's phrase is refused (it would be both). */
export function parseOutsideAreas(text: string, fileName: string, wards: readonly Ward[] = []): OutsideArea[] {
  const { areas } = validate(OutsideAreasFile, parseDocument(text, fileName), fileName);
  function* claims(): Iterable<Claim> {
    yield* wardPhrases(wards);
    for (const [i, a] of areas.entries()) for (const [j, written] of a.localities.entries()) yield { owner: `outside:${a.id}`, path: ['areas', i, 'localities', j], written };
  }
  const issues = [...duplicateIds(areas, 'areas'), ...conflictingPhrases(claims(), 'ward or area')];
  if (issues.length > 0) fail(fileName, issues);
  return areas;
}

export function loadWards(path: string): Ward[] {
  return parseWards(readText(path), path);
}

export function loadCategories(path: string): Category[] {
  return parseCategories(readText(path), path);
}

export interface Gazetteer {
  wards: Ward[];
  categories: Category[];
  /** places that are not PMC's (config/outside-areas.yaml) */
  outsideAreas: OutsideArea[];
  /** places in PMC no single ward office takes whole (wards.yaml sharedPlaces) */
  sharedPlaces: string[];
  /** one line per file for the start banner: what was read, or why nothing was */
  summary: string[];
}

/**
 * wards.yaml and categories.yaml from the config folder. A missing file only turns its hints off (the bridge
 * still files complaints, without a ward or category guess); a file with a mistake stops the start.
 */
export function loadGazetteer(dir: string): Gazetteer {
  const wardsFile = join(dir, 'wards.yaml');
  const categoriesFile = join(dir, 'categories.yaml');
  const outsideFile = join(dir, 'outside-areas.yaml');
  const { wards, sharedPlaces } = existsSync(wardsFile) ? parseWardsFile(readText(wardsFile), wardsFile) : { wards: [], sharedPlaces: [] };
  const categories = existsSync(categoriesFile) ? loadCategories(categoriesFile) : [];
  const outsideAreas = existsSync(outsideFile) ? parseOutsideAreas(readText(outsideFile), outsideFile, wards) : [];
  return {
    wards,
    categories,
    outsideAreas,
    sharedPlaces,
    summary: [
      existsSync(wardsFile) ? `${wards.length} ward offices (${wardsFile})` : `no ward offices: ${wardsFile} not found`,
      existsSync(categoriesFile) ? `${categories.length} categories (${categoriesFile})` : `no categories: ${categoriesFile} not found`,
      existsSync(outsideFile) ? `${outsideAreas.length} areas that are not PMC's (${outsideFile})` : `no areas outside PMC: ${outsideFile} not found`,
    ],
  };
}
