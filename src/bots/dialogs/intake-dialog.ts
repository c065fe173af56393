import { MessageFactory } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Attachment, Location, SourceRef } from '../../model/index.ts';
import type { Store, TicketDraft } from '../../store/store.ts';
import { formatDate } from '../format-date.ts';
import { departmentName, say, type MessageKey, type Messages } from '../messages.ts';
import { yesOrNo } from '../recognize.ts';
import { reply } from '../reply-kind.ts';
import { turnOf, type Turn } from '../turn-input.ts';

export const INTAKE = 'intake';
const MOST_QUESTIONS = 3;
// a description this long says what is wrong even when no category keyword matched
const WORDS_FOR_WHAT = 3;

interface IntakeState {
  texts: string[];
  what?: string;
  category?: string;
  where?: string;
  ward?: string;
  location?: Location;
  photos: Attachment[];
  sources: SourceRef[];
  asked: number;
  photoAsked: boolean;
  waiting?: 'what' | 'where' | 'photo';
}

/**
 * Collects a complaint: what is wrong, where, and a photo if the citizen has one, one short question at a time and
 * at most three; then files the ticket and answers with its number, department and due date. Everything in the
 * first message files at once. Answers are read from the normalised message, in any script: a ward or landmark
 * named, a shared location, a photo.
 */
export class IntakeDialog extends Dialog {
  constructor(
    private readonly store: Store,
    private readonly messages: Messages,
  ) {
    super(INTAKE);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state: IntakeState = { texts: [], photos: [], sources: [], asked: 0, photoAsked: false };
    dc.activeDialog!.state = state;
    this.absorb(state, turnOf(dc.context), undefined);
    return this.next(dc, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as IntakeState;
    this.absorb(state, turnOf(dc.context), state.waiting);
    return this.next(dc, state);
  }

  override async repromptDialog(context: DialogContext['context'], instance: { state: IntakeState }): Promise<void> {
    await context.sendActivity(this.question(instance.state.waiting ?? 'what', turnOf(context).language));
  }

  /** what this message adds; the answer to the question asked counts for that question */
  private absorb(state: IntakeState, turn: Turn, answering: IntakeState['waiting']): void {
    const { message, normalized } = turn;
    const { entities, text } = normalized;
    state.sources.push({ channel: message.channel, accountId: message.accountId, externalId: message.externalId });
    const photos = message.attachments.filter((a) => a.kind === 'image');
    state.photos.push(...photos);
    if (entities.location) state.location = { lat: entities.location.lat, lon: entities.location.lon };
    if (entities.ward) state.ward = entities.ward.wardId;
    const where = entities.place ?? entities.ward?.matched;
    if (where && !state.where) state.where = where;
    if (!state.category && entities.categories[0]) state.category = entities.categories[0].categoryId;
    const declinedPhoto = answering === 'photo' && yesOrNo(text) === 'no';
    if (text && !declinedPhoto) state.texts.push(text);

    if (answering === 'where' && !state.where && !state.location && text) state.where = text;
    if (!state.what && text && !declinedPhoto && answering !== 'where') {
      const words = text.split(/\s+/u).length;
      if (state.category || words >= WORDS_FOR_WHAT || answering === 'what') state.what = text;
    }
  }

  private async next(dc: DialogContext, state: IntakeState): Promise<DialogTurnResult> {
    const turn = turnOf(dc.context);
    const knowsWhere = Boolean(state.where || state.location || state.ward);
    const missing: IntakeState['waiting'] = !state.what ? 'what' : !knowsWhere ? 'where' : undefined;
    const wantsPhoto = !missing && state.asked > 0 && state.photos.length === 0 && !state.photoAsked;
    const ask = missing ?? (wantsPhoto ? 'photo' : undefined);
    if (ask && state.asked < MOST_QUESTIONS) {
      state.asked++;
      if (ask === 'photo') state.photoAsked = true;
      state.waiting = ask;
      await dc.context.sendActivity(this.question(ask, turn.language));
      return Dialog.EndOfTurn;
    }
    const ticketNo = await this.file(dc, turn, state);
    return dc.endDialog({ ticketNo });
  }

  /** the question, with "no" offered as a button for the photo (a citizen without one answers in one tap) */
  private question(ask: NonNullable<IntakeState['waiting']>, language: Turn['language']) {
    const text = say(this.messages, language, QUESTIONS[ask]);
    return ask === 'photo' ? MessageFactory.suggestedActions([say(this.messages, language, 'no')], text) : MessageFactory.text(text);
  }

  private async file(dc: DialogContext, turn: Turn, state: IntakeState): Promise<string> {
    const { contact, mapping, route, language, message } = turn;
    const description = state.texts.join('\n');
    const draft: TicketDraft = {
      source: state.sources[0]!,
      contact,
      language,
      description: { original: description, normalized: description },
      ...(state.category ? { category: state.category } : {}),
      department: route.department,
      ...((route.ward ?? state.ward) ? { ward: (route.ward ?? state.ward)! } : {}),
      ...(state.location ? { location: state.location } : {}),
      attachments: state.photos,
      slaDueAt: route.slaDueAt,
      by: `${message.channel}:${mapping.id}`,
    };
    const { ticket } = await this.store.createTicket(draft);
    for (const source of state.sources.slice(1)) await this.store.addTicketSource(ticket.ticketNo, source);
    const dueDate = formatDate(ticket.slaDueAt, language);
    const department = departmentName(this.messages, language, ticket.department);
    await dc.context.sendActivity(reply(say(this.messages, language, 'filed', { ticketNo: ticket.ticketNo, department, dueDate }), 'ack'));
    return ticket.ticketNo;
  }
}

const QUESTIONS: Record<NonNullable<IntakeState['waiting']>, MessageKey> = { what: 'askWhat', where: 'askWhere', photo: 'askPhoto' };
