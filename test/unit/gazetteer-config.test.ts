import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCategories, loadWards, parseCategories, parseWards } from '../../src/config/gazetteer.ts';
import { ConfigError } from '../../src/config/load.ts';

const FILE = 'config/wards.yaml';

function wardsYaml(...entries: string[]): string {
  return `wards:\n${entries.join('\n')}\n`;
}

function ward(id: string, en: string, mr: string, aliases: string[] = [], extra = ''): string {
  return [
    `  - id: ${id}`,
    `    name: { en: ${en}, mr: ${mr} }`,
    `    mrVerified: false`,
    `    aliases: [${aliases.join(', ')}]`,
    ...(extra ? [extra] : []),
  ].join('\n');
}

/** the error a parse throws, so its class and message can both be checked */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('the shipped config/wards.yaml', () => {
  const wards = loadWards('config/wards.yaml');

  it("lists PMC's 15 ward offices once each, with English and Marathi names", () => {
    expect(wards).toHaveLength(15);
    expect(new Set(wards.map((w) => w.id)).size).toBe(15);
    expect(wards.map((w) => w.name.en)).toContain('Kothrud-Bavdhan');
    expect(wards.map((w) => w.name.en)).toContain('Yerawada-Kalas-Dhanori');
    for (const w of wards) {
      expect(w.name.mr).toMatch(/\p{Script=Devanagari}/u);
      expect(w.aliases.length).toBeGreaterThan(0);
    }
  });

  it('marks only the Marathi name the source attests (Sinhagad Road) as verified', () => {
    expect(wards.filter((w) => w.mrVerified).map((w) => w.id)).toEqual(['sinhagad-road']);
    expect(wards.find((w) => w.id === 'sinhagad-road')?.name.mr).toBe('सिंहगड रोड');
  });

  it('keeps the 2012–16 office names, Tilak Road included', () => {
    const former = wards.flatMap((w) => w.formerNames);
    for (const name of ['Aundh', 'Ghole Road', 'Nagar Road', 'Yerawada Sangamwadi', 'Kondhwa Wanavdi', 'Tilak Road']) expect(former).toContain(name);
  });
});

describe('the shipped config/categories.yaml', () => {
  const categories = loadCategories('config/categories.yaml');

  it('has 12–20 categories with a department and names in mr, hi and en', () => {
    expect(categories.length).toBeGreaterThanOrEqual(12);
    expect(categories.length).toBeLessThanOrEqual(20);
    const departments = new Set(categories.map((c) => c.department));
    for (const d of ['SWM', 'WATER', 'DRAINAGE', 'ROADS', 'ELECTRICAL', 'ENCROACHMENT', 'GARDEN', 'HEALTH', 'BUILDING']) expect(departments).toContain(d);
  });

  it('gives every category keywords in Marathi, English and romanised spelling', () => {
    for (const c of categories) {
      expect(c.keywords.mr.length, c.id).toBeGreaterThan(0);
      expect(c.keywords.en.length, c.id).toBeGreaterThan(0);
      expect(c.keywords.latn.length, c.id).toBeGreaterThan(0);
    }
    const garbage = categories.find((c) => c.id === 'garbage')!;
    expect(garbage.keywords.mr).toEqual(expect.arrayContaining(['कचरा', 'कचऱ्याचा', 'कचऱ्याचे']));
    expect(garbage.keywords.hi).toContain('कूड़ा');
    expect(garbage.keywords.latn).toEqual(expect.arrayContaining(['kachra', 'kachara']));
  });
});

