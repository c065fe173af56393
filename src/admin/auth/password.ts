import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** 2^15 × 8 × 128 bytes = 32 MiB a hash: memory-hard, about 0.1 s on one core */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const MAXMEM = 64 * 1024 * 1024;
// what a stored value may ask for: room to raise the parameters later, not enough for one bad row to take a GiB
const MOST_MEMORY = 256 * 1024 * 1024;
const STORED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{22,88})\$([A-Za-z0-9_-]{22,88})$/;

export const SHORTEST_PASSWORD = 10;
export const LONGEST_PASSWORD = 200;

function derive(password: string, salt: Buffer, keyLength: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // NFC: the same Marathi password typed on two keyboards can arrive as different code points (क़ or क + ़)
    scrypt(password.normalize('NFC'), salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url: the parameters travel with the hash */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { ...PARAMS, maxmem: MAXMEM });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Reads the parameters from the stored value, so hashes made before they were raised still verify. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = STORED.exec(stored);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4]!, 'base64url');
  const expected = Buffer.from(m[5]!, 'base64url');
  const memory = 128 * N * r;
  const sane = N >= 2 && (N & (N - 1)) === 0 && r >= 1 && p >= 1 && p <= 16 && memory <= MOST_MEMORY && salt.length >= SALT_BYTES && expected.length >= 16;
  if (!sane) return false;
  try {
    const key = await derive(password, salt, expected.length, { N, r, p, maxmem: Math.max(MAXMEM, memory * 2) });
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/** What is wrong with a new password, said as what to choose instead; undefined when it will do. */
export function passwordProblem(password: string): string | undefined {
  const chars = [...password.normalize('NFC')];
  if (chars.length < SHORTEST_PASSWORD) return `Choose a password of at least ${SHORTEST_PASSWORD} characters.`;
  if (chars.length > LONGEST_PASSWORD) return `Choose a password of at most ${LONGEST_PASSWORD} characters.`;
  if (new Set(chars).size === 1) return 'Choose a password that is not one character repeated.';
  return undefined;
}
