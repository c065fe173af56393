import type { TurnContext } from 'botbuilder';
import { DialogTurnStatus, type DialogContext } from './dialogs-core.ts';
import type { Ticket } from '../model/index.ts';
import { answerStatus } from './answer-status.ts';
import type { BotOptions } from './bot-options.ts';
import { awaitsComment, FEEDBACK, isComment } from './dialogs/feedback-dialog.ts';
import { INTAKE, askedIn, type IntakeState } from './dialogs/intake-dialog.ts';
import { faqAnswer, hereOf, say, type MessageKey } from './messages.ts';
import { recordRating } from './record-rating.ts';
import { reply } from './reply-kind.ts';
import { turnOf } from './turn-input.ts';
import { anyReceived, imagesOf } from './photos.ts';
import { UNSURE, type TurnContext as Asked, type Understanding } from './understand/index.ts';

/** what a conversation remembers between turns, besides its dialogs */
export interface ConversationMemory {
  /** the last ticket filed on this conversation: a photo sent soon after is added to it */
  lastTicket?: { ticketNo: string; at: string };
}

/** What the bot just asked, for the intent layer: the open question of the intake, or a rating. */
export function askedOf(dc: DialogContext): Asked {
  const active = dc.activeDialog;
  if (!active) return 'none';
  // the answer to "why?" is free text: read as if nothing was asked
  if (active.id === FEEDBACK) return awaitsComment(dc) ? 'none' : 'rating';
  if (active.id === INTAKE) return askedIn(active.state as IntakeState);
  return 'none';
}

/**
 * The dialog policy: what the bot does with a turn the intent layer has read. A ticket is filed only by the
 * intake dialog, and only with a problem and a place. Greetings, thanks, off-topic turns and abuse get a short,
 * polite answer and file nothing; questions, status queries and language requests are answered inside an open
 * dialog, whose question is then asked again, so an open question never swallows them.
 */
export async function respond(context: TurnContext, dc: DialogContext, u: Understanding, memory: ConversationMemory, o: BotOptions): Promise<void> {
  const turn = turnOf(context);
  const { messages, store } = o;
  const say_ = (key: MessageKey, values?: Record<string, string>) => say(messages, turn.language, key, values);
  // a rating put off, with something else said ("रेटिंग नंतर देतो, आधी PMC10023 चे काय झाले?"): the rating is not
  // asked again now (a number sent later still rates, and the reminder comes)
  if (u.ratingLater && u.intent !== 'rating' && dc.activeDialog?.id === FEEDBACK) await dc.cancelAllDialogs();
  const active = dc.activeDialog?.id;
  const reprompt = async () => {
    if (dc.activeDialog) await dc.repromptDialog();
  };

  if (active === FEEDBACK && awaitsComment(dc)) {
    if (isComment(dc, u, turn)) {
      await dc.continueDialog();
      return;
    }
    // no comment: a status question or a new complaint, handled as such
    await dc.cancelAllDialogs();
    return respond(context, dc, u, memory, o);
  }

  switch (u.intent) {
    case 'language':
      await store.setPreferredLanguage(turn.contact.id, u.language);
      turn.language = u.language!;
      await context.sendActivity(say_('languageSet'));
      return reprompt();
    case 'question': {
      const answer = (u.faq && faqAnswer(messages, turn.language, u.faq, o.contacts ?? {})) ?? say_('info');
      await context.sendActivity(reply(answer, 'info'));
      return reprompt();
    }
    case 'status': {
      const here = hereOf(messages, turn.language, turn.message.channel);
      for (const answer of await answerStatus(store, turn.contact, turn.normalized.entities.ticketNumbers, messages, turn.language, { here }))
        await context.sendActivity(reply(answer, 'status'));
      return reprompt();
    }
    case 'cancel':
      // dropping a complaint half told on a guess would lose it ("लवकर दुरुस्त करा" is no cancel): only a plain
      // "रद्द करा" drops it; a guess hears the question again
      if (active === INTAKE && u.confidence < CANCEL_SURE) return reprompt();
      if (active === INTAKE) {
        await dc.cancelAllDialogs();
        turn.wakeAt = null;
        await context.sendActivity(say_('cancelled'));
      } else {
        if (active) await dc.cancelAllDialogs();
        await context.sendActivity(say_('thanks'));
      }
      return;
    case 'abuse':
      await context.sendActivity(say_(unsure(u) ? 'notUnderstood' : 'abuse'));
      return reprompt();
    case 'off_topic':
      await context.sendActivity(say_(unsure(u) ? 'notUnderstood' : 'offTopic'));
      return reprompt();
    case 'outside_area': {
      if (active === INTAKE) await dc.cancelAllDialogs();
      turn.wakeAt = null;
      const outside = turn.normalized.entities.outsideArea;
      const area = outside && o.outsideAreas?.get(outside.areaId);
      const text = say_('outsideArea', { place: outside?.matched ?? '', authority: area?.authority[turn.language] ?? '' });
      await context.sendActivity(area?.contact ? `${text} ${say_('outsideContact', { contact: area.contact })}` : text);
      return;
    }
    case 'greeting':
      if (dc.activeDialog) return reprompt();
      await context.sendActivity(say_(unsure(u) ? 'notUnderstood' : 'greeting'));
      return;
    case 'thanks':
      if (dc.activeDialog) return reprompt();
      await context.sendActivity(say_(unsure(u) ? 'notUnderstood' : 'thanks'));
      return;
    case 'rating':
      if (active === FEEDBACK) {
        await dc.continueDialog();
        return;
      }
      // a rating nobody asked for right now: the citizen's resolved ticket still awaiting one, if any
      if (u.rating && (await rateDueTicket(context, u, o))) return reprompt();
      // "५" again after the rating was recorded, or out of the blue: thanked, nothing more
      await context.sendActivity(say_('thanks'));
      return reprompt();
    case 'wish_to_complain':
      if (active === INTAKE) return reprompt();
      if (active) await dc.cancelAllDialogs();
      await dc.beginDialog(INTAKE);
      return;
    case 'complaint':
    case 'place':
    case 'photo_promise':
    case 'no_photo': {
      if (active === INTAKE) {
        // "a photo is coming" makes the complaint wait for it: not on a guess ("अपघात होऊ शकतो" to the photo question)
        if (u.intent === 'photo_promise' && unsure(u)) return reprompt();
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.complete) remember(memory, result.result as { ticketNo?: string } | undefined, turn.now);
        return;
      }
      if (await addPhotoToLastTicket(context, memory, o)) return;
      // "हो, पाठवतो" after the complaint was filed: the photo will be added to it when it comes
      const last = recentTicket(memory, turn.now, o);
      if (u.intent === 'photo_promise' && last) {
        await context.sendActivity(say_('photoLater', { ticketNo: last }));
        return;
      }
      // "हो"/"नाही" to no question, or words the classifier cannot place: say so rather than open a complaint
      if (u.intent === 'photo_promise' || u.intent === 'no_photo' || (unsure(u) && !anyComplaintSign(turn))) {
        await context.sendActivity(say_('notUnderstood'));
        return reprompt();
      }
      if (active) await dc.cancelAllDialogs();
      const result = await dc.beginDialog(INTAKE);
      if (result.status === DialogTurnStatus.complete) remember(memory, result.result as { ticketNo?: string } | undefined, turn.now);
      return;
    }
  }
}

