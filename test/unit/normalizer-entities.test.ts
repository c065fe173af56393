import { describe, expect, it } from 'vitest';
import { extractPhones, findPhoneNumbers } from '../../src/normalizer/phone.ts';
import { extractPinCodes, pinArea } from '../../src/normalizer/pin-code.ts';
import { extractTicketNumbers, findTicketNumbers } from '../../src/normalizer/ticket-number.ts';
import { extractCoordinates } from '../../src/normalizer/coordinates.ts';

describe('extractPhones', () => {
  it.each([
    ['+91 98220 12345', '+919822012345'],
    ['091-9822012345', '+919822012345'],
    ['0091 98220 12345', '+919822012345'],
    ['09822012345', '+919822012345'],
    ['98220-12345', '+919822012345'],
    ['(+91) 98220 12345', '+919822012345'],
    ['020-2550 1234', '+912025501234'],
    ['(020) 25501234', '+912025501234'],
    ['+91 (20) 2550-1234', '+912025501234'],
  ])('reads %s as %s', (written, e164) => {
    expect(extractPhones(written)).toEqual([e164]);
  });

  it('reads numbers inside Marathi, Hindi and English messages, in Devanagari digits too', () => {
    expect(extractPhones('माझा नंबर ९८२२० १२३४५ आहे, कृपया फोन करा')).toEqual(['+919822012345']);
    expect(extractPhones('मेरा मोबाइल नं. 7030012345 है')).toEqual(['+917030012345']);
    expect(extractPhones('mo.9822012345 var call kara')).toEqual(['+919822012345']);
    expect(extractPhones('Please call me on 98220 12345 or my office 020-2550 1234.')).toEqual([
      '+919822012345',
      '+912025501234',
    ]);
  });

  it('keeps a foreign number in its own country code', () => {
    expect(extractPhones('NRI here, reach me at +44 7911 123456')).toEqual(['+447911123456']);
  });

  it('splits a PIN code or a ticket number from a phone number written next to it', () => {
    expect(extractPhones('Kothrud 411038 9822012345')).toEqual(['+919822012345']);
    expect(extractPhones('PMC12345 9822012345')).toEqual(['+919822012345']);
    expect(extractPhones('9822012345 9922054321')).toEqual(['+919822012345', '+919922054321']);
  });

  it('lists each number once', () => {
    expect(extractPhones('9822012345, again: +91 98220 12345')).toEqual(['+919822012345']);
  });

  it('leaves out the toll-free helpline, which is ours and not the citizen’s', () => {
    expect(extractPhones('1800 1030 222 वर फोन केला पण कोणी उचलला नाही')).toEqual([]);
    expect(extractPhones('helpline 1800-103-0222, my no 9822012345')).toEqual(['+919822012345']);
    // but the match is still found, so other extractors know those digits are a phone number
    expect(findPhoneNumbers('1800 1030 222').map((phone) => phone.type)).toEqual(['TOLL_FREE']);
  });

  it('does not take PIN codes, ticket numbers, dates, amounts or ID numbers', () => {
    for (const text of [
      'पुणे 411038',
      'PMC12345',
      'PMC1234567890',
      'तक्रार क्र. १२३४५',
      'dated 12/05/2024',
      '12-05-2024 pasun',
      'dand Rs 25000 bharla',
      '₹1,00,000',
      'Aadhaar 1234 5678 9012',
      'bill no 25501234',
      '5555555555',
    ]) {
      expect(extractPhones(text), text).toEqual([]);
    }
  });

  it('gives offsets into the text with digits in ASCII', () => {
    const [phone] = findPhoneNumbers('फोन: ९८२२० १२३४५');
    expect(phone).toMatchObject({ e164: '+919822012345', type: 'MOBILE', start: 5, end: 16 });
  });
});

