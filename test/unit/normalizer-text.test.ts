import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/normalizer/text.ts';
import { numericForm } from '../../src/normalizer/digits.ts';
import { htmlToText } from '../../src/normalizer/html.ts';
import { extractLinks, withoutLinks } from '../../src/normalizer/links.ts';

const ZWJ = '\u200D';
const ZWNJ = '\u200C';

describe('cleanText', () => {
  it('composes to NFC', () => {
    // e + combining acute, as some keyboards send it, becomes é; क़ (U+0958) is excluded from composition and
    // becomes क + nukta, whichever way it was typed
    expect(cleanText('e\u0301')).toBe('\u00E9');
    expect(cleanText('\u0958')).toBe('\u0915\u093C');
    expect(cleanText('कचरा उचलला नाही')).toBe('कचरा उचलला नाही');
    expect(cleanText('café')).toBe(cleanText('cafe\u0301'));
  });

  it('removes zero-width, bidi and other invisible controls', () => {
    expect(cleanText('पाणी\u200Bपुरवठा')).toBe('पाणीपुरवठा');
    expect(cleanText('\u202Bकचरा\u202C \u200Eउचलला\u200F नाही\uFEFF')).toBe('कचरा उचलला नाही');
    expect(cleanText('road\u00ADside\u2060 pothole\u2066 here\u2069')).toBe('roadside pothole here');
    expect(cleanText('water\u0000 leak\u0007')).toBe('water leak');
  });

  it('removes every bidi control, the Arabic letter mark U+061C too', () => {
    // all nine of Unicode's Bidi_Control characters and more, around Marathi, Hindi and English words
    const bidi = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const c of bidi) {
      expect(cleanText(`${c}कचरा${c} उचलला नाही`)).toBe('कचरा उचलला नाही');
      expect(cleanText(`पानी${c} नहीं आ रहा`)).toBe('पानी नहीं आ रहा');
      expect(cleanText(`street${c}light off`)).toBe('streetlight off');
    }
  });

  it('keeps ZWNJ and ZWJ between Devanagari letters, where they change the spelling', () => {
    // क्‌ष (half ka, then ssa) is not क्ष; the Marathi eyelash ra र्‍य
    expect(cleanText(`क्${ZWNJ}ष`)).toBe(`क्${ZWNJ}ष`);
    expect(cleanText(`र्${ZWJ}या`)).toBe(`र्${ZWJ}या`);
    expect(cleanText(`सूर्${ZWJ}याजी`)).toContain(ZWJ);
  });

  it('drops ZWNJ and ZWJ anywhere else', () => {
    expect(cleanText(`pani${ZWNJ} nahi`)).toBe('pani nahi');
    expect(cleanText(`${ZWJ}कचरा`)).toBe('कचरा');
    expect(cleanText(`कचरा${ZWJ} `)).toBe('कचरा');
    expect(cleanText(`road${ZWJ}क`)).toBe('roadक');
  });

  it('keeps emoji, including ZWJ sequences, skin tones and flags', () => {
    const family = `👨${ZWJ}👩${ZWJ}👧`;
    const coder = `👩🏽${ZWJ}💻`;
    const rainbow = `🏳️${ZWJ}🌈`;
    const message = `रस्त्यावर खड्डे 😡 ${family} ${coder} ${rainbow} 🙏🇮🇳`;
    expect(cleanText(message)).toBe(message);
  });

  it('folds spaces and tabs, trims lines, and keeps at most one blank line', () => {
    expect(cleanText('  Kothrud   madhe\t\tkachra  ')).toBe('Kothrud madhe kachra');
    expect(cleanText('नमस्कार,  \r\n\r\n\r\n\r\n   पाणी येत नाही.\r\nधन्यवाद')).toBe(
      'नमस्कार,\n\nपाणी येत नाही.\nधन्यवाद',
    );
    expect(cleanText('पानी\u00A0नहीं\u2003आ रहा')).toBe('पानी नहीं आ रहा');
    expect(cleanText('line one\rline two\u2028line three')).toBe('line one\nline two\nline three');
    expect(cleanText(' \n\t\n ')).toBe('');
  });

  it('replaces a lone surrogate half, which cannot be stored as UTF-8', () => {
    expect(cleanText('water \uD83D leak')).toBe('water \uFFFD leak');
    expect(cleanText('ok 😀')).toBe('ok 😀');
  });

  it('is idempotent on the examples', () => {
    for (const text of [
      'क\u200D\u0951\u200C\u0334', // a joiner that only turns stray after NFC reorders the marks
      'e\u200B\u0301 \r\n\r\n x',
      `  ${ZWJ}👨${ZWJ}👩  \u202E तक्रार\u00AD  `,
    ]) {
      const once = cleanText(text);
      expect(cleanText(once)).toBe(once);
    }
  });
});

