/** The file as a whole cannot be read (kind, sheet, headers, CSV syntax): nothing of it was taken. */
export class RegisterError extends Error {
  override readonly name = 'RegisterError';
}
