export * from './common.ts';
export * from './inbound-message.ts';
export * from './ticket.ts';
export * from './contact.ts';
export * from './channel-mapping.ts';
export * from './outbound-message.ts';
export * from './locales.ts';