describe('parseWards', () => {
  it('accepts a minimal file and fills the optional lists', () => {
    const wards = parseWards(wardsYaml(ward('kothrud-bavdhan', 'Kothrud-Bavdhan', 'कोथरूड-बावधन', ['Kothrud'])), FILE);
    expect(wards).toEqual([
      { id: 'kothrud-bavdhan', name: { en: 'Kothrud-Bavdhan', mr: 'कोथरूड-बावधन' }, mrVerified: false, aliases: ['Kothrud'], formerNames: [], localities: [] },
    ]);
  });

  it('names the file and the key of a misspelt field', () => {
    const err = errorOf(() => parseWards(wardsYaml(ward('kothrud', 'Kothrud', 'कोथरूड', [], '    alias: [Kothroad]')), FILE));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('config/wards.yaml');
    expect(err.message).toMatch(/wards\.0.*alias/);
  });

  it('names the missing field', () => {
    const yaml = 'wards:\n  - id: kothrud\n    name: { en: Kothrud, mr: कोथरूड }\n';
    expect(() => parseWards(yaml, FILE)).toThrow(/config\/wards\.yaml: .*wards\.0\.mrVerified/);
  });

  it('says what a ward id must look like', () => {
    expect(() => parseWards(wardsYaml(ward('Kothrud Bavdhan', 'Kothrud', 'कोथरूड')), FILE)).toThrow(/wards\.0\.id: must be lower-case words joined by hyphens/);
  });

  it('rejects a phrase with nothing to match on', () => {
    expect(() => parseWards(wardsYaml(ward('kothrud', 'Kothrud', 'कोथरूड', ['"—"'])), FILE)).toThrow(/wards\.0\.aliases\.0: has no letters or digits/);
  });

  it('rejects a duplicate id, naming both entries', () => {
    const yaml = wardsYaml(ward('kothrud', 'Kothrud', 'कोथरूड'), ward('kothrud', 'Baner', 'बाणेर'));
    expect(() => parseWards(yaml, FILE)).toThrow(/wards\.1\.id: "kothrud" is already the id of wards\.0/);
  });

  it('rejects an alias claimed by two wards, even spelt differently', () => {
    const latin = wardsYaml(ward('kothrud-bavdhan', 'Kothrud-Bavdhan', 'कोथरूड-बावधन', ['Kothrud']), ward('warje', 'Warje', 'वारजे', ['KOTHRUD']));
    const err = errorOf(() => parseWards(latin, FILE));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('wards.1.aliases.0');
    expect(err.message).toContain('ward kothrud-bavdhan (wards.0.aliases.0)');

    // the long and short u signs are one spelling to the matcher, so they are one claim too
    const devanagari = wardsYaml(ward('kothrud-bavdhan', 'Kothrud-Bavdhan', 'कोथरूड-बावधन', ['कोथरूड']), ward('warje', 'Warje', 'वारजे', ['कोथरुड']));
    expect(() => parseWards(devanagari, FILE)).toThrow(/wards\.1\.aliases\.0: "कोथरुड" matches the same words as "कोथरूड"/);
  });

  it('rejects a place written as one word in one ward and as two in another', () => {
    const yaml = wardsYaml(ward('warje-karvenagar', 'Warje-Karvenagar', 'वारजे-कर्वेनगर', ['Karve Nagar']), ward('kothrud', 'Kothrud', 'कोथरूड', ['Karvenagar']));
    expect(() => parseWards(yaml, FILE)).toThrow(/wards\.1\.aliases\.0: "Karvenagar" matches the same words as "Karve Nagar"/);
  });

  it('allows the same phrase twice within one ward', () => {
    const yaml = wardsYaml(ward('aundh-baner', 'Aundh-Baner', 'औंध-बाणेर', ['Aundh'], '    formerNames: [Aundh]'));
    expect(parseWards(yaml, FILE)[0]!.formerNames).toEqual(['Aundh']);
  });

  it('reports broken YAML with the file name', () => {
    expect(() => parseWards('wards:\n  - id: [unclosed\n', FILE)).toThrow(/config\/wards\.yaml: not valid YAML/);
  });

  it('reports an empty file as a missing wards list', () => {
    expect(() => parseWards('', FILE)).toThrow(/config\/wards\.yaml: wards: /);
  });
});

describe('parseCategories', () => {
  const category = (id: string, department: string, keywords: string) =>
    `  - id: ${id}\n    department: ${department}\n    name: { en: X, mr: क्ष, hi: क्ष }\n    keywords: ${keywords}`;

  it('accepts a category with keywords in any of the four lists', () => {
    const [garbage] = parseCategories(`categories:\n${category('garbage', 'SWM', '{ latn: [kachra] }')}\n`, 'categories.yaml');
    expect(garbage!.keywords).toEqual({ en: [], mr: [], hi: [], latn: ['kachra'] });
  });

  it('rejects a keyword listed under two categories', () => {
    const yaml = `categories:\n${category('garbage', 'SWM', '{ mr: [कचरा] }')}\n${category('roads', 'ROADS', '{ hi: [कचरा] }')}\n`;
    expect(() => parseCategories(yaml, 'categories.yaml')).toThrow(/categories\.yaml: categories\.1\.keywords\.hi\.0: "कचरा" .* category garbage/);
  });

  it('rejects a category with no keywords', () => {
    const yaml = `categories:\n${category('garbage', 'SWM', '{}')}\n`;
    expect(() => parseCategories(yaml, 'categories.yaml')).toThrow(/categories\.0\.keywords: needs at least one keyword/);
  });

  it('says what a department code must look like', () => {
    const yaml = `categories:\n${category('garbage', 'swm', '{ en: [garbage] }')}\n`;
    expect(() => parseCategories(yaml, 'categories.yaml')).toThrow(/categories\.0\.department: must be a short code in capitals/);
  });

  it('rejects an unknown keyword language', () => {
    const yaml = `categories:\n${category('garbage', 'SWM', '{ gu: [કચરો] }')}\n`;
    expect(() => parseCategories(yaml, 'categories.yaml')).toThrow(/categories\.0\.keywords.*gu/);
  });
});

describe('loadWards / loadCategories', () => {
  it('name the path of a file that cannot be read', () => {
    const missing = join(tmpdir(), 'no-such-dir-pmc', 'wards.yaml');
    const err = errorOf(() => loadWards(missing));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(missing);
  });

  it('read and check a file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazetteer-'));
    const file = join(dir, 'categories.yaml');
    writeFileSync(file, 'categories:\n  - id: water\n    department: WATER\n    name: { en: Water, mr: पाणी, hi: पानी }\n    keywords: { mr: [पाणी] }\n');
    expect(loadCategories(file).map((c) => c.id)).toEqual(['water']);
    writeFileSync(file, 'categories:\n  - id: water\n');
    expect(() => loadCategories(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: categories\\.0\\.department`));
  });
});
