import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationIssues } from '../../src/connectors/lokshahi/application.ts';
import { DEFAULT_COLUMNS, FIELDS, headerKey, matchHeaders, mergeColumns } from '../../src/connectors/lokshahi/columns.ts';
import { RegisterError, countRows, readRegister, type RegisterRow } from '../../src/connectors/lokshahi/register.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lokshahi-register-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = async (path: string, sheet?: string): Promise<RegisterRow[]> => {
  const rows: RegisterRow[] = [];
  for await (const r of readRegister(path, { columns: DEFAULT_COLUMNS, ...(sheet ? { sheet } : {}) })) rows.push(r);
  return rows;
};
const refusal = async (path: string, sheet?: string): Promise<RegisterError> => {
  try {
    await read(path, sheet);
  } catch (err) {
    expect(err).toBeInstanceOf(RegisterError);
    return err as RegisterError;
  }
  throw new Error('expected the register to be refused');
};
const file = async (name: string, content: string): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, content, 'utf8');
  return path;
};

const MR_HEADER = 'टोकन क्रमांक,अर्जाचा दिनांक,अर्जदाराचे नाव,पत्ता,मोबाईल क्रमांक,ई-मेल,विभाग / क्षेत्रीय कार्यालय,विषय,तक्रारीचा तपशील,पूर्वीचा टोकन क्रमांक,अपील,कागदपत्रे,सुनावणी दिनांक';

