import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { prepareEmailText, stripQuotedReply, stripSignature } from '../../src/normalizer/email.ts';

const FIXTURES = new URL('../fixtures/email/', import.meta.url);
const parseFixture = async (name: string): Promise<ParsedMail> => simpleParser(await readFile(new URL(name, FIXTURES)));

const GARBAGE_MR = 'कर्वे रस्त्यावरील कचरा आठ दिवसांपासून उचललेला नाही.';
const DRAIN_HI = 'हमारी गली में नाली जाम है और पानी सड़क पर बह रहा है।';
const WATER_EN = 'No water supply in our society at Kothrud since Monday.';
const WATER_MR_LATN = 'Amchya society madhe teen divas pasun pani aala nahi.';
const ACK_QUOTE = '> Your complaint PMC10023 has been registered.\n> Pune Municipal Corporation';

describe('stripQuotedReply: reply headers', () => {
  it.each([
    ['Gmail (en)', `${WATER_EN}\n\nOn Mon, 3 Jun 2024 at 10:12, PMC Complaints <complaints@example.org> wrote:\n${ACK_QUOTE}`],
    ['Gmail (en, US date order)', `${WATER_EN}\n\nOn Mon, Jun 3, 2024 at 10:12 AM PMC Complaints <complaints@example.org> wrote:\n\n${ACK_QUOTE}`],
    [
      'Gmail wrapped over two lines',
      `${WATER_EN}\n\nOn Mon, 3 Jun 2024 at 10:12, Pune Municipal Corporation Complaints Cell <\ncomplaints@example.org> wrote:\n\n${ACK_QUOTE}`,
    ],
    ['Apple Mail', `${WATER_EN}\n\nOn 3 Jun 2024, at 10:12, PMC Complaints <complaints@example.org> wrote:\n\n${ACK_QUOTE}`],
    ['Thunderbird (name and time only)', `${WATER_EN}\n\nOn 03/06/2024 10:12, PMC Complaints wrote:\n${ACK_QUOTE}`],
    [
      'Gmail (mr) "… ने लिहिले:"',
      `${GARBAGE_MR}\n\nरवि, २ जून, २०२४ रोजी १०:१२ AM ला, PMC तक्रार कक्ष <complaints@example.org> ने लिहिले:\n> आपली तक्रार नोंदवली आहे.\n> पुणे महानगरपालिका`,
    ],
    [
      'Gmail (mr) wrapped, verb on the second line',
      `${GARBAGE_MR}\n\nरवि, २ जून, २०२४ रोजी १०:१२ AM ला, पुणे महानगरपालिका तक्रार कक्ष <complaints@example.org>\nने लिहिले:\n\n> आपली तक्रार नोंदवली आहे.\n> पुणे महानगरपालिका`,
    ],
    [
      '"… यांनी लिहिले:"',
      `${GARBAGE_MR}\n\n२ जून २०२४ रोजी १०:१२ वाजता PMC तक्रार कक्ष <complaints@example.org> यांनी लिहिले:\n> आपली तक्रार नोंदवली आहे.\n> पुणे महानगरपालिका`,
    ],
    ['bare "लिहिले:" with a date', `${GARBAGE_MR}\n\n०२/०६/२०२४ १०:१२ रोजी complaints@example.org लिहिले:\n> आपली तक्रार नोंदवली आहे.\n> धन्यवाद`],
    [
      'Hindi "… ने लिखा:"',
      `${DRAIN_HI}\n\nसोम, 3 जून 2024 को 10:12 am बजे PMC शिकायत कक्ष <complaints@example.org> ने लिखा:\n> आपकी शिकायत दर्ज कर ली गई है।\n> पुणे महानगरपालिका`,
    ],
  ])('%s: keeps the new text and cuts the header and the quote', (_name, text) => {
    const { body, quoted } = stripQuotedReply(text);
    expect(body).toBe(text.split('\n')[0]);
    expect(quoted).toMatch(/^(On|रवि|२|०२|सोम)/u);
    expect(quoted).toMatch(/(wrote|लिहिले|लिखा):/u);
    expect(quoted?.endsWith(text.split('\n').at(-1) ?? '')).toBe(true);
  });

  // the form a Marathi-localised mail client writes: "{date} रोजी {from} यांनी लिहिले:"
  it('cuts at the Marathi "… रोजी … यांनी लिहिले:" header with Devanagari digits in the date', () => {
    const text = 'कोथरूडमध्ये अजून कचरा पडलेला आहे.\n\nसोम, २३ नोव्हें, २०२६ रोजी १०:१२ AM रोजी PMC <complaints@pmc.example.org> यांनी लिहिले:\n> आपली तक्रार PMC10001 मिळाली';
    expect(stripQuotedReply(text).body).toBe('कोथरूडमध्ये अजून कचरा पडलेला आहे.');
  });

  it('cuts everything below a header even without ">" marks (HTML converted, some webmails)', () => {
    const text = `${WATER_EN}\n\nOn Mon, 3 Jun 2024 at 10:12, PMC Complaints <complaints@example.org> wrote:\n\nYour complaint PMC10023 has been registered.`;
    expect(stripQuotedReply(text)).toEqual({
      body: WATER_EN,
      quoted: 'On Mon, 3 Jun 2024 at 10:12, PMC Complaints <complaints@example.org> wrote:\n\nYour complaint PMC10023 has been registered.',
      forwarded: false,
    });
  });
});

