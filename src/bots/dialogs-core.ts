// The parts of botbuilder-dialogs the bot uses, from their own modules. The package's index also loads its prompts,
// and with them Microsoft's text recognizers (numbers, dates and choices in many languages): about 35 MB of
// memory in every process for code the bot never calls. Import dialogs from here, not from 'botbuilder-dialogs'.
export { Dialog, DialogTurnStatus, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog.js';
export { DialogContext, type DialogState } from 'botbuilder-dialogs/lib/dialogContext.js';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js';