describe('extractPinCodes', () => {
  it('finds six-digit PIN codes whole, spaced, and in Devanagari digits', () => {
    expect(extractPinCodes('कोथरूड, पुणे 411038')).toEqual([{ pin: '411038', area: 'pune' }]);
    expect(extractPinCodes('Karve Road, Pune - 411 004.')).toEqual([{ pin: '411004', area: 'pune' }]);
    expect(extractPinCodes('पिन ४११०३८')).toEqual([{ pin: '411038', area: 'pune' }]);
    expect(extractPinCodes('पिन कोड: ४११ ०३८')).toEqual([{ pin: '411038', area: 'pune' }]);
    expect(extractPinCodes('Pune-411001')).toEqual([{ pin: '411001', area: 'pune' }]);
  });

  it('says whether a PIN is Pune’s', () => {
    expect(pinArea('411038')).toBe('pune');
    expect(pinArea('412207')).toBe('pune-fringe'); // Wagholi, merged into PMC in 2021
    expect(pinArea('412806')).toBe('other'); // Mahabaleshwar, Satara district
    expect(pinArea('400001')).toBe('other'); // Mumbai
    expect(extractPinCodes('Wagholi 412207 and Mumbai 400001')).toEqual([
      { pin: '412207', area: 'pune-fringe' },
      { pin: '400001', area: 'other' },
    ]);
  });

  it('keeps a PIN written right before a phone number', () => {
    expect(extractPinCodes('Kothrud 411038 9822012345')).toEqual([{ pin: '411038', area: 'pune' }]);
  });

  it('does not take six digits from a longer number, a phone, a ticket, an amount or a decimal', () => {
    for (const text of [
      '9822012345',
      '98220 12345',
      '982 201 2345',
      '1411038',
      '4110381',
      '411038-22',
      'PMC411038',
      'complaint no 411038',
      'तक्रार क्रमांक ४११०३८',
      'Rs 150000 dand',
      '₹150000',
      '18.520411, 73.856744',
      '012345',
    ]) {
      expect(extractPinCodes(text), text).toEqual([]);
    }
  });

  it('lists each PIN once', () => {
    expect(extractPinCodes('411038 … 411 038 … ४११०३८')).toEqual([{ pin: '411038', area: 'pune' }]);
  });
});

describe('extractTicketNumbers', () => {
  it.each([
    'PMC 12345',
    'pmc-12345',
    'PMC12345',
    '#PMC12345',
    'तक्रार क्र. १२३४५',
    'तक्रार क्रमांक 12345',
    'माझ्या तक्रारीचा क्रमांक PMC12345 आहे',
    'माझ्या तक्रारीचा क्रमांक आहे १२३४५',
    'शिकायत संख्या 12345',
    'शिकायत नंबर १२३४५',
    'complaint no 12345',
    'Complaint number: 12345',
    'ticket #12345',
    'takrar kramank 12345',
    'meri shikayat number 12345 ka kya hua?',
    'docket no. 12345',
    'status 12345',
    'Status of 12345?',
    'स्थिती 12345',
  ])('reads %s as PMC12345', (text) => {
    expect(extractTicketNumbers(text)).toEqual(['PMC12345']);
  });

  it('takes a message that is only a number of ticket length, in either script, but not a Pune PIN code', () => {
    expect(extractTicketNumbers('12345')).toEqual(['PMC12345']);
    expect(extractTicketNumbers('१०००४')).toEqual(['PMC10004']);
    expect(extractTicketNumbers(' 10004 ? ')).toEqual(['PMC10004']);
    expect(extractTicketNumbers('411038')).toEqual([]);
    expect(extractTicketNumbers('९८२२०१२३४५')).toEqual([]);
  });

  it('reads the prefix spelled in Devanagari: पीएमसी, पी.एम.सी., पी एम सी', () => {
    for (const text of ['पीएमसी १०००४', 'पी.एम.सी. 10004 चे काय झाले', 'मेरी शिकायत पी एम सी-१०००४', 'तक्रार क्रमांक पीएमसी १०००४'])
      expect(extractTicketNumbers(text), text).toEqual(['PMC10004']);
  });

  it('does not take a number inside a sentence, a short one, one inside a word, or a phone number', () => {
    for (const text of [
      'पाणी 12345 लिटर वाया गेले',
      'PMC1234',
      'XPMC12345',
      'now 12345',
      'complaint no 9822012345',
      'complaint no 98220 12345',
      'call 9822012345',
      'complaint registered on 12/05/2024',
    ]) {
      expect(extractTicketNumbers(text), text).toEqual([]);
    }
  });

  it('keeps the ticket when a phone number follows it', () => {
    expect(extractTicketNumbers('complaint no 12345, mob 9822012345')).toEqual(['PMC12345']);
  });

  it('lists each ticket once, in order', () => {
    expect(extractTicketNumbers('PMC 12345 आणि PMC12346, पुन्हा pmc-12345')).toEqual(['PMC12345', 'PMC12346']);
  });

  it('uses the configured prefix', () => {
    expect(extractTicketNumbers('PCMC 23456 and complaint no 34567', 'PCMC')).toEqual(['PCMC23456', 'PCMC34567']);
    expect(extractTicketNumbers('PMC 23456', 'PCMC')).toEqual([]);
    // no prefix: ticket numbers are digits only, and only a keyword marks them
    expect(extractTicketNumbers('complaint no 45678, 56789', '')).toEqual(['45678']);
  });

  it('rejects a prefix the config could not hold, naming the key to fix', () => {
    expect(() => extractTicketNumbers('PMC 12345', 'pmc')).toThrow(/tickets\.prefix/);
    expect(() => extractTicketNumbers('PMC 12345', 'P.M.C')).toThrow(/0–8 capital letters/);
  });

  it('gives where the ticket is', () => {
    expect(findTicketNumbers('Status: PMC 20001 please')).toEqual([{ ticketNo: 'PMC20001', start: 0, end: 17 }]);
  });
});