describe('stripQuotedReply: Outlook', () => {
  it('cuts at "-----Original Message-----" and Thunderbird\'s Hindi "मूल संदेश"', () => {
    const en = `${WATER_EN}\n\n-----Original Message-----\nFrom: PMC Complaints [mailto:complaints@example.org]\nSent: Monday, June 3, 2024 10:12 AM\n\nRegistered.`;
    expect(stripQuotedReply(en).body).toBe(WATER_EN);
    expect(stripQuotedReply(en).quoted).toMatch(/^-----Original Message-----\n/);
    const hi = `${DRAIN_HI}\n\n-------- मूल संदेश --------\nविषय: शिकायत PMC10044\nदिनांक: 3 जून 2024\n\nदर्ज कर ली गई है।`;
    expect(stripQuotedReply(hi).body).toBe(DRAIN_HI);
  });

  it('cuts at an English From/Sent/To/Subject block, with or without the underscore rule', () => {
    const block = 'From: PMC Complaints <complaints@example.org>\nSent: Monday, June 3, 2024 10:12 AM\nTo: Ramesh Patil <ramesh@example.com>\nSubject: Complaint PMC10023\n\nYour complaint has been registered.';
    const withRule = `${WATER_EN}\n\n________________________________\n${block}`;
    expect(stripQuotedReply(withRule)).toEqual({ body: WATER_EN, quoted: `________________________________\n${block}`, forwarded: false });
    const bare = `${WATER_EN}\n\n${block}`;
    expect(stripQuotedReply(bare)).toEqual({ body: WATER_EN, quoted: block, forwarded: false });
    // Outlook on the web's HTML converted to text: the <hr> becomes a dash rule
    const fromHtml = `${WATER_EN}\n\n----------------------------------------\n\n${block}`;
    expect(stripQuotedReply(fromHtml).body).toBe(WATER_EN);
  });

  it('cuts at the Marathi header labels (प्रेषक, पाठविले, प्रति, विषय)', () => {
    const text = `${GARBAGE_MR}\n\n________________________________\nप्रेषक: PMC तक्रार कक्ष <complaints@example.org>\nपाठविले: सोमवार, ३ जून २०२४ १०:१२\nप्रति: ramesh@example.com\nविषय: आपली तक्रार PMC10023\n\nआपली तक्रार नोंदवली आहे.`;
    const { body, quoted } = stripQuotedReply(text);
    expect(body).toBe(GARBAGE_MR);
    expect(quoted).toContain('प्रेषक: PMC तक्रार कक्ष');
    expect(quoted).toContain('आपली तक्रार नोंदवली आहे.');
  });

  it('cuts at the Hindi header labels (प्रेषक, भेजा गया, प्रति, विषय), without a rule', () => {
    const text = `${DRAIN_HI}\n\nप्रेषक: PMC शिकायत कक्ष <complaints@example.org>\nभेजा गया: सोमवार, 3 जून 2024 18:05\nप्रति: Suresh Sharma <suresh@example.com>\nविषय: नाली जाम\n\nआपकी शिकायत दर्ज कर ली गई है।`;
    expect(stripQuotedReply(text).body).toBe(DRAIN_HI);
  });

  it('does not take a "From:" line in a complaint for a header block', () => {
    const text = `From: Flat 4, Sai Residency, Kothrud\nTo: Ward office\n\n${WATER_EN}`;
    expect(stripQuotedReply(text)).toEqual({ body: text, quoted: undefined, forwarded: false });
  });
});