describe('numericForm', () => {
  it('turns Devanagari digits into ASCII and leaves every other character alone', () => {
    expect(numericForm('तक्रार क्र. १२३४५')).toBe('तक्रार क्र. 12345');
    expect(numericForm('माझा नंबर ९८२२० १२३४५ आहे')).toBe('माझा नंबर 98220 12345 आहे');
    expect(numericForm('Kothrud 411038, no digits to change')).toBe('Kothrud 411038, no digits to change');
  });

  it('reads the decimal digits of other scripts', () => {
    expect(numericForm('ગુજરાતી ૪૧૧૦૩૮')).toBe('ગુજરાતી 411038'); // Gujarati
    expect(numericForm('বাংলা ৯৮২২')).toBe('বাংলা 9822'); // Bengali
    expect(numericForm('٣٤٥ ۶۷')).toBe('345 67'); // Arabic-Indic, Extended Arabic-Indic
    expect(numericForm('１２３')).toBe('123'); // fullwidth
    expect(numericForm('𝟘𝟙𝟡 𝟬𝟵')).toBe('019 09'); // mathematical, runs of several sets
  });

  it('keeps the UTF-16 length for Indic digits, so offsets line up with the text as written', () => {
    const text = 'पिन ४११०३८ 😀';
    expect(numericForm(text)).toHaveLength(text.length);
    expect(numericForm(text).indexOf('411038')).toBe(text.indexOf('४११०३८'));
  });

  it('maps every Unicode decimal digit to its value', () => {
    const digit = /^\p{Nd}$/u;
    for (let cp = 0x30; cp < 0x20000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      if (!digit.test(char)) continue;
      const ascii = numericForm(char);
      expect(ascii, `U+${cp.toString(16)}`).toMatch(/^[0-9]$/);
      // the value agrees with the digit before it in the same run
      if (digit.test(String.fromCodePoint(cp - 1)) && ascii !== '0') {
        expect(Number(ascii)).toBe(Number(numericForm(String.fromCodePoint(cp - 1))) + 1);
      }
    }
    expect(numericForm('कचरा ॐ Ⅻ ½ ²')).toBe('कचरा ॐ Ⅻ ½ ²'); // letters, roman numerals, fractions, superscripts
  });
});

describe('htmlToText', () => {
  // a Gmail-style reply: dir="auto" divs, &nbsp;, Devanagari written as numeric entities
  const MARATHI_EMAIL = `<html><head><style>p { margin: 0 }</style><title>तक्रार</title></head><body>
<div dir="auto"><p>नमस्कार,</p>
<p>आमच्या&nbsp;सोसायटीसमोर &#2325;&#2330;&#2352;&#2366; तीन दिवसांपासून पडून आहे.<br>कृपया लवकर उचलावा.</p>
<div dir="auto">फोटो: <img src="cid:ii_1" alt="कचऱ्याचा ढीग"><img src="cid:ii_2"></div>
<p>ठिकाण: <a href="https://maps.google.com/?q=18.5074,73.8077">नकाशा</a>,
  <a href="https://pmc.gov.in">https://pmc.gov.in</a></p>
<h2>Details</h2>
<table><tr><th>प्रभाग</th><th>Ward</th></tr><tr><td>कोथरूड</td><td>12</td></tr></table>
<script>trackOpen()</script>
<p>धन्यवाद,<br>सुनीता</p></div></body></html>`;

  it('keeps paragraphs and line breaks and decodes entities', () => {
    const text = htmlToText(MARATHI_EMAIL);
    expect(text.startsWith('नमस्कार,\n\nआमच्या सोसायटीसमोर कचरा तीन दिवसांपासून पडून आहे.\nकृपया लवकर उचलावा.')).toBe(
      true,
    );
    expect(text.endsWith('धन्यवाद,\nसुनीता')).toBe(true);
    expect(text).not.toContain('\u00A0');
  });

  it('keeps links as text with their URL, and does not repeat a URL that is its own text', () => {
    const text = htmlToText(MARATHI_EMAIL);
    expect(text).toContain('नकाशा [https://maps.google.com/?q=18.5074,73.8077]');
    expect(text).toContain('https://pmc.gov.in');
    expect(text).not.toContain('[https://pmc.gov.in]');
  });

  it('shows an image as its alt text and drops one without', () => {
    const text = htmlToText(MARATHI_EMAIL);
    expect(text).toContain('फोटो: [कचऱ्याचा ढीग]');
    expect(text).not.toContain('cid:');
  });

  it('reads a table one row per line, does not shout headings, and skips scripts and styles', () => {
    const text = htmlToText(MARATHI_EMAIL);
    expect(text).toContain('प्रभाग | Ward\nकोथरूड | 12');
    expect(text).toContain('Details');
    expect(text).not.toContain('DETAILS');
    expect(text).not.toContain('trackOpen');
    expect(text).not.toContain('margin');
  });

  it('does not wrap long lines', () => {
    const sentence = 'पाणीपुरवठा विभागाकडे '.repeat(20).trim();
    expect(htmlToText(`<p>${sentence}</p>`)).toBe(sentence);
  });

  it('cleans the result like any other text', () => {
    expect(htmlToText('<div>कचरा\u200B   उचलला&nbsp;&nbsp;नाही</div><div><br></div><div><br></div><div>धन्यवाद</div>')).toBe(
      'कचरा उचलला नाही\n\nधन्यवाद',
    );
  });
});

