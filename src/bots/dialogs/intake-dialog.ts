import { MessageFactory } from 'botbuilder';
import { extractPinCodes } from '../../normalizer/pin-code.ts';
import { Dialog, type DialogContext, type DialogTurnResult } from '../dialogs-core.ts';
import type { Attachment, Location, SourceRef } from '../../model/index.ts';
import { anyReceived, imagesOf } from '../photos.ts';
import type { Store, TicketDraft } from '../../store/store.ts';
import { filedText } from '../filed-text.ts';
import { say, type MessageKey, type Messages } from '../messages.ts';
import { reply } from '../reply-kind.ts';
import { turnOf, type Turn } from '../turn-input.ts';

export const INTAKE = 'intake';
// what, where, a photo and one question asked again: then the bot stops asking
const MOST_QUESTIONS = 4;

type Slot = 'what' | 'where' | 'photo';

export interface IntakeState {
  texts: string[];
  what?: string;
  category?: string;
  /** the category's department, which goes before the mapping's default */
  department?: string;
  where?: string;
  ward?: string;
  location?: Location;
  photos: Attachment[];
  sources: SourceRef[];
  /** when its first message came (ISO): the due date counts from there, however long the conversation took */
  startedAt?: string;
  /** a category the source gave (an agent chose it), which goes before what the words suggest */
  givenCategory?: string;
  asked: number;
  photoAsked: boolean;
  photoDeclined: boolean;
  /** the citizen was told once that their photo did not come through (refused on the way in) */
  photoRefusedTold?: boolean;
  /** the question the citizen is answering; `photo-promised`: they said a photo is coming */
  waiting?: Slot | 'photo-promised';
  /** until when a promised photo is waited for (ISO) */
  photoDueBy?: string;
}

/** which question the dialog is waiting on, for the intent layer ("५" to "where?" is not a rating) */
export function askedIn(state: IntakeState): 'what' | 'where' | 'photo' {
  return state.waiting === 'photo-promised' ? 'photo' : (state.waiting ?? 'what');
}

/**
 * Collects a complaint: what is wrong, where, and a photo where the channel carries one, one short question at a
 * time; then files the ticket. Nothing is filed without a problem (what) and a place (where, a ward or a pin).
 * Each turn's meaning comes from the intent layer (turn.understanding): a place alone waits for the problem, "no
 * photo" given to "where?" is not the place, a promised photo is waited for before filing. Status queries, ratings,
 * language requests and questions never reach here: the bot answers them and asks this dialog's question again.
 */
export class IntakeDialog extends Dialog {
  constructor(
    private readonly store: Store,
    private readonly messages: Messages,
    private readonly photoWaitMs: number,
  ) {
    super(INTAKE);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state: IntakeState = { texts: [], photos: [], sources: [], asked: 0, photoAsked: false, photoDeclined: false };
    dc.activeDialog!.state = state;
    this.absorb(state, turnOf(dc.context));
    return this.next(dc, state, turnOf(dc.context).understanding?.intent === 'wish_to_complain');
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as IntakeState;
    const turn = turnOf(dc.context);
    if (turn.waking) {
      // the promised photo did not come in time: file what there is
      if (state.waiting === 'photo-promised' && state.photoDueBy && Date.parse(state.photoDueBy) <= turn.now.getTime()) return this.finish(dc, state, turn);
      return Dialog.EndOfTurn;
    }
    this.absorb(state, turn);
    return this.next(dc, state);
  }

  override async repromptDialog(context: DialogContext['context'], instance: { state: IntakeState }): Promise<void> {
    const state = instance.state;
    if (state.waiting === 'photo-promised') await context.sendActivity(say(this.messages, turnOf(context).language, 'photoWait'));
    else await context.sendActivity(this.question(state.waiting ?? 'what', state, turnOf(context)));
  }