describe('stripQuotedReply: ">" blocks', () => {
  it('removes a trailing ">" block that has no header', () => {
    const text = `${WATER_MR_LATN}\n\n${ACK_QUOTE}\n`;
    expect(stripQuotedReply(text)).toEqual({ body: WATER_MR_LATN, quoted: ACK_QUOTE, forwarded: false });
  });

  it('keeps the unquoted text below when the message starts with the quote (bottom-posting)', () => {
    const text = `On Mon, 3 Jun 2024 at 10:12, PMC <complaints@example.org> wrote:\n> Please send the name of your ward.\n> Regards\n\nWard 12, Kothrud. ${WATER_MR_LATN}`;
    const { body, quoted } = stripQuotedReply(text);
    expect(body).toBe(`Ward 12, Kothrud. ${WATER_MR_LATN}`);
    expect(quoted).toContain('> Please send the name of your ward.');
  });

  it('keeps every answer of an inline reply and drops the questions', () => {
    const text = '> वॉर्डचे नाव कळवा.\nवॉर्ड १२, कोथरूड\n> जवळची खूण?\nकर्वे रस्ता सिग्नलजवळ';
    expect(stripQuotedReply(text)).toEqual({
      body: 'वॉर्ड १२, कोथरूड\nकर्वे रस्ता सिग्नलजवळ',
      quoted: '> वॉर्डचे नाव कळवा.\n> जवळची खूण?',
      forwarded: false,
    });
  });

  it('keeps a ">" block inside the citizen\'s own text, and a single ">" line', () => {
    const quotedInside = `I wrote to you earlier:\n> garbage not collected\n> for five days\nNothing has happened since.`;
    expect(stripQuotedReply(quotedInside).body).toBe(quotedInside);
    const single = 'पाणीपुरवठा:\n> ५ दिवस पाणी नाही';
    expect(stripQuotedReply(single)).toEqual({ body: single, quoted: undefined, forwarded: false });
  });

  it('never returns an empty body: a message that is only a quote is kept whole', () => {
    const text = `On Mon, 3 Jun 2024 at 10:12, PMC <complaints@example.org> wrote:\n${ACK_QUOTE}`;
    expect(stripQuotedReply(text)).toEqual({ body: text, quoted: undefined, forwarded: false });
    expect(stripQuotedReply(`${ACK_QUOTE}\n\n`).body).toBe(ACK_QUOTE);
  });

  it('does not cut at "wrote:" in running text without an address, a time or a quote below', () => {
    const text = `${WATER_EN}\nOn 3 June your officer wrote:\nthe road will be repaired this week.\nNothing happened.`;
    expect(stripQuotedReply(text).quoted).toBeUndefined();
    const mr = `${GARBAGE_MR}\nअधिकाऱ्यांनी पत्रात लिहिले:\nरस्ता या आठवड्यात दुरुस्त होईल.\nपण अजून काहीच झाले नाही.`;
    expect(stripQuotedReply(mr).quoted).toBeUndefined();
  });
});

