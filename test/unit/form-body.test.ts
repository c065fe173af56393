import { describe, expect, it } from 'vitest';
import { BadBodyError, MOST_FORM_FIELDS, parseForm } from '../../src/http/form-body.ts';
import { checkJsonShape, MOST_JSON_DEPTH } from '../../src/http/json-shape.ts';

const refusal = (f: () => unknown): BadBodyError => {
  try {
    f();
  } catch (err) {
    return err as BadBodyError;
  }
  throw new Error('expected a refusal');
};

describe('parseForm', () => {
  it('keeps every value of a repeated key, in order, and decodes Devanagari', () => {
    const form = parseForm('Body=%E0%A4%95%E0%A4%9A%E0%A4%B0%E0%A4%BE&Digits=1&Digits=2&Digits=3');
    expect(form.Body).toBe('कचरा');
    expect(form.Digits).toEqual(['1', '2', '3']);
  });

  it('takes as many fields as a webhook could have, and refuses one more with 413 before decoding any', () => {
    const most = Array.from({ length: MOST_FORM_FIELDS }, (_, i) => `k${i}=v`).join('&');
    expect(Object.keys(parseForm(most))).toHaveLength(MOST_FORM_FIELDS);
    // a 64 KB body of one key repeated 32,000 times: refused by counting, not by parsing
    const err = refusal(() => parseForm('a&'.repeat(32_000)));
    expect(err).toBeInstanceOf(BadBodyError);
    expect(err.statusCode).toBe(413);
    expect(refusal(() => parseForm(`${most}&one=more`)).statusCode).toBe(413);
  });

  it('reads a repeated key linearly: its values are appended, never copied', () => {
    const form = parseForm(Array.from({ length: MOST_FORM_FIELDS }, (_, i) => `a=${i}`).join('&'));
    expect(form.a).toHaveLength(MOST_FORM_FIELDS);
    expect((form.a as string[])[MOST_FORM_FIELDS - 1]).toBe(String(MOST_FORM_FIELDS - 1));
  });

  it('reads keys named like JavaScript built-ins as plain keys, __proto__ too', () => {
    const form = parseForm('toString=1&constructor=2&hasOwnProperty=3&valueOf=4&__proto__=5&toString=6');
    expect(form.toString).toEqual(['1', '6']);
    expect({ ...form }).toEqual({ toString: ['1', '6'], constructor: '2', hasOwnProperty: '3', valueOf: '4', ['__proto__']: '5' });
    expect(Object.getPrototypeOf(form)).toBeNull();
  });
});

describe('checkJsonShape', () => {
  it('passes a Messenger-like batch and refuses nesting deeper than any channel sends', () => {
    const batch = JSON.stringify({ object: 'page', entry: [{ id: '1', messaging: [{ sender: { id: '2' }, message: { text: 'कचरा [नाही] {आहे}', quick_reply: { payload: 'x' } } }] }] });
    expect(checkJsonShape(batch)).toBeUndefined();
    expect(checkJsonShape('['.repeat(MOST_JSON_DEPTH) + ']'.repeat(MOST_JSON_DEPTH))).toBeUndefined();
    expect(checkJsonShape('['.repeat(MOST_JSON_DEPTH + 1))).toMatch(/deeper than 64/);
    expect(checkJsonShape('{"a":'.repeat(10_000))).toMatch(/deeper/);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(checkJsonShape(JSON.stringify({ text: '['.repeat(500) + '\\"' + '{'.repeat(500) }))).toBeUndefined();
  });

  it('refuses a body of more values than a webhook holds', () => {
    expect(checkJsonShape('[' + '0,'.repeat(60_000) + '0]')).toMatch(/more than/);
  });
});