// how sure a reading of "cancel" must be to drop a complaint being told
const CANCEL_SURE = 0.8;

function unsure(u: Understanding): boolean {
  return u.confidence < UNSURE;
}

/** something a complaint is made of: a problem word, a place, a ward, a pin or a photo */
function anyComplaintSign(turn: ReturnType<typeof turnOf>): boolean {
  const e = turn.normalized.entities;
  return e.categories.length > 0 || Boolean(e.place || e.ward || e.location) || turn.message.attachments.length > 0;
}

function remember(memory: ConversationMemory, result: { ticketNo?: string } | undefined, now: Date): void {
  if (result?.ticketNo) memory.lastTicket = { ticketNo: result.ticketNo, at: now.toISOString() };
}

/** the ticket filed on this conversation recently enough for a photo to be added to it */
function recentTicket(memory: ConversationMemory, now: Date, o: BotOptions): string | undefined {
  const last = memory.lastTicket;
  return last && now.getTime() - Date.parse(last.at) <= (o.attachPhotosMs ?? 0) ? last.ticketNo : undefined;
}

/** A photo (and little else) soon after a complaint was filed belongs to it, as the FAQ promises. */
async function addPhotoToLastTicket(context: TurnContext, memory: ConversationMemory, o: BotOptions): Promise<boolean> {
  const turn = turnOf(context);
  const photos = imagesOf(turn.message.attachments);
  const last = recentTicket(memory, turn.now, o);
  if (photos.length === 0 || !last || turn.normalized.entities.categories.length > 0) return false;
  const { message } = turn;
  // staff see a refused photo on the ticket as "not kept"; the citizen is told it did not come through
  await o.store.attachToTicket(last, { channel: message.channel, accountId: message.accountId, externalId: message.externalId }, photos);
  await context.sendActivity(reply(say(o.messages, turn.language, anyReceived(photos) ? 'photoAdded' : 'photoNotAdded', { ticketNo: last }), 'ack'));
  return true;
}

/** records a rating for the citizen's latest resolved ticket that was asked for one and has none yet */
async function rateDueTicket(context: TurnContext, u: Understanding, o: BotOptions): Promise<boolean> {
  const turn = turnOf(context);
  const due = (await o.store.listTickets({ contactId: turn.contact.id })).find((t: Ticket) => t.status === 'resolved' && t.ratingRequestedAt && !t.feedback);
  if (!due || !u.rating) return false;
  const outcome = await recordRating(o.store, due.ticketNo, u.rating.rating, o.messages, turn.language, turn.now, {
    persists: u.rating.persists,
    reopenBelowAverage: o.reopenBelowAverage === true,
    ...(u.rating.comment ? { comment: u.rating.comment } : {}),
  });
  await context.sendActivity(outcome.text);
  return true;
}