describe('stripQuotedReply: forwards are kept', () => {
  const forwarded = `From: Ramesh Patil <ramesh@example.com>\nDate: Mon, 3 Jun 2024 at 10:12\nSubject: Water leak\nTo: <corporator@example.org>\n\n${WATER_EN}`;

  it('keeps a Gmail forward whole, its From/Date/Subject block included', () => {
    const text = `Please look into this.\n\n---------- Forwarded message ---------\n${forwarded}`;
    expect(stripQuotedReply(text)).toEqual({ body: text, quoted: undefined, forwarded: true });
  });

  it('keeps an Apple Mail forward, whose forwarded mail is a ">" block', () => {
    const text = `Kripaya hi takrar pahavi.\n\nBegin forwarded message:\n\n> From: Sunita <sunita@example.com>\n> Subject: pani\n>\n> ${WATER_MR_LATN}`;
    expect(stripQuotedReply(text)).toEqual({ body: text, quoted: undefined, forwarded: true });
  });

  it('keeps an Outlook forward (its block looks like a reply\'s) when the subject says FW:', () => {
    const text = `FYI\n\n________________________________\nFrom: Suresh Sharma <suresh@example.com>\nSent: Monday, June 3, 2024 10:12 AM\nTo: Ward 14 <ward14@example.org>\nSubject: नाली जाम\n\n${DRAIN_HI}`;
    expect(stripQuotedReply(text, { subject: 'FW: नाली जाम' })).toEqual({ body: text, quoted: undefined, forwarded: true });
    // the same text under a reply subject is a reply
    expect(stripQuotedReply(text, { subject: 'RE: नाली जाम' }).body).toBe('FYI');
  });

  it('keeps a forward under the Marathi header mail clients write ("फॉरवर्ड केलेला मेसेज")', () => {
    const text = 'हे पाहा, अजून काम झाले नाही\n\n---------- फॉरवर्ड केलेला मेसेज ---------\nप्रेषक: रमेश <ramesh@example.org>\nदिनांक: २३ नोव्हें, २०२६\nविषय: कचरा\n\nकोथरूडमध्ये कचरा उचलला नाही';
    const result = stripQuotedReply(text);
    expect(result.forwarded).toBe(true);
    expect(result.body).toContain('कोथरूडमध्ये कचरा उचलला नाही');
  });

  it('still cuts an older reply thread inside the forwarded mail', () => {
    const text = `Please see below.\n\n---------- Forwarded message ---------\n${forwarded}\n\nOn Sun, 2 Jun 2024 at 09:00, Ward Office <ward@example.org> wrote:\n> We will send a plumber.\n> Regards`;
    const { body, quoted, forwarded: isForward } = stripQuotedReply(text);
    expect(isForward).toBe(true);
    expect(body.endsWith(WATER_EN)).toBe(true);
    expect(quoted).toMatch(/^On Sun, 2 Jun 2024/);
  });
});

