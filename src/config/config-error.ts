/** A configuration a person must fix: the message names the key or environment variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
