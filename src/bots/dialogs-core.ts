// The parts of botbuilder-dialogs the bot uses, from their own modules. The package's index also loads its prompts,
// and with them Microsoft's text recognizers (numbers, dates and choices in many languages): about 35 MB of
// memory in every process for code the bot never calls. Import dialogs from here, not from 'botbuilder-dialogs'.
export { Dialog, DialogTurnStatus, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog.js';
export { DialogContext, type DialogState } from 'botbuilder-dialogs/lib/dialogContext.js';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js';

import { DialogsComponentRegistration } from 'botbuilder-dialogs/lib/dialogsComponentRegistration.js';

/**
 * Where a DialogStateManager looks for its memory scopes in a turn's state, and those scopes made once. Left unset,
 * every DialogContext of every turn builds them again (DialogManager keeps one set for all its turns too).
 */
export const DIALOG_STATE_KEY = 'DialogStateManagerConfiguration';
const registration = new DialogsComponentRegistration();
export const DIALOG_STATE_CONFIGURATION = { memoryScopes: registration.getMemoryScopes(), pathResolvers: registration.getPathResolvers() };