  /** what this message adds, read by its intent */
  private absorb(state: IntakeState, turn: Turn): void {
    const { message, normalized, understanding } = turn;
    const { entities, text } = normalized;
    const intent = understanding?.intent ?? 'complaint';
    state.sources.push({ channel: message.channel, accountId: message.accountId, externalId: message.externalId });
    state.startedAt ??= message.receivedAt;
    if (message.category && !state.givenCategory) state.givenCategory = message.category;
    state.photos.push(...imagesOf(message.attachments));
    if (entities.location) state.location = { lat: entities.location.lat, lon: entities.location.lon };
    if (entities.ward && !state.ward) state.ward = entities.ward.wardId;
    if (understanding?.declinesPhoto || intent === 'no_photo') state.photoDeclined = true;
    if (intent === 'photo_promise' && !anyReceived(state.photos)) {
      state.waiting = 'photo-promised';
      state.photoDueBy = new Date(turn.now.getTime() + this.photoWaitMs).toISOString();
      turn.wakeAt = new Date(state.photoDueBy);
      return;
    }
    if (intent !== 'complaint' && intent !== 'place') return;
    const category = entities.categories[0];
    if (!state.category && category) {
      state.category = category.categoryId;
      state.department = category.department;
    }
    // a place alone is the place as the citizen wrote it, all of it: "धनकवडी, बालाजीनगर, भारती विद्यापीठ मागे"
    // to "where?", words with no problem word in them are the place, whatever the classifier made of them
    // — unless the classifier, already leaning to a place after "where?", is sure it is something else ("अपघात होऊ शकतो")
    const answersWhere = state.waiting === 'where' && !category && Boolean(text) && (intent === 'place' || (understanding?.confidence ?? 0) < SURELY_NOT_A_PLACE);
    const where = intent === 'place' || (answersWhere && !entities.place && !entities.ward) ? text : (entities.place ?? entities.ward?.matched);
    if (where && !state.where) state.where = where;
    if (intent === 'complaint' && text && !(answersWhere && state.where === text)) {
      state.texts.push(text);
      // "हे बघा" beside a photo says nothing of what is wrong: asked next, as for a photo alone
      if (!understanding?.photoCaption) state.what ??= text;
    } else if (intent === 'place' && text) state.texts.push(text);
  }

  private async next(dc: DialogContext, state: IntakeState, wished = false): Promise<DialogTurnResult> {
    const turn = turnOf(dc.context);
    const brought = imagesOf(turn.message.attachments);
    // this message's photo did not come through, and none before it did: the citizen hears so once, and may try again
    const refusedNow = brought.length > 0 && !anyReceived(state.photos) && !state.photoRefusedTold && !state.photoDeclined;
    if (state.waiting === 'photo-promised' && !anyReceived(state.photos) && !state.photoDeclined) {
      if (refusedNow) return this.askPhotoAgain(dc, state, turn);
      await dc.context.sendActivity(say(this.messages, turn.language, 'photoWait'));
      return Dialog.EndOfTurn;
    }
    const knowsWhere = Boolean(state.where || state.location || state.ward);
    const carriesPhotos = turn.carries?.photos ?? false;
    const missing: Slot | undefined = !state.what ? 'what' : !knowsWhere ? 'where' : undefined;
    const wantsPhoto = !missing && carriesPhotos && !anyReceived(state.photos) && !state.photoDeclined && (!state.photoAsked || refusedNow);
    // asking again for a photo that failed is no new question: it is not counted against the questions asked
    if (wantsPhoto && refusedNow) return this.askPhotoAgain(dc, state, turn);
    const ask = missing ?? (wantsPhoto ? 'photo' : undefined);
    if (ask && state.asked < MOST_QUESTIONS) {
      state.asked++;
      if (ask === 'photo') {
        state.photoAsked = true;
        // the question says the earlier photo did not come through (question()): said once
        if (photosRefused(state)) state.photoRefusedTold = true;
      }
      state.waiting = ask;
      await dc.context.sendActivity(wished && ask === 'what' ? MessageFactory.text(say(this.messages, turn.language, 'wishToComplain')) : this.question(ask, state, turn));
      return Dialog.EndOfTurn;
    }
    // no problem, or no place, after every question: nothing to file, and the citizen is told what is missing
    if (missing) {
      await dc.context.sendActivity(say(this.messages, turn.language, missing === 'where' ? 'needWhere' : 'notUnderstood'));
      return dc.endDialog();
    }
    return this.finish(dc, state, turn);
  }

