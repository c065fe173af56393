import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWards } from '../../src/config/gazetteer.ts';
import { createNormalizer } from '../../src/normalizer/index.ts';
import { extractPlace } from '../../src/normalizer/place.ts';
import { citizenSms } from '../support/pipeline-parts.ts';

describe('extractPlace', () => {
  it.each([
    // English: the place after the relation word, up to the first landmark word or punctuation
    ['Garbage not collected near Kothrud depot since 3 days', 'Kothrud depot'],
    ['Pothole opp. Deccan bus stand, very dangerous', 'Deccan bus stand'],
    ['Drain overflowing opposite the Sarasbaug main gate', 'Sarasbaug main gate'],
    ['Streetlight broken in front of Sahakar Nagar post office', 'Sahakar Nagar post office'],
    ['Dead dog behind the Balgandharva theatre.', 'Balgandharva theatre'],
    ['tree fallen Nr. Mhatre bridge', 'Mhatre bridge'],
    ['garbage at Paud road since Monday', 'Paud road'],
    ['water leaking at F.C. Road', 'F.C. Road'],
    ['signal not working at Goodluck chowk', 'Goodluck chowk'],
    // Marathi: the place before जवळ / समोर / च्या मागे, or named by its kind
    ['कोथरूड डेपो जवळ कचरा पडला आहे', 'कोथरूड डेपो'],
    ['गणपती मंदिराच्या समोर खड्डा आहे', 'गणपती मंदिरा'],
    ['महापालिका शाळेच्या मागे गटार तुंबले', 'महापालिका शाळे'],
    ['शाळेसमोर पथदिवे बंद आहेत', 'शाळे'],
    ['पोस्ट ऑफिस च्या जवळ झाड पडले', 'पोस्ट ऑफिस'],
    ['बस स्टॉपजवळ कचरा', 'बस स्टॉप'],
    ['सदाशिव पेठेत पाणी येत नाही', 'सदाशिव पेठ'],
    ['नाना पेठ रोडवर खड्डे', 'नाना पेठ रोड'],
    ['लक्ष्मी चौकात वाहतूक कोंडी', 'लक्ष्मी चौक'],
    ['कर्वे नगर मध्ये पाणी नाही', 'कर्वे नगर'],
    // Hindi
    ['बस स्टैंड के पास कूड़ा पड़ा है', 'बस स्टैंड'],
    ['सरकारी अस्पताल के सामने नाली जाम है', 'सरकारी अस्पताल'],
    // romanised Marathi and Hindi
    ['Deccan bus stop jawal kachra ahe', 'Deccan bus stop'],
    ['datta mandir javal khadda', 'datta mandir'],
    ['Kothrud depot chya samor gutter', 'Kothrud depot'],
    ['mandir ke paas gutter overflow ho raha hai', 'mandir'],
    ['Shivaji chowk la kachra', 'Shivaji chowk'],
    ['Sinhagad road var khadda', 'Sinhagad road'],
  ])('%s → %s', (text, place) => {
    expect(extractPlace(text)).toBe(place);
  });

  it('prefers a place given by a relation word over one named by its kind', () => {
    expect(extractPlace('garbage on Nagar Road near Viman Nagar gate')).toBe('Viman Nagar gate');
  });

  it('finds nothing when no place is written', () => {
    for (const text of [
      'Garbage not collected for 3 days',
      'पाणी येत नाही',
      'कूड़ा नहीं उठाया',
      'kachra uchalla nahi',
      'The road is broken', // no name before "road"
      'I am near.', // nothing after "near"
      'garbage near, please help',
      'जवळजवळ तीन दिवस पाणी नाही', // जवळजवळ = "almost"
      '2 divas mage pani ala nahi', // mage without a linker = "ago"
      'pass the message on',
      '',
    ])
      expect(extractPlace(text), text).toBeUndefined();
  });

  it('does not take "my house", "our society" for a place: it tells the ward office nothing', () => {
    for (const text of ['आमच्या सोसायटीसमोर कचऱ्याचा ढीग साचला आहे', 'माझ्या घराजवळ खड्डा आहे', 'near my house garbage is lying', 'हमारी गली के पास कूड़ा पड़ा है', 'amchya society samor kachra'])
      expect(extractPlace(text), text).toBeUndefined();
    // a named society is a place, and so is someone else's house
    expect(extractPlace('करिश्मा सोसायटीसमोर कचऱ्याचा ढीग')).toBe('करिश्मा सोसायटी');
    expect(extractPlace('garbage near Patil house, Kothrud')).toBeDefined();
  });

  it('does not take "the main road" for a place: any street in the city, in any language', () => {
    for (const text of [
      'There is a big pothole on the main road, please fix it',
      'streetlight not working on the service road for a week',
      'मुख्य रस्त्यावर मोठा खड्डा पडला आहे',
      'मेन रोडवर कचरा टाकला जातो',
      'बड़ी सड़क पर कचरा पड़ा है',
      'मेन रोड पर दो दिन से पानी बह रहा है',
      'main rastyavar khadda aahe',
    ])
      expect(extractPlace(text), text).toBeUndefined();
    // a named road is a place, and so is a landmark beside the main road
    expect(extractPlace('सिंहगड रोडवर पाणी साचले आहे')).toBe('सिंहगड रोड');
    expect(extractPlace('Station Road pe gaddha hai')).toBe('Station Road');
    expect(extractPlace('pothole on the main road near Kothrud depot')).toBe('Kothrud depot');
  });

  it('does not run across punctuation', () => {
    expect(extractPlace('Kothrud depot, near. Garbage')).toBeUndefined();
    expect(extractPlace('near Kothrud depot, garbage everywhere')).toBe('Kothrud depot');
    expect(extractPlace('कचरा, बस स्टॉप जवळ')).toBe('बस स्टॉप');
  });

  it('keeps to a few words', () => {
    expect(extractPlace('near the big old banyan tree next to the temple')).toBe('big old banyan tree');
    expect(extractPlace('खूप मोठा जुना पिंपळाचा वृक्ष जवळ')?.split(' ').length).toBeLessThanOrEqual(3);
  });

  it('returns a piece of the text as written, for any text, without throwing', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('near', 'जवळ', 'के पास', 'chowk', 'रोडवर', 'opp.', 'च्या समोर'), fc.string(), (a, marker, b) => {
        const text = `${a} ${marker} ${b}`;
        const place = extractPlace(text);
        if (place !== undefined) {
          expect(text).toContain(place);
          expect(place.trim()).toBe(place);
          expect(place.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  // no timing here (speed lives in the benchmark): a pattern that backtracks on this input would not finish at all,
  // and the test's own timeout would fail it
  it('ends on long punctuation-heavy input, with at most a few words', () => {
    const nasty = `${'.,;'.repeat(30_000)} near ${'a.'.repeat(30_000)} जवळ ${'-'.repeat(30_000)}`;
    const place = extractPlace(nasty) ?? '';
    expect(nasty).toContain(place);
    expect(place.length).toBeLessThan(80);
  });
});

// the ward office and the place together, as the normalizer gives them to the pipeline
describe('ward office and place in one message', () => {
  const normalize = createNormalizer({ wards: loadWards('config/wards.yaml') });
  const hints = (text: string) => {
    const { ward, place } = normalize(citizenSms(text)).entities;
    return { ...(ward ? { ward } : {}), ...(place ? { place } : {}) };
  };

  it('gives the ward office and the place a message names', () => {
    expect(hints('कोथरूड डेपो जवळ कचरा पडला आहे')).toEqual({
      ward: { wardId: 'kothrud-bavdhan', matched: 'कोथरूड डेपो', via: 'locality' },
      place: 'कोथरूड डेपो',
    });
    expect(hints('pothole near Datta mandir, Hadapsar')).toEqual({
      ward: { wardId: 'hadapsar-mundhwa', matched: 'Hadapsar', via: 'alias' },
      place: 'Datta mandir',
    });
  });

  it('gives either alone, or nothing', () => {
    expect(hints('बाणेरला पाणी नाही')).toEqual({ ward: { wardId: 'aundh-baner', matched: 'बाणेर', via: 'alias' } });
    expect(hints('I stay near the river')).toEqual({ place: 'river' });
    expect(hints('Garbage not collected')).toEqual({});
  });

  it('an "our/my" + building, school or shop in its oblique form is no place either: आमच्या इमारतीसमोर, आमच्या शाळेसमोर', () => {
    for (const text of ['आमच्या इमारतीसमोर कचरा पडला आहे', 'आमच्या इमारतीच्या मागे गटार तुंबले', 'आमच्या चाळीजवळ कचरा', 'माझ्या दुकानासमोर खड्डा', 'हमारी बिल्डिंग के सामने कचरा'])
      expect(extractPlace(text), text).toBeUndefined();
    expect(extractPlace('कोथरूड डेपोजवळ कचरा')).toBe('कोथरूड डेपो');
  });
});