describe('stripSignature', () => {
  it.each([
    ['RFC 3676 "-- "', `${WATER_EN}\n\n-- \nRamesh Patil\nKothrud, Pune`, '-- \nRamesh Patil\nKothrud, Pune'],
    ['"--" without the space', `${WATER_EN}\n--\nRamesh Patil`, '--\nRamesh Patil'],
    ['Sent from my iPhone', `${WATER_EN}\n\nSent from my iPhone`, 'Sent from my iPhone'],
    ['Sent from my Samsung Galaxy smartphone.', `${WATER_EN}\n\nSent from my Samsung Galaxy smartphone.`, 'Sent from my Samsung Galaxy smartphone.'],
    ['Sent from my Android', `${WATER_EN}\nSent from my Android`, 'Sent from my Android'],
    ['Get Outlook for Android', `${WATER_EN}\n\nGet Outlook for Android<https://aka.ms/AAb9ysg>`, 'Get Outlook for Android<https://aka.ms/AAb9ysg>'],
    ['माझ्या iPhone वरून पाठवले', `${GARBAGE_MR}\n\nमाझ्या iPhone वरून पाठवले`, 'माझ्या iPhone वरून पाठवले'],
    ['मेरे iPhone से भेजा गया', `${DRAIN_HI}\n\nमेरे iPhone से भेजा गया`, 'मेरे iPhone से भेजा गया'],
    ['Regards,\\nName', `${WATER_EN}\n\nRegards,\nRamesh Patil`, 'Regards,\nRamesh Patil'],
    ['Thanks & Regards', `${WATER_EN}\n\nThanks & Regards,\nRamesh Patil\nFlat 4, Sai Residency, Kothrud\n90000 00011`, 'Thanks & Regards,\nRamesh Patil\nFlat 4, Sai Residency, Kothrud\n90000 00011'],
    ['धन्यवाद,\\nनाव', `${GARBAGE_MR}\n\nधन्यवाद,\nरमेश पाटील`, 'धन्यवाद,\nरमेश पाटील'],
    ['आपला नम्र,', `${GARBAGE_MR}\n\nआपला नम्र,\nरमेश पाटील\nकोथरूड, पुणे`, 'आपला नम्र,\nरमेश पाटील\nकोथरूड, पुणे'],
    ['भवदीय,', `${DRAIN_HI}\n\nभवदीय,\nसुरेश शर्मा`, 'भवदीय,\nसुरेश शर्मा'],
    ['romanised "Dhanyavad,"', `${WATER_MR_LATN}\nDhanyavad,\nSunita Kulkarni`, 'Dhanyavad,\nSunita Kulkarni'],
    ['"धन्यवाद, नाव" on one line', `${GARBAGE_MR}\nधन्यवाद, रमेश पाटील`, 'धन्यवाद, रमेश पाटील'],
  ])('%s', (_name, text, signature) => {
    const result = stripSignature(text);
    expect(result.signature).toBe(signature);
    expect(result.body).toBe(text.slice(0, text.length - signature.length).trim());
  });

  it('removes a closing block and the mobile line below it together', () => {
    const text = `${WATER_EN}\nPlease act soon.\n\nRegards,\nRamesh\n\nSent from my iPhone`;
    expect(stripSignature(text)).toEqual({ body: `${WATER_EN}\nPlease act soon.`, signature: 'Regards,\nRamesh\n\nSent from my iPhone' });
  });

  it('keeps a closing followed by more than four lines, or by a long line: that is text, not a sign-off', () => {
    const many = `${WATER_EN}\nThanks,\nline one\nline two\nline three\nline four\nline five`;
    expect(stripSignature(many).signature).toBeUndefined();
    const long = `${GARBAGE_MR}\nधन्यवाद,\nपण कचरा अजूनही तसाच पडून आहे आणि त्यामुळे परिसरात दुर्गंधी पसरली आहे, लवकर उचलावा.`;
    expect(stripSignature(long).signature).toBeUndefined();
  });

  it('keeps a sentence that starts with a closing word', () => {
    const text = `Thanks for the quick reply, but ${WATER_EN.toLowerCase()}`;
    expect(stripSignature(text)).toEqual({ body: text, signature: undefined });
  });

  it('never strips the whole message', () => {
    expect(stripSignature('Thanks,\nRamesh')).toEqual({ body: 'Thanks,\nRamesh', signature: undefined });
    expect(stripSignature('Sent from my iPhone').signature).toBeUndefined();
    expect(stripSignature('-- \nRamesh').signature).toBeUndefined();
  });

  it('ignores a "--" far above the end: a separator in the text, not a signature', () => {
    const text = `${WATER_EN}\n--\n${Array.from({ length: 12 }, (_, i) => `detail ${i + 1}`).join('\n')}`;
    expect(stripSignature(text).signature).toBeUndefined();
  });
});