describe('extractCoordinates', () => {
  it.each([
    ['18.5204, 73.8567'],
    ['18.5204,73.8567'],
    ['येथे कचरा आहे: १८.५२०४, ७३.८५६७'],
    ['18.5204° N, 73.8567° E'],
    ['18.5204N 73.8567E'],
    ['lat: 18.5204 long: 73.8567'],
    ['geo:18.5204,73.8567'],
    ['geo:18.5204,73.8567;u=35'],
    ['geo:0,0?q=18.5204,73.8567(कचरा)'],
    ['https://www.google.com/maps/search/?api=1&query=18.5204%2C73.8567'],
    ['https://www.google.com/maps/search/18.5204,+73.8567'],
    ['https://maps.apple.com/?ll=18.5204,73.8567&q=Dropped%20Pin'],
    ['https://www.openstreetmap.org/?mlat=18.5204&mlon=73.8567#map=17/18.52/73.85'],
  ])('reads %s', (text) => {
    expect(extractCoordinates(text)).toEqual({ lat: 18.5204, lon: 73.8567 });
  });

  it('reads Google Maps links at any precision', () => {
    expect(extractCoordinates('https://maps.google.com/?q=18.52,73.85')).toEqual({ lat: 18.52, lon: 73.85 });
    expect(extractCoordinates('इथे पहा https://www.google.com/maps/@18.52,73.85,17z')).toEqual({ lat: 18.52, lon: 73.85 });
  });

  it('prefers the place a link pins over the view it opens, and links over plain numbers', () => {
    const place =
      'https://www.google.com/maps/place/Shaniwar+Wada/@18.5195,73.8553,17z/data=!3m1!4b1!4m6!3m5!1s0x0:0x0!8m2!3d18.5195694!4d73.8553467';
    expect(extractCoordinates(place)).toEqual({ lat: 18.5195694, lon: 73.8553467 });
    expect(extractCoordinates('old 18.6000, 73.9000 new https://maps.google.com/?q=18.52,73.85')).toEqual({
      lat: 18.52,
      lon: 73.85,
    });
  });

  it('reads the hemisphere letters', () => {
    expect(extractCoordinates('33.8688 S, 151.2093 E')).toEqual({ lat: -33.8688, lon: 151.2093 });
  });

  it('ignores out-of-range values, 0,0, low-precision plain numbers and things that only look like numbers', () => {
    for (const text of [
      '95.1234, 73.8567',
      '18.5204, 190.1234',
      'geo:0,0',
      '18.52, 73.85',
      'bill 12.50, 40.25',
      'version 1.2.3',
      'पाणी सकाळी 5.30 ला येते',
      'https://maps.app.goo.gl/Ab12Cd34',
      'कोथरूड, पुणे 411038',
    ]) {
      expect(extractCoordinates(text), text).toBeUndefined();
    }
  });
});
