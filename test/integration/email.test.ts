import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ticket } from '../../src/model/index.ts';
import { composeMail, MAILBOX, startMailBridge, type MailBridge } from '../support/mail-bridge.ts';
import { until } from '../support/wait.ts';
import { describeNeeding } from '../support/system-tools.ts';

const ticketOfMail = async (m: MailBridge, messageId: string): Promise<Ticket | undefined> =>
  m.bridge.app.store.findTicketBySource({ channel: 'email', accountId: MAILBOX, externalId: messageId });

// Email against a real Dovecot and an SMTP server: mail in, a ticket, a threaded answer out; the thread and the
// number in a subject join the ticket; what a machine wrote is never answered.
describeNeeding('dovecot', 'email', () => {
  let m: MailBridge;
  beforeAll(async () => {
    m = await startMailBridge({ localYaml: 'channels: { email: { moveTo: Processed } }' });
  });
  afterAll(async () => {
    await m?.close();
  });

  it('files a new mail, answers it in the thread in its language, and files the citizen\'s reply to the same ticket', async () => {
    const first = await composeMail({ subject: 'कोथरूड येथे कचरा', text: 'नमस्कार,\nकोथरूड येथील गांधी भवनाजवळ तीन दिवसांपासून कचरा उचललेला नाही.\n\n--\nसुनीता जाधव\n9822012345', messageId: '<first-1@example.org>' });
    await m.dovecot.append(first);
    await m.bridge.app.polls.runAll();
    const ticket = await until('the ticket', () => ticketOfMail(m, 'first-1@example.org'));
    expect(ticket.language).toBe('mr');
    expect(ticket.category).toBe('garbage');
    // the signature is contact details, not the complaint
    expect(ticket.description.normalized).not.toContain('9822012345');

    const [ack] = await m.smtp.waitFor(1);
    expect(ack!.to).toEqual(['sunita.jadhav@example.org']);
    expect(ack!.parsed.subject).toBe(`[${ticket.ticketNo}] Re: कोथरूड येथे कचरा`);
    expect(ack!.parsed.inReplyTo).toBe('<first-1@example.org>');
    expect([ack!.parsed.references].flat()).toContain('<first-1@example.org>');
    expect(ack!.parsed.text).toContain(ticket.ticketNo);
    expect(ack!.parsed.text).toMatch(/तक्रार/);
    expect(ack!.parsed.html).toContain('lang="mr"');
    expect(ack!.parsed.from?.value[0]?.address).toBe(MAILBOX);
    expect(ack!.parsed.headers.get('auto-submitted')).toBe('auto-replied');

    // processed mail is flagged \Seen and moved to the folder configured
    await until('the mail moved', async () => (await m.dovecot.list({ mailbox: 'Processed' })).find((x) => x.messageId === '<first-1@example.org>'));
    const moved = (await m.dovecot.list({ mailbox: 'Processed' })).find((x) => x.messageId === '<first-1@example.org>');
    expect(moved?.flags).toContain('\\Seen');
    expect((await m.dovecot.list()).find((x) => x.messageId === '<first-1@example.org>')).toBeUndefined();

    // the citizen answers our answer (a client that keeps only In-Reply-To): the same ticket, told it was added
    const ourId = ack!.parsed.messageId!;
    const reply = await composeMail({ subject: `Re: ${ack!.parsed.subject}`, text: 'अजूनही कचरा तसाच आहे. फोटो जोडला आहे.\n\nOn Mon, PMC wrote:\n> आपली तक्रार नोंदवली आहे', messageId: '<reply-1@example.org>', inReplyTo: ourId, attachments: [{ filename: 'kachra.jpg', content: Buffer.alloc(20_000, 9), contentType: 'image/jpeg' }] });
    await m.dovecot.append(reply);
    await m.bridge.app.polls.runAll();
    const joined = await until('the reply joined', async () => {
      const t = await m.bridge.app.store.getTicket(ticket.ticketNo);
      return t && t.sources.some((s) => s.externalId === 'reply-1@example.org') ? t : undefined;
    });
    expect(joined.attachments).toEqual([expect.objectContaining({ kind: 'image', name: 'kachra.jpg', size: 20_000, storedRef: expect.stringMatching(/^sha256:/) })]);
    expect((await m.bridge.app.store.listTickets()).filter((t) => t.sources.some((s) => s.channel === 'email'))).toHaveLength(1);
    const [, added] = await m.smtp.waitFor(2);
    expect(added!.parsed.text).toContain(ticket.ticketNo);
    expect(added!.parsed.inReplyTo).toBe('<reply-1@example.org>');

    // a helpdesk robot that marks nothing as automatic acknowledges our notice: joined, and not answered (no loop)
    await m.dovecot.append(await composeMail({ subject: `Re: ${added!.parsed.subject}`, text: 'Thank you, your mail has been received.', messageId: '<robot-1@example.org>', inReplyTo: added!.parsed.messageId! }));
    await m.bridge.app.polls.runAll();
    await until('the robot mail joined', async () => (await m.bridge.app.store.getTicket(ticket.ticketNo))?.sources.some((s) => s.externalId === 'robot-1@example.org'));
    await new Promise((r) => setTimeout(r, 300));
    expect(m.smtp.received).toHaveLength(2);

    // a neighbour replies to all in the citizen's thread: their own complaint, not added to hers
    await m.dovecot.append(await composeMail({ from: 'Neighbour <shejari@example.net>', subject: 'Re: कोथरूड येथे कचरा', text: 'आमच्या गल्लीतही कचरा पडून आहे.', messageId: '<neighbour-1@example.net>', inReplyTo: '<first-1@example.org>', references: ['<first-1@example.org>'] }));
    await m.bridge.app.polls.runAll();
    const theirs = await until('the neighbour\'s ticket', () => ticketOfMail(m, 'neighbour-1@example.net'));
    expect(theirs.ticketNo).not.toBe(ticket.ticketNo);
    const [, , toNeighbour] = await m.smtp.waitFor(3);
    expect(toNeighbour!.to).toEqual(['shejari@example.net']);
    expect(toNeighbour!.parsed.subject).toContain(theirs.ticketNo);

    // the complaint is resolved; she answers our last notice "still not fixed": a new complaint, and she is told its number
    await m.bridge.app.store.updateTicketStatus(ticket.ticketNo, 'resolved', 'test:officer');
    await m.dovecot.append(await composeMail({ subject: `Re: ${added!.parsed.subject}`, text: 'कचरा पुन्हा साचला आहे, काम झालेले नाही.', messageId: '<again-1@example.org>', inReplyTo: added!.parsed.messageId! }));
    await m.bridge.app.polls.runAll();
    const again = await until('the new complaint', () => ticketOfMail(m, 'again-1@example.org'));
    expect(again.ticketNo).not.toBe(ticket.ticketNo);
    // she is told of the resolution in the thread, and of the new complaint's number (in either order)
    const mails = await m.smtp.waitFor(5);
    const told = mails.slice(3).find((mail) => mail.parsed.subject?.includes(again.ticketNo));
    expect(told, 'the new complaint acknowledged').toBeDefined();
    const resolved = mails.slice(3).filter((mail) => mail.parsed.text?.includes(`तक्रार क्रमांक ${ticket.ticketNo} निकाली काढण्यात आली आहे`));
    expect(resolved).toHaveLength(1);
  });

  it('joins a new mail whose subject names the citizen\'s open ticket; a stranger naming it files their own', async () => {
    const base = m.smtp.received.length;
    await m.dovecot.append(await composeMail({ from: 'Ravi Patil <ravi@example.org>', subject: 'Water leak on Karve Road', text: 'There is a water pipe leak on Karve Road near the petrol pump since morning.', messageId: '<leak-1@example.org>' }));
    await m.bridge.app.polls.runAll();
    const ticket = await until('the ticket', () => ticketOfMail(m, 'leak-1@example.org'));
    expect(ticket.language).toBe('en');
    // a new thread, the number in the subject
    await m.dovecot.append(await composeMail({ from: 'ravi@example.org', subject: `Complaint ${ticket.ticketNo} - still leaking`, text: 'It is still leaking, please send someone.', messageId: '<leak-2@example.org>' }));
    // someone else quoting that number: not theirs to add to
    await m.dovecot.append(await composeMail({ from: 'other@example.net', subject: `${ticket.ticketNo}`, text: 'Karve Road par bhi paani bah raha hai, kripya dekhiye.', messageId: '<leak-3@example.org>' }));
    await m.bridge.app.polls.runAll();
    const other = await until('the stranger\'s ticket', () => ticketOfMail(m, 'leak-3@example.org'));
    expect(other.ticketNo).not.toBe(ticket.ticketNo);
    expect((await ticketOfMail(m, 'leak-2@example.org'))?.ticketNo).toBe(ticket.ticketNo);
    await m.smtp.waitFor(base + 3);
  });

  it('archives an out-of-office, a bounce and our own mail come back, and answers none of them', async () => {
    const before = m.smtp.received.length;
    const tickets = (await m.bridge.app.store.listTickets()).length;
    await m.dovecot.append(await composeMail({ subject: 'स्वयंचलित उत्तर: आपल्या तक्रारीबद्दल', text: 'मी ७ जूनपर्यंत कार्यालयात नाही.', messageId: '<ooo-1@example.org>', headers: { 'Auto-Submitted': 'auto-replied' } }));
    await m.dovecot.append(await composeMail({ from: 'Mail Delivery System <MAILER-DAEMON@example.org>', subject: 'Undelivered Mail Returned to Sender', text: 'This is the mail system at host example.org. I\'m sorry to have to inform you that your message could not be delivered.', messageId: '<bounce-1@example.org>' }));
    await m.dovecot.append(await composeMail({ from: `PMC <${MAILBOX}>`, subject: 'Fwd: [PMC10001] Re: कचरा', text: 'आपली तक्रार नोंदवली आहे.', messageId: '<own-1@pmc.example.in>' }));
    await m.bridge.app.polls.runAll();
    for (const id of ['ooo-1@example.org', 'bounce-1@example.org', 'own-1@pmc.example.in'])
      await until(`${id} archived and done`, async () => (await m.bridge.app.store.getInboundBySource({ channel: 'email', accountId: MAILBOX, externalId: id }))?.state === 'done');
    await new Promise((r) => setTimeout(r, 300));
    expect(m.smtp.received.length).toBe(before);
    expect((await m.bridge.app.store.listTickets()).length).toBe(tickets);
  });

  it('keeps attachments by content; refuses a 25 MB one for that part only, saying so', async () => {
    const photo = Buffer.alloc(50_000, 3);
    await m.dovecot.append(await composeMail({ subject: 'Pothole', text: 'Big pothole on Sinhagad Road near Vadgaon bridge.', messageId: '<big-1@example.org>', attachments: [{ filename: 'pothole.jpg', content: photo, contentType: 'image/jpeg' }, { filename: 'video.mp4', content: Buffer.alloc(25 * 1024 * 1024, 1), contentType: 'video/mp4' }] }));
    await m.bridge.app.polls.runAll();
    const ticket = await until('the ticket', () => ticketOfMail(m, 'big-1@example.org'), 30_000);
    const [kept, refused] = ticket.attachments;
    expect(kept).toMatchObject({ name: 'pothole.jpg', size: photo.length });
    expect((await m.bridge.app.attachments.get(kept!.storedRef!))?.equals(photo)).toBe(true);
    expect(refused).toMatchObject({ name: 'video.mp4', kind: 'video', refused: expect.stringMatching(/larger than 10 MB/) });
    expect(refused?.storedRef).toBeUndefined();
  });

  it('hears of new mail through IDLE within seconds, without waiting for the sweep', async () => {
    await m.dovecot.append(await composeMail({ subject: 'पथदिवा बंद', text: 'बाणेर रस्त्यावरील पथदिवे दोन दिवसांपासून बंद आहेत.', messageId: '<idle-1@example.org>' }));
    // no runAll: the sweep is daily in this test; IDLE's EXISTS wakes the poll
    const ticket = await until('the ticket through IDLE', () => ticketOfMail(m, 'idle-1@example.org'), 15_000);
    expect(ticket.category).toBe('streetlights');
  });
});
