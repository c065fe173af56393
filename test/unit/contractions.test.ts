import { describe, expect, it } from 'vitest';
import { spellOutContractions } from '../../src/bots/understand/contractions.ts';
import { turnFeatures } from '../../src/bots/understand/turn-features.ts';
import { normalize } from '../../src/normalizer/index.ts';
import { exampleMessage } from '../../src/bots/understand/understand.ts';
import { ratingAnswer } from '../../src/bots/understand/rating-answer.ts';

const features = (text: string) => turnFeatures(normalize(exampleMessage(text))).filter((f) => f.startsWith('w:'));

describe('English contractions', () => {
  it.each([
    ["I'll send it", 'I will send it'],
    ["don't have a photo", 'do not have a photo'],
    ["can't send, won't come", 'can not send, will not come'],
    ["I'm not there, it's dark", 'i am not there, it is dark'],
    ["they've fixed it, we're happy", 'they have fixed it, we are happy'],
    ['I’d like to complain', 'I would like to complain'],
  ])('%s reads as %s', (written, spelt) => {
    expect(spellOutContractions(written)).toBe(spelt);
  });

  it('leaves Marathi, Hindi and text without an apostrophe as they are', () => {
    for (const t of ['कचरा उचलला नाही', 'पानी नहीं आ रहा', "Ram's shop, Kothrud", 'no photo']) expect(spellOutContractions(t)).toBe(t);
  });

  it('gives the classifier the words, not "don" (Marathi for two) and "t"', () => {
    expect(features("I don't have a photo")).toEqual(features('I do not have a photo'));
    expect(features("I'll send it shortly")).toEqual(features('I will send it shortly'));
    expect(features("don't know")).not.toContain('w:don');
  });

  it('does not take "don\'t" for the number two when reading a rating', () => {
    expect(ratingAnswer(normalize(exampleMessage("don't know, didn't check yet")))?.rating).not.toBe(2);
    expect(ratingAnswer(normalize(exampleMessage('don chaan nahi')))).toMatchObject({ rating: 2 });
  });
});
