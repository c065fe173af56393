import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { Config, TwilioSecrets } from './schema.ts';
import { ConfigError } from './config-error.ts';
import { emailFromEnv, facebookFromEnv, intakeFromEnv, xFromEnv } from './channel-secrets.ts';
import { shippedConfigDir } from './shipped-defaults.ts';

export { ConfigError };

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isPlain(v) && isPlain(out[k]) ? deepMerge(out[k] as Plain, v) : v;
  return out;
}

/**
 * The keys `shipped` has and `own` lacks, each as its outermost dotted path ("pipeline.burst.webhooksAtOnce", or
 * "pipeline.burst" when the whole mapping is missing): what an operator's copy of an older default.yaml lacks.
 */
function missingKeys(shipped: Plain, own: Plain, path: string[] = []): string[] {
  const missing: string[] = [];
  for (const [key, value] of Object.entries(shipped)) {
    if (!(key in own)) missing.push([...path, key].join('.'));
    else if (isPlain(value) && isPlain(own[key])) missing.push(...missingKeys(value, own[key] as Plain, [...path, key]));
  }
  return missing;
}

function readYaml(file: string): Plain {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (doc == null) return {};
  if (!isPlain(doc)) throw new ConfigError(`${file}: the top level must be a mapping of keys`);
  return doc;
}

function set(obj: Plain, path: string[], value: unknown): void {
  let at = obj;
  for (const key of path.slice(0, -1)) at = (at[key] = isPlain(at[key]) ? at[key] : {}) as Plain;
  at[path[path.length - 1]!] = value;
}

/** Environment variables and the config key each one sets. */
const ENV_KEYS: Record<string, string[]> = {
  PORT: ['server', 'port'],
  HOST: ['server', 'host'],
  PUBLIC_BASE_URL: ['server', 'publicBaseUrl'],
  STORE_URL: ['store', 'url'],
  QUEUE_URL: ['queue', 'url'],
  ATTACHMENTS_DIR: ['attachments', 'dir'],
  LOG_LEVEL: ['log', 'level'],
  NOTIFY_SETTLE_SECONDS: ['notify', 'settleSeconds'],
  PMC_ROLE: ['pipeline', 'role'],
  WEBCHAT_TOKEN_SECRET: ['channels', 'webchat', 'tokenSecret'],
  LOKSHAHI_SECRET: ['channels', 'lokshahi', 'secret'],
};

const SECRET_KEY = /(token|secret|password|authToken|accountSid)$/i;

function rejectSecretsInFiles(doc: Plain, file: string, path: string[] = []): void {
  for (const [k, v] of Object.entries(doc)) {
    if (isPlain(v)) rejectSecretsInFiles(v, file, [...path, k]);
    else if (SECRET_KEY.test(k) && v != null && v !== '')
      throw new ConfigError(`${file}: ${[...path, k].join('.')} is a secret: set it in the environment, not in a file`);
  }
}

