import type { TicketStatus } from '../model/index.ts';

export class EtagConflictError extends Error {
  override readonly name = 'EtagConflictError';
  constructor(readonly key: string) {
    super(`conversation ${key} was changed by another writer (eTag mismatch): re-read and retry`);
  }
}

export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  constructor(
    readonly ticketNo: string,
    readonly from: TicketStatus,
    readonly to: TicketStatus,
  ) {
    super(`ticket ${ticketNo} cannot move from ${from} to ${to}`);
  }
}

export class TicketNotFoundError extends Error {
  override readonly name = 'TicketNotFoundError';
  constructor(readonly ticketNo: string) {
    super(`no ticket ${ticketNo}`);
  }
}
