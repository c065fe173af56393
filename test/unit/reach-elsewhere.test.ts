import { describe, expect, it } from 'vitest';
import { numberGivenIn } from '../../src/pipeline/reach-elsewhere.ts';

// A reply Messenger can no longer carry may go by SMS to a number the citizen gave for themselves, and only then.
describe('the number a citizen gives for themselves', () => {
  it.each([
    ['कोथरूड मध्ये पाणी नाही. माझा नंबर 98123 99012', '+919812399012'],
    ['हडपसर में कचरा पड़ा है, मेरा मोबाइल 9822012345 है', '+919822012345'],
    ['Pothole near Baner signal, my number is +91 98900 12345', '+919890012345'],
    ['warje madhe pani nahi, maza number 9765012345', '+919765012345'],
    ['गटार तुंबले आहे, माझा संपर्क क्रमांक ९८१२३९९०१२', '+919812399012'],
    ['My number is 9890012345, or call my brother on 9822054321', '+919890012345'],
  ])('reads %s', (text, phone) => expect(numberGivenIn(text)).toBe(phone));

  it.each([
    'Ward officer Patil 9822012345 does not answer the phone', // someone else's number
    'army no. 12 camp road, contractor 9812399012 never came', // "arMY NO." is not "my no."
    'my nose hurts from the smell, call corporator 9812399012',
    'my number is below. The ward officer is 9822012345', // the number does not follow
    'माझा नंबर 020-2543 1234', // a landline cannot take an SMS
    'पाणी नाही, 9812399012', // not said to be theirs
  ])('leaves %s alone', (text) => expect(numberGivenIn(text)).toBeUndefined());
});
