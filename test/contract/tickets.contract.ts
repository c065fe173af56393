import { describe, expect, it } from 'vitest';
import { Contact, Ticket } from '../../src/model/index.ts';
import { InvalidTransitionError, TicketNotFoundError } from '../../src/store/errors.ts';
import type { ContractContext } from './store.contract.ts';
import { CONTRACT_FIRST_TICKET_NUMBER, CONTRACT_TICKET_PREFIX, draft, numberOf, sleep, TEXTS } from './store-fixtures.ts';

const PHONE = '+919876543210';
const EMAIL = 'sunita.patil@example.in';

export function contactContract(ctx: ContractContext): void {
  describe('contacts', () => {
    it('creates a contact from a first sighting and finds it again by its identity', async () => {
      const store = ctx.store();
      const c = await store.upsertContact({ channel: 'sms', channelUserId: PHONE, phone: PHONE, name: 'सुनीता' });
      expect(Contact.parse(c)).toEqual(c);
      expect(c).toMatchObject({ name: 'सुनीता', phone: PHONE, identities: [{ channel: 'sms', id: PHONE }] });
      expect(await store.getContact(c.id)).toEqual(c);

      const again = await store.upsertContact({ channel: 'sms', channelUserId: PHONE });
      expect(again.id).toBe(c.id);
      expect(again.identities).toHaveLength(1);
      expect(await store.getContact('no-such-contact')).toBeUndefined();
    });

    it('merges channels by phone', async () => {
      const store = ctx.store();
      const sms = await store.upsertContact({ channel: 'sms', channelUserId: PHONE, phone: PHONE });
      const fb = await store.upsertContact({ channel: 'facebook', channelUserId: 'psid-77', phone: PHONE, name: 'Sunita' });
      expect(fb.id).toBe(sms.id);
      expect(fb.identities).toEqual([
        { channel: 'sms', id: PHONE },
        { channel: 'facebook', id: 'psid-77' },
      ]);
      expect(fb.name).toBe('Sunita'); // filled in: the contact had no name
      // the new identity now finds the same contact without a phone
      expect((await store.upsertContact({ channel: 'facebook', channelUserId: 'psid-77' })).id).toBe(sms.id);
    });

    it('merges channels by email and fills in what the contact lacked, never overwriting', async () => {
      const store = ctx.store();
      const mail = await store.upsertContact({ channel: 'email', channelUserId: EMAIL, email: EMAIL, name: 'Sunita P' });
      const web = await store.upsertContact({
        channel: 'webchat',
        channelUserId: 'web-session-1',
        email: EMAIL,
        phone: PHONE,
        name: 'Someone Else',
      });
      expect(web.id).toBe(mail.id);
      expect(web).toMatchObject({ email: EMAIL, phone: PHONE, name: 'Sunita P' });
      expect(web.identities.map((i) => i.channel)).toEqual(['email', 'webchat']);
      expect(web.updatedAt >= mail.updatedAt).toBe(true);
    });

    it('keeps the phone’s contact when the phone and the email point at different contacts', async () => {
      const store = ctx.store();
      const byPhone = await store.upsertContact({ channel: 'sms', channelUserId: PHONE, phone: PHONE });
      const byEmail = await store.upsertContact({ channel: 'email', channelUserId: EMAIL, email: EMAIL });
      expect(byEmail.id).not.toBe(byPhone.id);

      const seen = await store.upsertContact({ channel: 'twitter', channelUserId: '4455', phone: PHONE, email: EMAIL });
      expect(seen.id).toBe(byPhone.id);
      expect(seen.email).toBeUndefined(); // the email belongs to the other contact
      expect(await store.getContact(byEmail.id)).toEqual(byEmail);
    });

    it('keeps different citizens apart', async () => {
      const store = ctx.store();
      const a = await store.upsertContact({ channel: 'sms', channelUserId: PHONE, phone: PHONE });
      const b = await store.upsertContact({ channel: 'sms', channelUserId: '+919822000111', phone: '+919822000111' });
      expect(b.id).not.toBe(a.id);
      expect(b.phone).toBe('+919822000111');
    });
  });
}

