import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWards, parseWards } from '../../src/config/gazetteer.ts';
import { matchKey } from '../../src/normalizer/match-key.ts';
import { createWardMatcher } from '../../src/normalizer/wards.ts';

const wards = loadWards('config/wards.yaml');
const match = createWardMatcher(wards);
const wardOf = (text: string) => match(text)?.wardId;

describe('matchKey folds spelling variants together', () => {
  it.each([
    ['Kothrūḍ', 'KOTHRUD'], // case and diacritics
    ['Shree', 'shri'], // ee = i
    ['Poona', 'puna'], // oo = u
    ['Warje', 'Varje'], // w = v
    ['pheriwale', 'feriwale'], // ph = f
    ['jhaad', 'zaad'], // jh = z
    ['khadda', 'khada'], // doubled letters
    ['Ghole Rd.', 'Ghole Road'], // Rd = Road
    ['कोथरूड', 'कोथरुड'], // long and short u sign
    ['शिवाजीनगर', 'शिवाजिनगर'], // long and short i sign
    ['सड़क', 'सडक'], // nukta
    ['कचऱ्याचा', 'कचर्\u200Dयाचा'], // eyelash ra, ZWJ
    ['टँकर', 'टंकर'], // chandrabindu = anusvara
    ['कॉलनी', 'कोलनी'], // candra o
    ['Kothrud-Bavdhan', 'kothrud  bavdhan'], // punctuation and spaces
  ])('%s = %s', (a, b) => {
    expect(matchKey(a)).toBe(matchKey(b));
  });

  it('keeps apart what is different', () => {
    expect(matchKey('banner')).not.toBe(matchKey('Baner')); // nn is kept
    expect(matchKey('Baner')).not.toBe(matchKey('Bhavani'));
    expect(matchKey('पानी')).not.toBe(matchKey('पाणी'));
    expect(matchKey('गळती')).not.toBe(matchKey('गलती')); // leakage (mr) is not a mistake (hi)
    expect(matchKey('Kothrud-Bavdhan')).toBe('kothrud bavdhan');
  });
});

describe('every ward office in config/wards.yaml', () => {
  it.each(wards.map((w) => [w.id, w] as const))('%s is found by its English name, Marathi name and each alias', (id, w) => {
    expect(match(w.name.en)).toEqual({ wardId: id, matched: w.name.en, via: 'name' });
    expect(match(w.name.mr)).toEqual({ wardId: id, matched: w.name.mr, via: 'name' });
    expect(w.aliases.length).toBeGreaterThan(0);
    for (const alias of w.aliases) expect(wardOf(alias), alias).toBe(id);
    for (const place of [...w.formerNames, ...w.localities]) expect(wardOf(place), place).toBe(id);
  });
});

describe('spellings', () => {
  it.each([
    ['Kothrud', 'kothrud-bavdhan'],
    ['KOTHRUD', 'kothrud-bavdhan'],
    ['कोथरूड', 'kothrud-bavdhan'],
    ['कोथरुड', 'kothrud-bavdhan'], // short u
    ['kothrud bavdhan', 'kothrud-bavdhan'],
    ['Baavdhan', 'kothrud-bavdhan'],
    ['Bawdhan', 'kothrud-bavdhan'],
    ['Yerawada', 'yerawada-kalas-dhanori'],
    ['Yerwada', 'yerawada-kalas-dhanori'],
    ['येरवडा', 'yerawada-kalas-dhanori'],
    ['Ghole Rd', 'shivajinagar-ghole-road'],
    ['ShivajiNagar', 'shivajinagar-ghole-road'],
    ['शिवाजीनगर', 'shivajinagar-ghole-road'],
    ['Nagar Rd.', 'nagar-road-vadgaon-sheri'],
    ['Wadgaonsheri', 'nagar-road-vadgaon-sheri'],
    ['Wanowrie', 'wanwadi-ramtekdi'],
    ['Vishrambag', 'kasba-vishrambaugwada'],
    ['Karvenagar', 'warje-karvenagar'],
    ['कर्वेनगर', 'warje-karvenagar'],
    ['Sinhgad Road', 'sinhagad-road'],
    ['सिंहगढ़ रोड', 'sinhagad-road'], // Hindi spelling with nukta
    ['Hadapsar', 'hadapsar-mundhwa'],
    ['Kondhwa', 'kondhwa-yewalewadi'],
    ['Bibvewadi', 'bibwewadi'],
    ['Dhankawadi', 'dhankawadi-sahakarnagar'],
    ['Bhawani Peth', 'bhavani-peth'],
  ])('%s → %s', (text, id) => {
    expect(wardOf(text)).toBe(id);
  });
});