describe('readRegister: CSV', () => {
  it('reads a register with Marathi headers: dates, Devanagari digits, yes/no, attachments, a cell on two lines', async () => {
    const path = await file(
      'march-mr.csv',
      [
        MR_HEADER,
        'LD/2026/0412,05/03/2026,सुनीता पाटील,"कसबा पेठ, पुणे",९८२२०१२३४५,sunita@example.org,कसबा-विश्रामबागवाडा,कचरा,"गल्लीत कचरा उचलला जात नाही.\nदोन आठवडे झाले.",LD/2026/0101,होय,फोटो.jpg; https://example.org/7-12.pdf,०२.०४.२०२६',
        ',,,,,,,,,,,,',
        '',
        '४१३,2026-03-06,रमेश जोशी,,,,,पाणी,पाणी कमी दाबाने येते,,नाही,,',
      ].join('\n'),
    );
    const rows = await read(path);
    expect(rows.map((r) => r.row)).toEqual([2, 5]);
    expect(rows[0]).toEqual({
      row: 2,
      application: {
        token: 'LD/2026/0412',
        applicationDate: '2026-03-05',
        hearingDate: '2026-04-02',
        applicant: { name: 'सुनीता पाटील', address: 'कसबा पेठ, पुणे', mobile: '9822012345', email: 'sunita@example.org' },
        office: 'कसबा-विश्रामबागवाडा',
        subject: 'कचरा',
        description: 'गल्लीत कचरा उचलला जात नाही.\nदोन आठवडे झाले.',
        earlierToken: 'LD/2026/0101',
        escalation: true,
        attachments: [{ name: 'फोटो.jpg' }, { url: 'https://example.org/7-12.pdf' }],
      },
    });
    expect(rows[1]!.application).toMatchObject({ token: '413', applicationDate: '2026-03-06', escalation: false, applicant: { name: 'रमेश जोशी' } });
  });

  it('reads English headers in any case and punctuation, columns in any order', async () => {
    const path = await file(
      'march-en.csv',
      ['DESCRIPTION,token no.,Applicant  Name,Application-Date,Subject,Phone,Hearing Date,Escalation', 'Street light off for a week,412,Asha Kulkarni,5-3-2026,Street light,+91 98220 12345,2026-04-06,yes'].join('\r\n'),
    );
    expect(await read(path)).toEqual([
      {
        row: 2,
        application: {
          token: '412',
          applicationDate: '2026-03-05',
          hearingDate: '2026-04-06',
          applicant: { name: 'Asha Kulkarni', mobile: '+91 98220 12345' },
          subject: 'Street light',
          description: 'Street light off for a week',
          escalation: true,
        },
      },
    ]);
  });

  it('tolerates the BOM Excel writes before "CSV UTF-8"', async () => {
    const path = await file('bom.csv', `\uFEFF${MR_HEADER}\n412,05/03/2026,सुनीता पाटील,,,,,कचरा,कचरा उचलला जात नाही,,,,`);
    const rows = await read(path);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.application?.token).toBe('412');
  });

  it('rejects a bad row with its row number, field, column and value, and reads on', async () => {
    const path = await file(
      'bad-rows.csv',
      [
        MR_HEADER,
        '1,31/02/2026,अ,,,,,विषय,तपशील,,,,',
        '2,05/03/2026,ब,,98220,,,विषय,तपशील,,कदाचित,,',
        '3,05/03/2026,क,,,,,,तपशील,,,,',
        '4,05/03/2026,ड,,,abc@,,विषय,तपशील,,,,',
        '5,05/03/2026,इ,,,,,विषय,तपशील,,,,',
      ].join('\n'),
    );
    const rows = await read(path);
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]);
    expect(rows[0]!.error).toBe('applicationDate (column "अर्जाचा दिनांक"): "31/02/2026" is not a date; write it as dd/mm/yyyy, e.g. 05/03/2026');
    expect(rows[1]!.error).toContain('escalation (column "अपील"): "कदाचित" is not yes or no');
    expect(rows[1]!.error).toContain('applicant.mobile must be a phone number: 10 digits, or +91 and 10 digits (column "मोबाईल क्रमांक"): "98220"');
    expect(rows[2]!.error).toBe('subject is missing (column "विषय")');
    expect(rows[3]!.error).toBe('applicant.email is not an e-mail address (column "ई-मेल"): "abc@"');
    expect(rows[4]!.application?.token).toBe('5');
  });

  it('refuses a register without a required column, naming the field and the headers it looked for', async () => {
    const path = await file('no-subject.csv', 'टोकन क्रमांक,अर्जाचा दिनांक,नाव,तपशील\n1,05/03/2026,अ,तपशील\n');
    const err = await refusal(path);
    expect(err.message).toContain('no column for subject (a header "विषय" or "तक्रारीचा विषय" or "Subject")');
    expect(err.message).toContain('The headers found are: "टोकन क्रमांक", "अर्जाचा दिनांक", "नाव", "तपशील"');
  });

  it('finds the header below a title row; row numbers stay those of the sheet', async () => {
    const path = await file('title.csv', `लोकशाही दिन नोंदवही - मार्च 2026,,\n${MR_HEADER}\n412,05/03/2026,सुनीता पाटील,,,,,कचरा,कचरा उचलला जात नाही,,,,`);
    expect((await read(path)).map((r) => r.row)).toEqual([3]);
  });

  it('counts the rows below the header for a progress bar', async () => {
    const path = await file('count.csv', `${MR_HEADER}\n1,a\n2,"b\nc"\n3,d\n`);
    expect(await countRows(path)).toBe(3);
  });
});

