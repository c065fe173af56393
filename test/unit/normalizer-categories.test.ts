import { describe, expect, it } from 'vitest';
import { loadCategories, parseCategories } from '../../src/config/gazetteer.ts';
import { createCategoryMatcher } from '../../src/normalizer/categories.ts';

const categories = loadCategories('config/categories.yaml');
const hints = createCategoryMatcher(categories);
const top = (text: string) => hints(text)[0]?.categoryId;

describe('category hints from config/categories.yaml', () => {
  it.each([
    // Marathi, with the inflected forms people write
    ['कचऱ्याचा ढीग तीन दिवसांपासून पडून आहे', 'garbage'],
    ['घंटागाडी आलीच नाही', 'garbage'],
    ['रस्त्यावर खड्ड्यांमुळे अपघात होत आहेत', 'roads'],
    ['पाणी येत नाही, नळाला पाणी नाही', 'water-supply'],
    ['गटार तुंबले आहे, दुर्गंधी येत आहे', 'drainage'],
    ['पथदिवे बंद आहेत', 'streetlights'],
    ['फेरीवाल्यांनी फुटपाथ अडवला', 'encroachment'],
    ['झाड पडले आहे रस्त्यावर', 'trees'],
    ['डासांचा त्रास, धूर फवारणी करा', 'mosquitoes'],
    ['भटकी कुत्री चावतात', 'stray-animals'],
    ['शेजारी अनधिकृत बांधकाम सुरू आहे', 'illegal-construction'],
    ['मिळकत कर पावती मिळाली नाही', 'property-tax'],
    ['सार्वजनिक शौचालयात पाणी नाही आणि घाण', 'public-toilets'],
    // romanised Marathi and Hindi
    ['kachra gadi aali nahi 3 divas', 'garbage'],
    ['kachryacha dhig padla aahe', 'garbage'],
    ['pani nahi aala sakali', 'water-supply'],
    ['road var khup khadde ahet', 'roads'],
    ['dive band ahet ratri', 'streetlights'],
    ['jhaad padla gadi var', 'trees'], // jh and z are one spelling
    ['zaad padla', 'trees'],
    ['gutter overflow ho raha hai', 'drainage'],
    ['machhar bahut hai fogging karo', 'mosquitoes'],
    ['awara kutte bahut hai', 'stray-animals'],
    // Hindi, with and without nukta
    ['यहाँ कूड़ा नहीं उठाया जाता', 'garbage'],
    ['यहाँ कूडा पड़ा है', 'garbage'],
    ['सड़क पर बहुत गड्ढे हैं', 'roads'],
    ['तीन दिन से पानी नहीं आ रहा', 'water-supply'],
    ['नाली जाम है', 'drainage'],
    ['पेड़ गिरा है', 'trees'],
    // English words as Pune writes them in Devanagari
    ['पब्लिक टॉयलेट इतना गंदा है कि अंदर नहीं जा सकते', 'public-toilets'],
    ['टॉयलेटची अवस्था वाईट आहे', 'public-toilets'],
    ['सोसायटी के बाहर डस्टबिन नहीं है', 'garbage'],
    ['गल्लीत पाईप फुटला आहे', 'water-supply'],
    ['स्पीड ब्रेकर नसल्यामुळे अपघात होतात', 'roads'],
    ['हॉकर्स ने पूरा फुटपाथ घेर लिया', 'encroachment'],
    ['ड्रेनेज लाईन तुंबली आहे', 'drainage'],
    // English
    ['Garbage not collected for a week', 'garbage'],
    ['Street light not working near my building', 'streetlights'],
    ['Huge pothole outside the school', 'roads'],
    ['No water supply since morning', 'water-supply'],
    ['Stray dogs chasing children', 'stray-animals'],
    ['Illegal hoarding on the footpath', 'hoardings'],
  ])('%s → %s', (text, id) => {
    expect(top(text)).toBe(id);
  });

  it('gives each category its department', () => {
    expect(hints('kachra')[0]).toMatchObject({ categoryId: 'garbage', department: 'SWM' });
    expect(hints('pani nahi')[0]).toMatchObject({ categoryId: 'water-supply', department: 'WATER' });
    expect(hints('खड्डा')[0]).toMatchObject({ categoryId: 'roads', department: 'ROADS' });
  });

  it('finds every configured keyword, and for its own category', () => {
    for (const c of categories)
      for (const keyword of Object.values(c.keywords).flat()) expect(top(keyword), `${c.id}: ${keyword}`).toBe(c.id);
  });

  it('reads a phrase as one keyword: "pani sachle" is drainage, not water supply', () => {
    expect(hints('pani sachle')).toEqual([{ categoryId: 'drainage', department: 'DRAINAGE', score: 2, keywords: ['pani sachle'] }]);
    expect(hints('पाणी साचले आहे').map((h) => h.categoryId)).toEqual(['drainage']);
  });

  it('ranks by score: more and longer keywords first', () => {
    const ranked = hints('थोडा कचरा आहे पण पाणी येत नाही');
    expect(ranked.map((h) => [h.categoryId, h.score])).toEqual([
      ['water-supply', 3],
      ['garbage', 1],
    ]);
  });

  it('counts a keyword once however often it is repeated, and reports it as written', () => {
    expect(hints('GARBAGE garbage Garbage!!')).toEqual([{ categoryId: 'garbage', department: 'SWM', score: 1, keywords: ['GARBAGE'] }]);
    expect(hints('kachraa kachra')[0]).toMatchObject({ score: 1, keywords: ['kachraa'] });
  });

  it('understands a Marathi ending glued to a keyword', () => {
    expect(hints('गटारमध्ये प्लास्टिक')[0]).toMatchObject({ categoryId: 'drainage', keywords: ['गटार'] });
    expect(hints('kachrala aag lavli')[0]).toMatchObject({ categoryId: 'garbage', keywords: ['kachra'] });
  });

  it('gives no hint when nothing is said about a problem', () => {
    for (const text of ['Thank you', 'धन्यवाद', 'नमस्कार साहेब', 'ok', '', 'Kothrud'])
      expect(hints(text), text).toEqual([]);
  });
});

describe('createCategoryMatcher', () => {
  const cats = parseCategories(
    `categories:
  - id: first
    department: ONE
    name: { en: One, mr: एक, hi: एक }
    keywords: { en: [apple] }
  - id: second
    department: TWO
    name: { en: Two, mr: दोन, hi: दो }
    keywords: { en: [pear] }
`,
    'test.yaml',
  );
  const m = createCategoryMatcher(cats);

  it('breaks a tie in score by the order of the file', () => {
    expect(m('pear and apple').map((h) => h.categoryId)).toEqual(['first', 'second']);
  });
});