  /** "that photo did not come through: send it again, or no", waiting for the photo as before */
  private async askPhotoAgain(dc: DialogContext, state: IntakeState, turn: Turn): Promise<DialogTurnResult> {
    state.photoRefusedTold = true;
    state.photoAsked = true;
    if (state.waiting !== 'photo-promised') state.waiting = 'photo';
    await dc.context.sendActivity(this.question('photo', state, turn));
    return Dialog.EndOfTurn;
  }

  private async finish(dc: DialogContext, state: IntakeState, turn: Turn): Promise<DialogTurnResult> {
    turn.wakeAt = null;
    const ticketNo = await this.file(dc, turn, state);
    return dc.endDialog({ ticketNo });
  }

  /** the question: what is wrong (there), where (with or without "send your location"), or a photo, "no" as a button */
  private question(ask: Slot, state: IntakeState, turn: Turn) {
    const lang = turn.language;
    if (ask === 'what' && state.where) return MessageFactory.text(say(this.messages, lang, 'askWhatAt', { place: placeAsNamed(state.where) }));
    // a photo the citizen sent earlier in the conversation that did not come through: the question says so
    const photoKey: MessageKey = photosRefused(state) ? 'photoNotReceived' : 'askPhoto';
    const key: MessageKey = ask === 'what' ? 'askWhat' : ask === 'photo' ? photoKey : turn.carries?.location ? 'askWhere' : 'askWhereText';
    const text = say(this.messages, lang, key);
    return ask === 'photo' ? MessageFactory.suggestedActions([say(this.messages, lang, 'no')], text) : MessageFactory.text(text);
  }

  private async file(dc: DialogContext, turn: Turn, state: IntakeState): Promise<string> {
    const { contact, mapping, route, language, message } = turn;
    const description = state.texts.join('\n');
    const category = state.givenCategory ?? state.category;
    const routed = route({
      text: description,
      ...(category ? { category } : {}),
      ...(state.startedAt ? { receivedAt: new Date(state.startedAt) } : {}),
      ...(state.ward ? { ward: state.ward } : {}),
      ...(state.location ? { location: state.location } : {}),
      pinCodes: extractPinCodes(description).map((p) => p.pin),
    });
    const ward = routed.ward;
    const draft: TicketDraft = {
      source: state.sources[0]!,
      contact,
      language,
      description: { original: description, normalized: description },
      ...(category ? { category } : {}),
      department: routed.department,
      ...(ward ? { ward } : {}),
      ...(state.location ? { location: state.location } : {}),
      attachments: state.photos,
      slaDueAt: routed.slaDueAt,
      priority: routed.priority,
      routing: routed.routing,
      by: `${message.channel}:${mapping.id}`,
    };
    const { ticket } = await this.store.createTicket(draft);
    for (const source of state.sources.slice(1)) await this.store.addTicketSource(ticket.ticketNo, source);
    await dc.context.sendActivity(reply(filedText(this.messages, language, ticket, routed.departmentByRule === true), 'ack'));
    return ticket.ticketNo;
  }
}

/** the citizen sent photos, and none of them came through */
const photosRefused = (state: IntakeState): boolean => state.photos.length > 0 && !anyReceived(state.photos);

// how sure the classifier must be of another reading for an answer to "where?" not to be taken as the place
const SURELY_NOT_A_PLACE = 0.8;

// "बाणेर येथे", "Baner mein", "at Baner": the question says "येथे"/"में"/"at" itself
const SAID_AROUND_A_PLACE = /^(?:at|in)\s+|[\s,.!?।]*(?:\s(?:येथे|इथे|इकडे|yethe|ithe|ikde|में|पर|यहाँ|यहां|mein|me|par|yahan|here))*[\s,.!?।]*$/giu;

/** the place as the citizen named it, without the words the question itself says around it */
function placeAsNamed(where: string): string {
  const bare = where.replace(SAID_AROUND_A_PLACE, '').trim();
  return bare || where;
}