describe('readRegister: file kinds', () => {
  it('refuses a kind it does not read, saying which it reads', async () => {
    const xls = await file('old.xls', 'not really');
    expect((await refusal(xls)).message).toMatch(/cannot read a "\.xls" file \(an old Excel 97-2003 workbook.*registers are read as \.csv or \.xlsx/);
    const txt = await file('register.txt', MR_HEADER);
    expect((await refusal(txt)).message).toContain('registers are read as .csv or .xlsx');
  });

  it('refuses a missing file and a .xlsx that is not one', async () => {
    expect((await refusal(join(dir, 'missing.csv'))).message).toContain('no such file');
    const fake = await file('fake.xlsx', MR_HEADER);
    expect((await refusal(fake)).message).toContain('not readable as an .xlsx workbook');
  });
});

describe('readRegister: XLSX', () => {
  let path: string;
  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('सूचना').addRow(['ही शीट नोंदवही नाही']);
    const ws = wb.addWorksheet('मार्च 2026');
    ws.addRow(['लोकशाही दिन नोंदवही']);
    ws.addRow(['अ.क्र.', 'टोकन क्रमांक', 'अर्जाचा दिनांक', 'अर्जदाराचे नाव', 'मोबाईल क्रमांक', 'विषय', 'तक्रारीचा तपशील', 'ई-मेल', 'अपील']);
    // row 3: a numeric mobile, a date cell, a numeric token
    ws.addRow([1, 412, new Date(Date.UTC(2026, 2, 5)), 'सुनीता पाटील', 9822012345, 'कचरा', 'गल्लीत कचरा उचलला जात नाही', null, true]);
    ws.getCell('C3').numFmt = 'dd/mm/yyyy';
    // row 4: a Devanagari-digit date, a rich-text name, a hyperlink e-mail, a formula subject
    ws.addRow([
      2,
      'LD/२०२६/०४१३',
      '०६/०३/२०२६',
      { richText: [{ text: 'रमेश ', font: { bold: true } }, { text: 'जोशी' }] },
      '९८२२०१२३४६',
      { formula: '"पाणी"', result: 'पाणी' },
      'पाणी कमी दाबाने येते',
      { text: 'ramesh@example.org', hyperlink: 'mailto:ramesh@example.org' },
      'नाही',
    ]);
    // row 5: only the serial number pre-filled: empty
    ws.addRow([3]);
    // row 7 (row 6 left out altogether): the subject missing
    ws.getRow(7).values = [4, '415', '07/03/2026', 'आशा कुलकर्णी', '', '', 'पथदिवे बंद आहेत'];
    path = join(dir, 'register.xlsx');
    await wb.xlsx.writeFile(path);
  });

  it('reads the named sheet: numbers, dates, Devanagari digits, rich text, hyperlinks and formulas as text', async () => {
    const rows = await read(path, 'मार्च 2026');
    expect(rows.map((r) => r.row)).toEqual([3, 4, 7]);
    expect(rows[0]!.application).toEqual({
      token: '412',
      applicationDate: '2026-03-05',
      applicant: { name: 'सुनीता पाटील', mobile: '9822012345' },
      subject: 'कचरा',
      description: 'गल्लीत कचरा उचलला जात नाही',
      escalation: true,
    });
    expect(rows[1]!.application).toEqual({
      token: 'LD/2026/0413',
      applicationDate: '2026-03-06',
      applicant: { name: 'रमेश जोशी', mobile: '9822012346', email: 'ramesh@example.org' },
      subject: 'पाणी',
      description: 'पाणी कमी दाबाने येते',
      escalation: false,
    });
    expect(rows[2]).toEqual({ row: 7, error: 'subject is missing (column "विषय")' });
  });

  it('reads the first sheet by default, and refuses a sheet that is not there', async () => {
    // the first sheet has no register header
    expect((await refusal(path)).message).toContain('no column for token');
    const err = await refusal(path, 'एप्रिल');
    expect(err.message).toContain('no sheet named "एप्रिल"; the sheets are "सूचना", "मार्च 2026"');
  });

  it('names the sheet on each of 40 reads at once (the one-pass reader of exceljs #3064 could lose the workbook part)', async () => {
    const reads = await Promise.all(Array.from({ length: 40 }, () => countRows(path, { sheet: 'मार्च 2026' })));
    expect(reads).toEqual(Array.from({ length: 40 }, () => 6));
  });

  it('reads a sheet dimension as the row count', async () => {
    expect(await countRows(path, { sheet: 'मार्च 2026' })).toBe(6);
  });

  it('streams a 10,000-row register', async () => {
    const big = join(dir, 'big.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: big, useSharedStrings: true });
    const ws = writer.addWorksheet('नोंदवही');
    ws.addRow(['टोकन क्रमांक', 'अर्जाचा दिनांक', 'अर्जदाराचे नाव', 'मोबाईल क्रमांक', 'विषय', 'तक्रारीचा तपशील']).commit();
    for (let i = 1; i <= 10_000; i++) ws.addRow([`LD/2026/${i}`, '05/03/2026', `अर्जदार ${i}`, 9822000000 + i, 'कचरा', `गल्ली ${i} मध्ये कचरा उचलला जात नाही`]).commit();
    ws.commit();
    await writer.commit();

    const started = Date.now();
    let n = 0;
    let last: RegisterRow | undefined;
    for await (const r of readRegister(big, { columns: DEFAULT_COLUMNS })) {
      if (r.error) throw new Error(`row ${r.row}: ${r.error}`);
      n++;
      // Devanagari is three bytes a character: every 16 KB chunk boundary of the inflated XML splits one
      if (r.application!.description !== `गल्ली ${n} मध्ये कचरा उचलला जात नाही`) throw new Error(`row ${r.row}: ${r.application!.description}`);
      last = r;
    }
    expect(n).toBe(10_000);
    expect(last).toMatchObject({ row: 10_001, application: { token: 'LD/2026/10000', applicant: { mobile: '9822010000' } } });
    expect(Date.now() - started).toBeLessThan(10_000);
    // exceljs's streaming writer cannot know the size up front, so it writes no <dimension>: no total
    expect(await countRows(big)).toBeUndefined();
  });

  it('stops reading when the caller stops', async () => {
    for await (const r of readRegister(path, { columns: DEFAULT_COLUMNS, sheet: 'मार्च 2026' })) {
      expect(r.row).toBe(3);
      break;
    }
  });
});

