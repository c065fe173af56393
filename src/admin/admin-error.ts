/** A refusal a person can act on: the HTTP status, and the field at fault where there is one. */
export class AdminError extends Error {
  override readonly name = 'AdminError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 429,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
  }
}

export interface FieldProblem {
  /** dotted path in the record: `department`, `when.pattern`, `then.ward` */
  field: string;
  message: string;
}

export function invalid(problems: readonly FieldProblem[]): AdminError {
  return new AdminError(400, problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

/** zod's issues as field problems */
export function zodProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldProblem[] {
  return issues.map((i) => ({ field: i.path.map(String).join('.') || '(record)', message: i.message }));
}