describe('stripping never invents or loses the whole text (property)', () => {
  const line = fc.oneof(
    fc.constantFrom(
      WATER_EN,
      GARBAGE_MR,
      DRAIN_HI,
      WATER_MR_LATN,
      '> quoted line',
      '>',
      '',
      '-- ',
      'Regards,',
      'धन्यवाद,',
      'Sent from my iPhone',
      'On Mon, 3 Jun 2024 at 10:12, PMC <complaints@example.org> wrote:',
      'रवि, २ जून, २०२४ रोजी १०:१२ AM ला, PMC <complaints@example.org> ने लिहिले:',
      '________________________________',
      'From: PMC <complaints@example.org>',
      'Sent: Monday, June 3, 2024',
      'Subject: PMC10023',
      '---------- Forwarded message ---------',
    ),
    fc.string({ maxLength: 30 }),
  );

  it('every body line comes from the input, and a non-blank input gives a non-blank body', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        const text = lines.join('\n');
        const inputLines = new Set(text.split('\n').map((l) => l.trim()));
        const reply = stripQuotedReply(text);
        const signed = stripSignature(reply.body);
        for (const out of [reply.body, signed.body]) {
          for (const l of out.split('\n')) expect(inputLines.has(l.trim())).toBe(true);
          expect(out.trim() === '').toBe(text.trim() === '');
        }
      }),
    );
  });
});

describe('prepareEmailText', () => {
  it('cuts the quote, then the signature that sat above it', () => {
    const text = `${WATER_EN}\n\nRegards,\nRamesh Patil\n\nOn Mon, 3 Jun 2024 at 10:12, PMC <complaints@example.org> wrote:\n${ACK_QUOTE}`;
    const result = prepareEmailText({ text, headers: new Map(), subject: 'Re: Complaint PMC10023' });
    expect(result).toEqual({
      body: WATER_EN,
      quoted: `On Mon, 3 Jun 2024 at 10:12, PMC <complaints@example.org> wrote:\n${ACK_QUOTE}`,
      signature: 'Regards,\nRamesh Patil',
      forwarded: false,
      automated: { automated: false },
    });
  });

  it('falls back to the HTML body when there is no plain text, and strips a Gmail quote from it', () => {
    const html =
      '<div dir="ltr"><div>कचरा अजूनही उचललेला नाही.</div><div><br></div><div>धन्यवाद,</div><div>रमेश पाटील</div></div><br>' +
      '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">रवि, २ जून, २०२४ रोजी १०:१२ AM ला, PMC तक्रार कक्ष &lt;<a href="mailto:complaints@example.org">complaints@example.org</a>&gt; ने लिहिले:<br></div>' +
      '<blockquote class="gmail_quote"><div>आपली तक्रार नोंदवली आहे.</div></blockquote></div>';
    const result = prepareEmailText({ text: undefined, html, headers: {}, subject: 'Re: कचरा' });
    expect(result.body).toBe('कचरा अजूनही उचललेला नाही.');
    expect(result.signature).toBe('धन्यवाद,\nरमेश पाटील');
    expect(result.quoted).toContain('> आपली तक्रार नोंदवली आहे.');
  });

  it('marks an auto-reply and still returns its text', () => {
    const result = prepareEmailText({ text: 'I am out of the office until 7 June.', headers: { 'auto-submitted': 'auto-replied' }, subject: 'Automatic reply: Complaint PMC10023' });
    expect(result.automated).toEqual({ automated: true, kind: 'auto-reply', reason: 'Auto-Submitted: auto-replied' });
    expect(result.body).toBe('I am out of the office until 7 June.');
  });
});