describe('columns', () => {
  it('puts no header name under two fields', () => {
    const owner = new Map<string, string>();
    for (const [field, names] of Object.entries(DEFAULT_COLUMNS))
      for (const n of names) {
        const other = owner.get(headerKey(n));
        expect(other === undefined || other === field, `"${n}" is under ${other} and ${field}`).toBe(true);
        owner.set(headerKey(n), field);
      }
    expect(Object.keys(DEFAULT_COLUMNS).sort()).toEqual([...FIELDS].sort());
  });

  it('compares headers without case, spaces, punctuation or invisible marks', () => {
    expect(headerKey(' Token  No. ')).toBe(headerKey('token no'));
    expect(headerKey('टोकन नं.')).toBe(headerKey('टोकन नं'));
    expect(headerKey('ई\u200D-मेल')).toBe(headerKey('ईमेल'));
    const m = matchHeaders(['TOKEN NUMBER', 'date', 'name', 'SUBJECT', 'grievance', 'Date'], DEFAULT_COLUMNS);
    expect(m.error).toBeUndefined();
    expect(Object.fromEntries(m.columns)).toEqual({ token: 0, applicationDate: 1, 'applicant.name': 2, subject: 3, description: 4 });
  });

  it("merges staff's header names over the defaults; a name moves to the field config gives it", () => {
    const merged = mergeColumns(DEFAULT_COLUMNS, { token: ['अर्ज क्र.'], office: ['Date'] });
    expect(merged.token).toEqual([...DEFAULT_COLUMNS.token!, 'अर्ज क्र.']);
    expect(merged.office).toContain('Date');
    expect(merged.applicationDate).not.toContain('Date');
    expect(() => mergeColumns(DEFAULT_COLUMNS, { 'applicant.nme': ['x'] })).toThrow(/unknown field "applicant.nme"; the fields are token, applicationDate/);
  });
});

describe('applicationIssues', () => {
  it('names each field at fault, dotted, for a 422', () => {
    expect(applicationIssues({ token: 'LD/2026/0412', applicationDate: '05/03/2026', applicant: {}, subject: 'कचरा', description: 'd', attachments: [{ url: 'ftp://x' }] })).toEqual([
      { field: 'applicationDate', message: 'applicationDate must be a date written YYYY-MM-DD (e.g. 2026-03-05)' },
      { field: 'applicant.name', message: 'applicant.name is missing' },
      { field: 'attachments[0].url', message: 'an attachment url must be an http(s) address' },
    ]);
    expect(applicationIssues('{}')).toEqual([{ field: '', message: 'the application must be a JSON object' }]);
    expect(applicationIssues({ token: 412, applicationDate: '2026-03-05', applicant: { name: 'अ', email: '' }, subject: 's', description: 'd' })).toEqual([]);
  });
});