export function ticketContract(ctx: ContractContext): void {
  const citizen = () => ctx.store().upsertContact({ channel: 'sms', channelUserId: PHONE, phone: PHONE, name: 'सुनीता' });

  describe('tickets', () => {
    it('files a valid ticket: prefix + digits, received, one history entry, citizen and source', async () => {
      const store = ctx.store();
      const contact = await citizen();
      const d = draft(contact);
      const { ticket, created } = await store.createTicket(d);

      expect(created).toBe(true);
      expect(Ticket.parse(ticket)).toEqual(ticket);
      expect(ticket.ticketNo).toMatch(new RegExp(`^${CONTRACT_TICKET_PREFIX}\\d+$`));
      expect(numberOf(ticket.ticketNo)).toBe(CONTRACT_FIRST_TICKET_NUMBER);
      expect(ticket.status).toBe('received');
      expect(ticket.history).toEqual([{ at: ticket.createdAt, by: 'bridge', from: null, to: 'received' }]);
      expect(ticket.citizen).toEqual({
        contactId: contact.id,
        name: 'सुनीता',
        phone: PHONE,
        identities: [{ channel: 'sms', id: PHONE }],
      });
      expect(ticket.sources).toEqual([d.source]);
      expect(ticket).toMatchObject({
        language: 'mr',
        description: { original: TEXTS.mr, normalized: TEXTS.mr },
        category: 'garbage',
        department: 'solid-waste',
        ward: 'kothrud',
        location: d.location,
        attachments: d.attachments,
        slaDueAt: d.slaDueAt,
        followUp: false,
      });
      expect(await store.getTicket(ticket.ticketNo)).toEqual(ticket);
      expect(await store.findTicketBySource(d.source)).toEqual(ticket);
      expect(await store.getTicket(`${CONTRACT_TICKET_PREFIX}1`)).toBeUndefined();
      expect(await store.findTicketBySource({ ...d.source, externalId: 'never-seen' })).toBeUndefined();
    });

    it('gives unique, strictly increasing numbers', async () => {
      const store = ctx.store();
      const contact = await citizen();
      const numbers: number[] = [];
      for (let i = 0; i < 8; i++) numbers.push(numberOf((await store.createTicket(draft(contact))).ticket.ticketNo));
      const parallel = await Promise.all([1, 2, 3, 4].map(() => store.createTicket(draft(contact))));
      numbers.push(...parallel.map((r) => numberOf(r.ticket.ticketNo)).sort((a, b) => a - b));

      expect(numbers[0]).toBe(CONTRACT_FIRST_TICKET_NUMBER);
      expect(new Set(numbers).size).toBe(numbers.length);
      for (let i = 1; i < numbers.length; i++) expect(numbers[i]!).toBeGreaterThan(numbers[i - 1]!);
      expect((await store.stats()).tickets).toBe(12);
    });

    it('is idempotent on the source, in a row and concurrently', async () => {
      const store = ctx.store();
      const d = draft(await citizen(), { description: { original: TEXTS.hi, normalized: TEXTS.hi } });
      const first = await store.createTicket(d);
      const second = await store.createTicket({ ...d, department: 'water', by: 'someone-else' });
      expect(second.created).toBe(false);
      expect(second.ticket).toEqual(first.ticket);

      const d2 = draft(await citizen());
      const both = await Promise.all([store.createTicket(d2), store.createTicket(d2)]);
      expect(both.map((r) => r.created).sort()).toEqual([false, true]);
      expect(both[0]!.ticket.ticketNo).toBe(both[1]!.ticket.ticketNo);
      expect((await store.stats()).tickets).toBe(2);
      expect(await store.listTickets()).toHaveLength(2);
    });

    it('lists newest first, oldest first on request, by status, within a limit, and all without one', async () => {
      const store = ctx.store();
      const contact = await citizen();
      const made: string[] = [];
      for (let i = 0; i < 105; i++) made.push((await store.createTicket(draft(contact))).ticket.ticketNo);
      await store.updateTicketStatus(made[3]!, 'forwarded', 'officer-1');
      await store.updateTicketStatus(made[7]!, 'forwarded', 'officer-1');

      const all = await store.listTickets();
      expect(all.map((t) => t.ticketNo)).toEqual([...made].reverse());
      expect((await store.listTickets({ order: 'asc', limit: 3 })).map((t) => t.ticketNo)).toEqual(made.slice(0, 3));
      expect((await store.listTickets({ limit: 2 })).map((t) => t.ticketNo)).toEqual([made[104], made[103]]);
      const forwarded = await store.listTickets({ status: 'forwarded', order: 'asc' });
      expect(forwarded.map((t) => t.ticketNo)).toEqual([made[3], made[7]]);
      expect(await store.listTickets({ status: 'resolved' })).toEqual([]);
    });

    it('moves along allowed transitions, keeping the history and bumping updatedAt', async () => {
      const store = ctx.store();
      const { ticket } = await store.createTicket(draft(await citizen()));
      await sleep(5);
      const fwd = await store.updateTicketStatus(ticket.ticketNo, 'forwarded', 'officer-1', 'to ward office');
      expect(fwd.status).toBe('forwarded');
      expect(fwd.updatedAt > ticket.updatedAt).toBe(true);
      expect(fwd.createdAt).toBe(ticket.createdAt);
      expect(fwd.history[1]).toEqual({ at: fwd.updatedAt, by: 'officer-1', from: 'received', to: 'forwarded', note: 'to ward office' });

      for (const to of ['in_progress', 'resolved', 'closed', 'reopened', 'resolved'] as const) {
        await store.updateTicketStatus(ticket.ticketNo, to, 'officer-2');
      }
      const back = await store.getTicket(ticket.ticketNo);
      expect(Ticket.parse(back)).toEqual(back);
      expect(back?.status).toBe('resolved');
      expect(back?.history.map((h) => [h.from, h.to])).toEqual([
        [null, 'received'],
        ['received', 'forwarded'],
        ['forwarded', 'in_progress'],
        ['in_progress', 'resolved'],
        ['resolved', 'closed'],
        ['closed', 'reopened'],
        ['reopened', 'resolved'],
      ]);
      expect(back?.history[2]?.note).toBeUndefined();
    });

    it('refuses a move the model does not allow and leaves the ticket unchanged', async () => {
      const store = ctx.store();
      const { ticket } = await store.createTicket(draft(await citizen()));
      await expect(store.updateTicketStatus(ticket.ticketNo, 'closed', 'officer-1')).rejects.toBeInstanceOf(
        InvalidTransitionError,
      );
      await expect(store.updateTicketStatus(ticket.ticketNo, 'reopened', 'officer-1')).rejects.toThrow(
        /received to reopened/,
      );
      await expect(store.updateTicketStatus(ticket.ticketNo, 'received', 'officer-1')).rejects.toBeInstanceOf(
        InvalidTransitionError,
      );
      expect(await store.getTicket(ticket.ticketNo)).toEqual(ticket);
      await expect(store.updateTicketStatus('PMC999999999', 'forwarded', 'x')).rejects.toBeInstanceOf(
        TicketNotFoundError,
      );
    });

    it('shows the citizen as the contact is now known, on every channel', async () => {
      const store = ctx.store();
      const contact = await citizen();
      const { ticket } = await store.createTicket(draft(contact));
      await store.upsertContact({ channel: 'email', channelUserId: EMAIL, email: EMAIL, phone: PHONE });
      const back = await store.getTicket(ticket.ticketNo);
      expect(back?.citizen.contactId).toBe(contact.id);
      expect(back?.citizen.identities).toEqual([
        { channel: 'sms', id: PHONE },
        { channel: 'email', id: EMAIL },
      ]);
      expect(back?.citizen.email).toBe(EMAIL);
    });
  });
}
