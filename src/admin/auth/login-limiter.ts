import { isIPv6 } from 'node:net';

export interface LoginLimits {
  perUsername: number;
  perAddress: number;
  windowMs: number;
  /** names and addresses remembered at once; past it the one whose last failure is oldest is forgotten */
  mostKeys: number;
}

export const LOGIN_LIMITS: LoginLimits = { perUsername: 5, perAddress: 20, windowMs: 15 * 60 * 1000, mostKeys: 10_000 };

export type LoginCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Failed logins per username from one client address, and per client address, in a sliding window. A name is
 * counted per address so that someone elsewhere guessing a name cannot lock its owner out; an address that tries
 * many names is stopped by its own count. In memory and per process: each web
 * process counts on its own and a restart forgets, which bounds guessing well enough for staff passwords hashed
 * with scrypt; a shared counter (Redis) would be needed to make the numbers exact across processes.
 */
export class LoginLimiter {
  /** key → times of the latest failures (at most the limit), in the order keys last failed */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: LoginLimits = LOGIN_LIMITS) {}

  check(username: string, ip: string, now: Date): LoginCheck {
    const wait = Math.max(this.waitMs(userKey(username, ip), this.limits.perUsername, now), this.waitMs(addressKey(ip), this.limits.perAddress, now));
    return wait > 0 ? { ok: false, retryAfterSeconds: Math.ceil(wait / 1000) } : { ok: true };
  }

  fail(username: string, ip: string, now: Date): void {
    this.add(userKey(username, ip), this.limits.perUsername, now);
    this.add(addressKey(ip), this.limits.perAddress, now);
  }

  /** clears the name's failures from this address, and takes back the one failure counted for this attempt */
  succeed(username: string, ip: string): void {
    this.failures.delete(userKey(username, ip));
    this.failures.get(addressKey(ip))?.pop();
  }

  /** how long until the key may try again; 0 when it may now */
  private waitMs(key: string, limit: number, now: Date): number {
    const times = this.recent(key, now);
    return times.length < limit ? 0 : times[times.length - limit]! + this.limits.windowMs - now.getTime();
  }

  private recent(key: string, now: Date): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const since = now.getTime() - this.limits.windowMs;
    while (times.length > 0 && times[0]! <= since) times.shift();
    if (times.length === 0) this.failures.delete(key);
    return times;
  }

  private add(key: string, limit: number, now: Date): void {
    const times = this.recent(key, now);
    times.push(now.getTime());
    if (times.length > limit) times.shift();
    // re-inserted, so the map's first keys are the ones that failed longest ago: those are forgotten first
    this.failures.delete(key);
    while (this.failures.size > 0 && this.failures.size >= this.limits.mostKeys) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(key, times);
  }
}

function userKey(username: string, ip: string): string {
  return `u:${username.trim().toLowerCase()}|${addressKey(ip)}`;
}

/** an IPv6 client is counted by its /64, which one subscriber usually holds whole; an IPv4-mapped one as IPv4 */
function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return `a:${mapped[1]}`;
  if (!isIPv6(ip)) return `a:${ip}`;
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `a:${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