describe('extractLinks', () => {
  it('finds URLs, mentions and hashtags in a tweet, Devanagari hashtags whole', () => {
    expect(
      extractLinks('@PMCPune कोथरूडमध्ये कचरा उचलला नाही #पुणे_महानगरपालिका #PuneRains https://t.co/aB3dE5fG7h'),
    ).toEqual({
      urls: ['https://t.co/aB3dE5fG7h'],
      mentions: ['PMCPune'],
      hashtags: ['पुणे_महानगरपालिका', 'PuneRains'],
    });
  });

  it('keeps combining marks inside a hashtag', () => {
    // matras and the virama are \p{M}: a tag must not stop at the first vowel sign
    expect(extractLinks('#पाणीटंचाई आणि #स्वच्छ_पुणे').hashtags).toEqual(['पाणीटंचाई', 'स्वच्छ_पुणे']);
    expect(extractLinks('#सड़क_पर_गड्ढे').hashtags).toEqual(['सड़क_पर_गड्ढे']);
  });

  it('takes www. URLs and leaves the sentence punctuation outside', () => {
    expect(extractLinks('Status www.pmc.gov.in/complaint var paha.').urls).toEqual(['www.pmc.gov.in/complaint']);
    expect(extractLinks('(see https://en.wikipedia.org/wiki/Pune_(city)), ok?').urls).toEqual([
      'https://en.wikipedia.org/wiki/Pune_(city)',
    ]);
    expect(extractLinks('हे पहा: "https://pmc.gov.in/mr/complaint"।').urls).toEqual(['https://pmc.gov.in/mr/complaint']);
  });

  it('takes an http(s) URL glued to the word before it, but does not cut a www. out of a host name', () => {
    expect(extractLinks('इथे पहाhttps://pmc.gov.in/status').urls).toEqual(['https://pmc.gov.in/status']);
    expect(extractLinks('mirror.www.example.in').urls).toEqual([]);
  });

  it('does not take an email address as a mention', () => {
    const links = extractLinks('mail sunita.k@gmail.com or DM @sunita_k. Thanks @PMCPune!');
    expect(links.mentions).toEqual(['sunita_k', 'PMCPune']);
    expect(links.urls).toEqual([]);
  });

  it('does not read an @ or # inside a URL, a bare number, an HTML entity or C# as a mention or tag', () => {
    const links = extractLinks('https://medium.com/@writer/post#part ticket #12345, C# &#2346; ok');
    expect(links).toEqual({ urls: ['https://medium.com/@writer/post#part'], mentions: [], hashtags: [] });
  });

  it('lists each once, in order, comparing handles and tags without case', () => {
    const links = extractLinks('#PuneRains @PMCPune #punerains @pmcpune https://x.com/a https://x.com/a');
    expect(links).toEqual({ urls: ['https://x.com/a'], mentions: ['PMCPune'], hashtags: ['PuneRains'] });
  });

  it('finds nothing in a plain SMS', () => {
    expect(extractLinks('Paani nahi aala 3 divas, Karve Nagar. 9822012345')).toEqual({
      urls: [],
      mentions: [],
      hashtags: [],
    });
  });
});

describe('withoutLinks', () => {
  it('replaces URLs, mentions, hashtags and emails with a space and keeps the words', () => {
    expect(withoutLinks('@PMCPune कचरा उचलला नाही #स्वच्छ_पुणे https://t.co/x1')).toBe('  कचरा उचलला नाही    ');
    expect(withoutLinks('write to sunita.k@gmail.com please')).toBe('write to   please');
  });

  it('keeps a hashtag with its words when asked (language detection reads them)', () => {
    expect(withoutLinks('@PMCPune कचरा उचलला नाही #स्वच्छ_पुणे https://t.co/x1', { keepHashtags: true })).toBe(
      '  कचरा उचलला नाही #स्वच्छ_पुणे  ',
    );
  });

  it('returns a text without links unchanged', () => {
    const text = 'पानी नहीं आ रहा है, कृपया मदद करें';
    expect(withoutLinks(text)).toBe(text);
  });
});