describe('prepareEmailText on .eml fixtures parsed with mailparser', () => {
  it('Gmail reply in Marathi (written for this project): body, signature and the quoted acknowledgement', async () => {
    const mail = await parseFixture('gmail-reply-mr.eml');
    const result = prepareEmailText({ text: mail.text, html: mail.html, headers: mail.headers, subject: mail.subject });
    expect(result.body).toBe('नमस्कार,\n\nतक्रार नोंदवून आठ दिवस झाले तरी कर्वे रस्त्यावरील कचराकुंडीजवळचा कचरा अजूनही\nउचललेला नाही. आज सकाळी पुन्हा पाहिले, ढीग वाढतच आहे.');
    expect(result.signature).toBe('धन्यवाद,\nरमेश पाटील\n९०००० ०००११');
    expect(result.quoted).toMatch(/^रवि, २ जून, २०२४ रोजी १०:१२ AM ला, .*<\ncomplaints@pmc\.example\.org> ने लिहिले:/u);
    expect(result.quoted).toContain('आपली तक्रार क्रमांक PMC10023 नोंदवली गेली आहे.');
    expect(result.automated.automated).toBe(false);
  });

  it('Outlook reply in Hindi with localised header labels (written for this project)', async () => {
    const mail = await parseFixture('outlook-reply-hi.eml');
    const result = prepareEmailText({ text: mail.text, headers: mail.headers, subject: mail.subject });
    expect(result.body).toBe('नमस्ते,\n\nहमारी गली (वार्ड 14, हडपसर) में नाली अब भी जाम है और गंदा पानी सड़क पर बह रहा है।\nकृपया जल्द से जल्द सफ़ाई करवाएँ।');
    expect(result.signature).toBe('भवदीय,\nसुरेश शर्मा\nमो. 90000 00022');
    expect(result.quoted).toMatch(/^_{32}\nप्रेषक: PMC शिकायत कक्ष/u);
  });

  it('Apple Mail forward of a romanised Marathi complaint keeps the forwarded complaint (written for this project)', async () => {
    const mail = await parseFixture('apple-forward-mr-latn.eml');
    const result = prepareEmailText({ text: mail.text, headers: mail.headers, subject: mail.subject });
    expect(result.forwarded).toBe(true);
    expect(result.quoted).toBeUndefined();
    expect(result.body).toContain('> Namaskar, amchya Shivajinagar madhil Gokhale society madhe teen divas pasun pani aala nahi.');
    expect(result.body.startsWith('Kripaya hi takrar pahavi.')).toBe(true);
  });

  it('real reply with a "--" signature (stalwart thirdparty/015): signature cut, body kept whole', async () => {
    const mail = await parseFixture('stalwart__thirdparty_015.eml');
    const result = prepareEmailText({ text: mail.text, headers: mail.headers, subject: mail.subject });
    expect(result.signature).toMatch(/^--\nSam Sender\nInhaber \| ExampleForge/);
    expect(result.body.startsWith('Hallo Alex,')).toBe(true);
    expect(result.body.endsWith('Beste Grüße')).toBe(true);
    expect(result.quoted).toBeUndefined();
  });

  it('real transactional mail with an RFC 3676 "-- " signature (enmime ctype-bug)', async () => {
    const mail = await parseFixture('enmime__mail_ctype-bug.eml');
    const result = prepareEmailText({ text: mail.text, headers: mail.headers, subject: mail.subject });
    expect(result.signature).toBe('-- \nCan we help?\nsupport@papertrailapp.com - http://help.papertrailapp.com/ - https://papertrailapp.com/chat');
    expect(result.body.endsWith('All of us at Papertrail')).toBe(true);
  });

  it('real Outlook 2000 message (stalwart legacy/001): nothing is cut', async () => {
    const mail = await parseFixture('stalwart__legacy_001.eml');
    const result = prepareEmailText({ text: mail.text, headers: mail.headers, subject: mail.subject });
    expect(result.body).toBe(mail.text?.trim());
    expect(result.quoted).toBeUndefined();
    expect(result.signature).toBeUndefined();
  });

  it('real HTML-only forward (php-mime-mail-parser issue158a): the HTML body is used', async () => {
    const mail = await parseFixture('phpmimemailparser__issue158a.eml');
    expect(mail.text).toBeUndefined();
    const result = prepareEmailText({ text: mail.text, html: mail.html, headers: mail.headers, subject: mail.subject });
    expect(result.body).toBe('An RFC 822 forward with a HTML body');
  });
});