describe('in a message', () => {
  it('finds a Marathi name with a case ending glued on, and reports the name as written', () => {
    expect(match('कोथरूडमध्ये कचरा उचलला जात नाही')).toEqual({ wardId: 'kothrud-bavdhan', matched: 'कोथरूड', via: 'alias' });
    expect(match('कोथरूडला पाणी नाही')?.matched).toBe('कोथरूड');
    expect(wardOf('कोथरूडच्या डेपोजवळ')).toBe('kothrud-bavdhan');
    expect(match('हडपसरमधील रस्ते खराब')).toEqual({ wardId: 'hadapsar-mundhwa', matched: 'हडपसर', via: 'alias' });
    expect(wardOf('बाणेरला रोज कचरा')).toBe('aundh-baner');
    expect(wardOf('नाना पेठेतील गटार तुंबले')).toBe('bhavani-peth');
  });

  it('finds romanised Marathi, glued or with the ending apart', () => {
    expect(match('kothrudla pani nahi')).toEqual({ wardId: 'kothrud-bavdhan', matched: 'kothrud', via: 'alias' });
    expect(wardOf('kothrud madhe kachra')).toBe('kothrud-bavdhan');
    expect(wardOf('baner la khadde khup ahet')).toBe('aundh-baner');
    expect(match('Karvenagarmadhe dive band')?.matched).toBe('Karvenagar');
  });

  it('finds Hindi and English', () => {
    expect(wardOf('हडपसर में पानी नहीं आ रहा')).toBe('hadapsar-mundhwa');
    expect(match('Garbage not collected near Kothrud Depot for 3 days')).toEqual({ wardId: 'kothrud-bavdhan', matched: 'Kothrud Depot', via: 'locality' });
  });

  it('gives a locality its ward office', () => {
    expect(match('potholes in Viman Nagar')).toEqual({ wardId: 'nagar-road-vadgaon-sheri', matched: 'Viman Nagar', via: 'locality' });
    expect(wardOf('Koregaon Park lane 7 streetlight')).toBe('dhole-patil-road');
    expect(wardOf('मगरपट्टा जवळ')).toBe('hadapsar-mundhwa');
    expect(wardOf('garbage at Balewadi high street')).toBe('aundh-baner');
    expect(wardOf('FC Road footpath broken')).toBe('shivajinagar-ghole-road');
  });

  it('does not confuse Baner with Bhavani Peth, nor an English banner with Baner', () => {
    expect(wardOf('Baner')).toBe('aundh-baner');
    expect(wardOf('Bhavani Peth')).toBe('bhavani-peth');
    expect(wardOf('bhavani peth la kachra')).toBe('bhavani-peth');
    expect(wardOf('बाणेर')).toBe('aundh-baner');
    expect(wardOf('भवानी पेठ')).toBe('bhavani-peth');
    expect(wardOf('illegal banner on the footpath')).toBeUndefined();
  });

  it('does not take another road that ends in "Nagar Road" for the Nagar Road ward office', () => {
    expect(match('Anand Nagar road madhe khadda')).toBeUndefined();
    expect(match('आनंद नगर रोड वर खड्डा आहे')).toBeUndefined();
    expect(match('near Nagar Road, Kharadi')?.wardId).toBe('nagar-road-vadgaon-sheri');
    expect(match('नगर रोडवर खड्डा')?.wardId).toBe('nagar-road-vadgaon-sheri');
  });

  it('finds no ward where none is named', () => {
    for (const text of [
      'I stay near the river',
      'Please clean the road in front of my house',
      'हमारे घर के पास पानी नहीं आ रहा',
      'आमच्या सोसायटीसमोर कचरा पडला आहे',
      'हा तर भ्रष्टाचाराचा कळस आहे', // कळस: "the height of", not the Kalas area
      'the class was cancelled',
      'Sinhagad fort trek was great',
      '',
      '😀 👍',
    ])
      expect(match(text), text).toBeUndefined();
  });

  it('prefers the longest phrase, then the earliest', () => {
    // two words beat one, wherever they are
    expect(wardOf('I live in Kothrud but the garbage is at Karve Nagar')).toBe('warje-karvenagar');
    // equally long: the first one named
    expect(wardOf('Baner or Hadapsar, same problem')).toBe('aundh-baner');
    expect(wardOf('Hadapsar or Baner, same problem')).toBe('hadapsar-mundhwa');
    // the old office "Kondhwa Wanawadi" is not the Wanwadi office
    expect(match('Kondhwa Wanawadi ward office')).toEqual({ wardId: 'kondhwa-yewalewadi', matched: 'Kondhwa Wanawadi', via: 'formerName' });
    // a phrase is read once: "Sahakar Nagar Road" is Sahakar Nagar, not also "Nagar Road"
    expect(wardOf('Sahakar Nagar Road')).toBe('dhankawadi-sahakarnagar');
  });

  it('returns the matched words exactly as they appear in the text', () => {
    fc.assert(
      fc.property(fc.constantFrom('Kothrud', 'कोथरूडमध्ये', 'baner la', 'Nagar Rd', 'Karvenagar'), fc.string(), fc.string(), (place, before, after) => {
        const text = `${before} ${place} ${after}`;
        const m = match(text);
        if (m) expect(text).toContain(m.matched);
      }),
    );
  });
});