function twilioFromEnv(env: NodeJS.ProcessEnv): { value?: TwilioSecrets; reason: string } {
  const sid = env.TWILIO_ACCOUNT_SID;
  const token = env.TWILIO_AUTH_TOKEN;
  const from = env.TWILIO_FROM;
  const missing = [!sid && 'TWILIO_ACCOUNT_SID', !token && 'TWILIO_AUTH_TOKEN', !from && 'TWILIO_FROM'].filter(Boolean);
  if (missing.length === 3) return { reason: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are not set' };
  if (missing.length > 0) throw new ConfigError(`${missing.join(', ')} not set: SMS needs all three of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM`);
  const parsed = TwilioSecrets.safeParse({ accountSid: sid, authToken: token, from, apiBase: env.TWILIO_API_BASE || undefined });
  if (!parsed.success) throw new ConfigError(describe(parsed.error, { accountSid: 'TWILIO_ACCOUNT_SID', authToken: 'TWILIO_AUTH_TOKEN', from: 'TWILIO_FROM', apiBase: 'TWILIO_API_BASE' }));
  return { value: parsed.data, reason: 'TWILIO_* set' };
}

export function describe(error: z.ZodError, names: Record<string, string> = {}): string {
  return error.issues
    .map((i) => {
      const key = i.path.join('.') || '(top level)';
      return `${names[key] ?? key}: ${i.message}`;
    })
    .join('; ');
}

export interface LoadedConfig {
  config: Readonly<Config>;
  /** the config folder: wards.yaml and categories.yaml are read from it too */
  dir: string;
  /** the files that were read, in order */
  files: string[];
  /**
   * keys the folder's default.yaml lacks (a copy made before they were added), taken from the shipped one: the
   * bridge starts on them, and says which at start so that they can be copied in
   */
  fromShipped: string[];
}

/**
 * config/default.yaml, then config/local.yaml if present, then the environment; validated, then frozen.
 * A bad value throws ConfigError naming the key. A folder of its own (PMC_CONFIG_DIR) whose default.yaml is a
 * copy of an older one gets the keys added since from the shipped default.yaml, so an upgrade does not stop the
 * bridge at start; a key set there (null included) is kept as it is.
 */
export function loadConfig(opts: { dir?: string; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const dir = resolve(opts.dir ?? env.PMC_CONFIG_DIR ?? 'config');
  const defaultFile = join(dir, 'default.yaml');
  if (!existsSync(defaultFile)) throw new ConfigError(`${defaultFile} not found: run from the project folder or set PMC_CONFIG_DIR`);
  const files = [defaultFile];
  let doc = readYaml(defaultFile);
  rejectSecretsInFiles(doc, defaultFile);
  let fromShipped: string[] = [];
  const shipped = shippedConfigDir();
  if (shipped && resolve(shipped) !== dir) {
    const shippedFile = join(shipped, 'default.yaml');
    const base = readYaml(shippedFile);
    fromShipped = missingKeys(base, doc);
    if (fromShipped.length > 0) {
      doc = deepMerge(base, doc);
      files.unshift(shippedFile);
    }
  }
  const localFile = join(dir, 'local.yaml');
  if (existsSync(localFile)) {
    const local = readYaml(localFile);
    rejectSecretsInFiles(local, localFile);
    doc = deepMerge(doc, local);
    files.push(localFile);
  }
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') set(doc, path, v);
  }
  // QUIET_HOURS=21:00-08:00 (IST), or off: what an operator (or a test at any hour) sets without a file
  const quiet = env.QUIET_HOURS?.trim();
  if (quiet) set(doc, ['notify', 'quietHours'], quiet === 'off' ? null : { from: quiet.split('-')[0], to: quiet.split('-')[1] ?? '' });
  const twilio = twilioFromEnv(env);
  if (twilio.value) set(doc, ['channels', 'sms', 'twilio'], twilio.value);
  const channels = isPlain(doc.channels) ? doc.channels : {};
  const facebook = facebookFromEnv(env, isPlain(channels.facebook) ? channels.facebook : {});
  if (facebook) set(doc, ['channels', 'facebook', 'secrets'], facebook);
  const x = xFromEnv(env, isPlain(channels.twitter) ? channels.twitter : {});
  if (x) set(doc, ['channels', 'twitter', 'secrets'], x);
  const email = emailFromEnv(env, isPlain(channels.email) ? channels.email : {});
  if (email) set(doc, ['channels', 'email', 'secrets'], email);
  if (isPlain(doc.intake)) set(doc, ['intake', 'secrets'], intakeFromEnv(env, doc.intake));

  const parsed = Config.safeParse(doc);
  if (!parsed.success) {
    const envNames = Object.fromEntries(Object.entries(ENV_KEYS).map(([n, p]) => [p.join('.'), `${p.join('.')} (${n})`]));
    throw new ConfigError(`invalid configuration: ${describe(parsed.error, envNames)}`);
  }
  return { config: deepFreeze(parsed.data), dir, files, fromShipped };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
