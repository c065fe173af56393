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

/** an edit made on a copy someone else changed since it was read (or a create of what exists) */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly kind: string,
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      actual === 0
        ? `${kind} ${id} does not exist`
        : expected === 0
          ? `${kind} ${id} already exists`
          : `${kind} ${id} was changed by someone else (version ${actual}, you edited ${expected}): reload and edit again`,
    );
  }
}

/** a stored record that cannot be read (torn JSON: a damaged page, an older version's row): no retry can read it */
export class DamagedRecordError extends Error {
  override readonly name = 'DamagedRecordError';
  constructor(readonly kind: string, readonly id: number | string, why: string) {
    super(`${kind} ${id} cannot be read: ${why}`);
  }
}