describe('createWardMatcher', () => {
  const two = parseWards(
    `wards:
  - id: first
    name: { en: First Ward, mr: पहिला }
    mrVerified: false
    aliases: [Alpha]
    formerNames: [Old First]
    localities: [Gamma Colony]
  - id: second
    name: { en: Second Ward, mr: दुसरा }
    mrVerified: false
    aliases: [Beta]
`,
    'test.yaml',
  );
  const m = createWardMatcher(two);

  it('reports which list a phrase came from', () => {
    expect(m('First Ward')?.via).toBe('name');
    expect(m('पहिला')?.via).toBe('name');
    expect(m('alpha')?.via).toBe('alias');
    expect(m('old first')?.via).toBe('formerName');
    expect(m('gamma colony')?.via).toBe('locality');
  });

  it('gives a phrase listed twice to the first ward (the loader refuses such files)', () => {
    const clash = createWardMatcher([two[0]!, { ...two[1]!, aliases: ['Alpha'] }]);
    expect(clash('Alpha')?.wardId).toBe('first');
  });
});

describe('the locative after a long vowel, and places that are not one ward\'s or not PMC\'s', () => {
  it('reads -त after -ी or -ू as the locative: बिबवेवाडीत, धनकवडीत, bibwewadit', () => {
    expect(wardOf('बिबवेवाडीत गटार तुंबले आहे')).toBe('bibwewadi');
    expect(wardOf('धनकवडीत पाणी नाही')).toBe('dhankawadi-sahakarnagar');
    expect(wardOf('bibwewadit kachra')).toBe('bibwewadi');
  });

  it('finds a shared place as a place with no ward, and an area outside PMC as the other body\'s', async () => {
    const { loadGazetteer } = await import('../../src/config/gazetteer.ts');
    const { createNormalizer } = await import('../../src/normalizer/index.ts');
    const { citizenSms } = await import('../support/pipeline-parts.ts');
    const g = loadGazetteer('config');
    const normalize = createNormalizer({ ...g });
    const katraj = normalize(citizenSms('कात्रजला रस्त्यावर खड्डे'));
    expect(katraj.entities.ward).toBeUndefined();
    expect(katraj.entities.place).toBe('कात्रज');
    const wakad = normalize(citizenSms('Wakad madhe kachra'));
    expect(wakad.entities.outsideArea).toEqual({ areaId: 'pimpri-chinchwad', matched: 'Wakad' });
    expect(normalize(citizenSms('कोथरूडमध्ये कचरा')).entities.outsideArea).toBeUndefined();
  });

  it('refuses a place listed both as PMC\'s and as another body\'s', async () => {
    const { parseOutsideAreas } = await import('../../src/config/gazetteer.ts');
    const yaml = 'areas:\n  - id: pcmc\n    authority: { en: PCMC, mr: पिंपरी, hi: पिंपरी }\n    localities: [Kothrud, Wakad]\n';
    expect(() => parseOutsideAreas(yaml, 'outside-areas.yaml', wards)).toThrow(/outside-areas\.yaml: areas\.0\.localities\.0: "Kothrud"/);
  });
});
