import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

/**
 * A private, throwaway Dovecot IMAP server for one test: its own config, passwd-file, maildirs, sockets, state
 * and log, all in a temp folder; a free port on 127.0.0.1; plain-text LOGIN / AUTH PLAIN without TLS. Tests
 * point the real imapflow at it. Several may run at once (in one process or in parallel vitest forks).
 *
 * Started as `dovecot -c <conf>`, which daemonises: the master's pid is read from base_dir/master.pid, and it
 * is stopped by SIGTERM to that pid. Nothing is left running when the test process ends: close() stops it, a
 * process 'exit' hook kills what is still running, and a small detached watchdog shell kills it if the test
 * process dies without running its exit hooks (vitest stops a fork with SIGTERM, after a timeout with SIGKILL).
 *
 * Dovecot 2.3 as root: a passwd-file user may not have uid 0 ("invalid UID '0'"), so the mail users are
 * 65534:65534 (nobody) and own their maildirs; the internal/login users are dovecot/dovenull when they exist.
 */

export const DOVECOT_BIN = '/usr/sbin/dovecot';
const DOVEADM_BIN = '/usr/bin/doveadm';

export const DEFAULT_USER = 'complaints';
export const DEFAULT_PASSWORD = 's3cret-pass';

export interface Dovecot {
  host: string; // '127.0.0.1'
  port: number;
  dir: string; // the temp folder
  /** the server's log file (master, auth, imap-login and imap processes) — worth reading when a test fails */
  logPath: string;
  /** imap://user:pass@127.0.0.1:port (user and password URL-encoded) */
  url(user?: string): string;
  /** appends a raw RFC 5322 message to a mailbox of a user (default user, INBOX); resolves with its UID */
  append(raw: string | Buffer, opts?: { user?: string; mailbox?: string; flags?: string[] }): Promise<number>;
  /** many at once, over one connection (200 mails in a test) */
  appendMany(raws: (string | Buffer)[], opts?: { user?: string; mailbox?: string }): Promise<void>;
  /**
   * deletes and creates the mailbox again: a new UIDVALIDITY, the messages given appended anew. (INBOX cannot
   * be deleted in IMAP: its messages are expunged and doveadm gives it a new UIDVALIDITY instead.)
   */
  recreate(mailbox: string, raws: (string | Buffer)[], opts?: { user?: string }): Promise<void>;
  /** what the mailbox holds now: uid, flags (without \Recent), Message-ID, and the mailbox looked at (for "moved to a folder" checks) */
  list(opts?: { user?: string; mailbox?: string }): Promise<{ uid: number; flags: string[]; messageId?: string; mailbox: string }[]>;
  /** the mailbox's current UIDVALIDITY and UIDNEXT */
  status(opts?: { user?: string; mailbox?: string }): Promise<{ uidValidity: bigint; uidNext: number; messages: number }>;
  createMailbox(mailbox: string, opts?: { user?: string }): Promise<void>;
  /** stops the server (SIGTERM, waits for exit); start() starts it again on the same port and mail */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** kills it hard (SIGKILL of the master and its children) to simulate a crash mid-session */
  kill(): Promise<void>;
  /** changes a user's password (the next login with the old one fails); adds the user if unknown */
  setPassword(user: string, password: string): Promise<void>;
  close(): Promise<void>; // stop and remove the folder
}

// ---------------------------------------------------------------------------------------------------------
// processes

/** pid → parent pid, and whether it is a zombie, for every process (Linux /proc) */
function processTable(): Map<number, { ppid: number; zombie: boolean }> {
  const table = new Map<number, { ppid: number; zombie: boolean }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ..." — comm may hold spaces and parentheses, so split after the last ')'
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), zombie: fields[0] === 'Z' || fields[0] === 'X' });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** the pid and all its descendants that are still running (zombies count as gone) */
function processTree(pid: number): number[] {
  const table = processTable();
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    const entry = table.get(p);
    if (entry && !entry.zombie) tree.push(p);
    for (const [child, e] of table) if (e.ppid === p && !tree.includes(child) && !queue.includes(child)) queue.push(child);
  }
  return tree;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** the process's name: 'dovecot' for the master; its children are 'imap', 'imap-login', 'auth', 'log', … */
function comm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function isDovecot(pid: number): boolean {
  return comm(pid) === 'dovecot';
}

/** running masters started with exactly `DOVECOT_BIN -c conf` (found even before or without a pid file) */
function mastersOf(conf: string): number[] {
  const want = `${DOVECOT_BIN}\0-c\0${conf}\0`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8') === want && alive(Number(name))) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** every process of this server: the master(s) by pid file and by command line, and all their descendants */
function serverTree(conf: string, pidFile: string): number[] {
  const masters = new Set(mastersOf(conf));
  const fromFile = readPid(pidFile);
  if (fromFile !== undefined && isDovecot(fromFile)) masters.add(fromFile);
  return [...new Set([...masters].flatMap(processTree))];
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

async function waitGone(pids: number[], ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > deadline) throw new Error(`${what}: still running after ${ms} ms: ${pids.filter(alive).join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function run(bin: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(`${bin} ${args.join(' ')} failed (${err.code ?? err.signal}): ${stderr || stdout}`.trim()), { stderr, stdout, exitCode: err.code }));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * Runs `dovecot -c conf` and resolves when that foreground process exits, i.e. once the master has daemonised
 * (the listeners are bound by then: a taken port fails here, exit code 89). Its stdout/stderr go to a file, not
 * to pipes: the daemon inherits them and keeps them open for a long while, so waiting for the pipes to close
 * (what execFile does) would take ~15 s.
 */
function launchDaemon(conf: string, outFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = openSync(outFile, 'w');
    const child = spawn(DOVECOT_BIN, ['-c', conf], { stdio: ['ignore', out, out] });
    closeSync(out);
    child.once('error', reject);
    child.once('exit', (code, sig) => {
      if (code === 0) return resolve();
      let text = '';
      try {
        text = readFileSync(outFile, 'utf8').trim();
      } catch {
        // none
      }
      reject(new Error(`${DOVECOT_BIN} -c ${conf} exited with ${code ?? sig}: ${text}`));
    });
  });
}

// every server of this process still running, killed synchronously if the process exits without close()
const running = new Map<string, { conf: string; pidFile: string; dir: string; watchdog?: number }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const { conf, pidFile, dir, watchdog } of running.values()) {
      const tree = serverTree(conf, pidFile);
      signal(tree, 'SIGKILL');
      // SIGKILL takes a moment; wait (synchronously, up to 2 s) so the folder is not written to while removed
      const deadline = Date.now() + 2_000;
      while (tree.some(alive) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      if (watchdog !== undefined) signal([watchdog], 'SIGKILL');
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
    running.clear();
  });
}

/**
 * A detached shell that outlives the test process by at most a second: once that process is gone (however it
 * died) it SIGKILLs the dovecot master started with this config (`dovecot -c <conf>`) and the master's children,
 * and removes the folder.
 */
function startWatchdog(conf: string, dir: string): number | undefined {
  const script = `
trap '' INT TERM HUP
parent="$1"; bin="$2"; conf="$3"; dir="$4"
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
masters=""
for d in /proc/[0-9]*; do
  c=$(tr '\\000' ' ' < "$d/cmdline" 2>/dev/null) || continue
  [ "$c" = "$bin -c $conf " ] && masters="$masters \${d#/proc/}"
done
for m in $masters; do
  kill -KILL "$m" 2>/dev/null
  for s in /proc/[0-9]*/stat; do
    line=$(cat "$s" 2>/dev/null) || continue
    rest=\${line##*) }
    set -- $rest
    if [ "$2" = "$m" ]; then k=\${s#/proc/}; kill -KILL "\${k%/stat}" 2>/dev/null; fi
  done
done
case "$dir" in */pmc-dovecot-*) rm -rf "$dir" ;; esac
`;
  try {
    const child = spawn('/bin/sh', ['-c', script, 'pmc-dovecot-watchdog', String(process.pid), DOVECOT_BIN, conf, dir], {
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    return child.pid;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// ports and greeting

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** resolves with the greeting line once the port answers with Dovecot's "ready" greeting */
function greeting(port: number, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no IMAP greeting within ${ms} ms (got ${JSON.stringify(buffer)})`));
    }, ms);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      // "* OK Waiting for authentication process to respond.." comes first when auth is slow to start
      for (const line of buffer.split('\r\n').slice(0, -1)) {
        if (/^\* (OK|PREAUTH)\b/.test(line) && !/Waiting for authentication/i.test(line)) {
          clearTimeout(timer);
          socket.end('z LOGOUT\r\n');
          resolve(line);
          return;
        }
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`connection closed before a greeting (got ${JSON.stringify(buffer)})`));
    });
  });
}

async function waitForGreeting(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await greeting(port, Math.max(500, deadline - Date.now()));
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// config

function passwdUser(name: string): boolean {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .some((line) => line.split(':')[0] === name);
  } catch {
    return false;
  }
}

interface Identity {
  uid: number;
  gid: number;
  internalUser: string;
  loginUser: string;
}

/**
 * Root only: Dovecot's master runs as root and gives the mail processes the passwd-file user's uid (65534, since
 * uid 0 is refused). Running it as another user needs more config than this harness has (tried: the dict and
 * log listeners want group dovecot, then no greeting), so it says so instead.
 */
function identity(): Identity {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0) throw new Error(`startDovecot() needs root (running as uid ${uid}): Dovecot drops privileges to uid 65534 for the mail`);
  return {
    uid: 65534,
    gid: 65534,
    internalUser: passwdUser('dovecot') ? 'dovecot' : 'nobody',
    loginUser: passwdUser('dovenull') ? 'dovenull' : 'nobody',
  };
}

function configText(dir: string, port: number, id: Identity): string {
  return `# a throwaway test server, written by test/support/dovecot.ts
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
debug_log_path = ${dir}/dovecot.log
instance_name = pmc-test-${port}
default_internal_user = ${id.internalUser}
default_login_user = ${id.loginUser}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# a wrong password is answered at once (the default waits 2 s; with 0 it still takes ~0.5 s)
auth_failure_delay = 0
mail_location = maildir:~/Maildir
mail_fsync = never
# many logins from 127.0.0.1 in one test
mail_max_userip_connections = 1000
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
# No auth penalty: otherwise, after a failed login from 127.0.0.1, the next login (even a right one) waits
# 4 s, then 8, up to 15 (login_trusted_networks does not lift it in 2.3.19). mode = 0 is the documented way:
# the listener is not created and auth, finding no socket, skips the penalty.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
}

// ---------------------------------------------------------------------------------------------------------

export async function startDovecot(opts: { users?: { user: string; password: string }[] } = {}): Promise<Dovecot> {
  if (!existsSync(DOVECOT_BIN)) throw new Error(`${DOVECOT_BIN} is missing: install Debian's dovecot-imapd to run the email tests`);
  installExitHook();

  const id = identity();
  const dir = mkdtempSync(join(tmpdir(), 'pmc-dovecot-'));
  // mkdtemp makes it 0700; the mail processes (uid 65534) and login processes must get through it
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'home']) mkdirSync(join(dir, sub));
  const conf = join(dir, 'dovecot.conf');
  const usersFile = join(dir, 'users');
  const logPath = join(dir, 'dovecot.log');
  const pidFile = join(dir, 'run', 'master.pid');

  const passwords = new Map<string, string>();
  for (const { user, password } of opts.users ?? [{ user: DEFAULT_USER, password: DEFAULT_PASSWORD }]) passwords.set(user, password);
  const defaultUser = [...passwords.keys()][0] ?? DEFAULT_USER;
  if (!passwords.has(defaultUser)) passwords.set(defaultUser, DEFAULT_PASSWORD);

  const homeOf = (user: string) => join(dir, 'home', encodeURIComponent(user));
  let usersStamp = 0; // seconds; strictly increasing, see writeUsers

  const writeUsers = () => {
    const lines: string[] = [];
    for (const [user, password] of passwords) {
      if (/[:\n\r]/.test(user) || /[:\n\r]/.test(password)) throw new Error(`passwd-file cannot hold ':' or line breaks: ${JSON.stringify(user)}`);
      const home = homeOf(user);
      if (!existsSync(home)) {
        mkdirSync(home, { recursive: true });
        chownSync(home, id.uid, id.gid);
      }
      lines.push(`${user}:{PLAIN}${password}:${id.uid}:${id.gid}::${home}::`);
    }
    writeFileSync(usersFile, lines.join('\n') + '\n', { mode: 0o644 });
    // Dovecot re-reads a passwd-file when its mtime or size changed; a new password of the same length written
    // within the same second would go unnoticed, so the mtime moves forward by at least a second each time.
    usersStamp = Math.max(usersStamp + 1, Math.floor(Date.now() / 1000));
    utimesSync(usersFile, usersStamp, usersStamp);
  };
  writeUsers();

  let port = await freePort();
  const watchdog = startWatchdog(conf, dir);
  let master: number | undefined;
  let closed = false;

  const launch = async () => {
    writeFileSync(conf, configText(dir, port, id));
    running.set(dir, { conf, pidFile, dir, watchdog });
    await launchDaemon(conf, join(dir, 'startup.log'));
    // the daemon writes its pid file a moment after the foreground process has exited
    const deadline = Date.now() + 10_000;
    for (;;) {
      const pid = readPid(pidFile);
      if (pid !== undefined && isDovecot(pid)) {
        master = pid;
        break;
      }
      if (Date.now() > deadline) throw new Error(`dovecot started but wrote no ${pidFile}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitForGreeting(port, 15_000);
  };

  const tailLog = () => {
    try {
      return readFileSync(logPath, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  };

  const start = async () => {
    if (closed) throw new Error('this Dovecot was closed');
    if (master !== undefined && alive(master)) return;
    try {
      await launch();
    } catch (err) {
      throw new Error(`could not start dovecot on port ${port}: ${(err as Error).message}\n--- ${logPath}\n${tailLog()}`, { cause: err });
    }
  };

  const stop = async () => {
    master = undefined;
    const masters = [...new Set([...mastersOf(conf), readPid(pidFile) ?? 0])].filter((p) => p > 0 && isDovecot(p));
    if (masters.length === 0) return;
    const tree = serverTree(conf, pidFile);
    // Dovecot's master does not end the IMAP sessions when it stops (they stay connected, with the log and
    // stats processes, until the client leaves), so the sessions are told first: SIGTERM makes an imap process
    // say "* BYE Server shutting down." and exit. Then the master, which stops the rest and exits.
    const sessions = tree.filter((p) => comm(p) === 'imap');
    signal(sessions, 'SIGTERM');
    await waitGone(sessions, 5_000, 'dovecot imap sessions after SIGTERM').catch(() => signal(sessions, 'SIGKILL'));
    signal(masters, 'SIGTERM');
    try {
      await waitGone(masters, 10_000, 'dovecot master after SIGTERM');
      // anything left (sessions started meanwhile) goes the same way
      const rest = tree.concat(processTree(masters[0]!)).filter(alive);
      signal(rest, 'SIGTERM');
      await waitGone(rest, 5_000, 'dovecot processes after SIGTERM');
    } catch {
      signal(serverTree(conf, pidFile), 'SIGKILL');
      signal(tree, 'SIGKILL');
      await waitGone(tree, 5_000, 'dovecot after SIGKILL');
    }
  };

  const kill = async () => {
    master = undefined;
    const tree = serverTree(conf, pidFile);
    signal(tree, 'SIGKILL');
    await waitGone(tree, 5_000, 'dovecot after SIGKILL');
    // a crashed master leaves its pid file; with the pid reused by then, the next start would refuse to run
    try {
      unlinkSync(pidFile);
    } catch {
      // none
    }
  };

  // the first start: the free port may have been taken by someone else meanwhile — then try another
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      const message = `${(err as Error).message}`;
      if (attempt < 5 && /Address already in use/i.test(message)) {
        port = await freePort();
        continue;
      }
      await kill().catch(() => undefined);
      running.delete(dir);
      if (watchdog !== undefined) signal([watchdog], 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`could not start dovecot: ${message}\n--- ${logPath}\n${tailLog()}`, { cause: err });
    }
  }
  const passwordOf = (user: string) => {
    const password = passwords.get(user);
    if (password === undefined) throw new Error(`no such Dovecot test user: ${user}`);
    return password;
  };

  /** one logged-in imapflow connection for fn, logged out afterwards */
  const withClient = async <T>(user: string | undefined, fn: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const name = user ?? defaultUser;
    const client = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user: name, pass: passwordOf(name) },
      logger: false,
      disableAutoIdle: true,
      // the test server speaks plain text on purpose
      doSTARTTLS: false,
    });
    client.on('error', () => undefined); // failures surface through the awaited calls
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  const ensureMailbox = async (client: ImapFlow, mailbox: string) => {
    if (mailbox.toUpperCase() !== 'INBOX') await client.mailboxCreate(mailbox);
  };

  const appendOne = async (client: ImapFlow, mailbox: string, raw: string | Buffer, flags?: string[]) => {
    const res = await client.append(mailbox, raw, flags);
    if (!res || typeof res.uid !== 'number') throw new Error(`APPEND to ${mailbox} gave no UID (${JSON.stringify(res)})`);
    return res.uid;
  };

  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    dir,
    logPath,
    url(user?: string) {
      const name = user ?? defaultUser;
      return `imap://${encodeURIComponent(name)}:${encodeURIComponent(passwordOf(name))}@127.0.0.1:${port}`;
    },
    append(raw, o = {}) {
      const mailbox = o.mailbox ?? 'INBOX';
      return withClient(o.user, async (client) => {
        await ensureMailbox(client, mailbox);
        return appendOne(client, mailbox, raw, o.flags);
      });
    },
    appendMany(raws, o = {}) {
      const mailbox = o.mailbox ?? 'INBOX';
      return withClient(o.user, async (client) => {
        await ensureMailbox(client, mailbox);
        for (const raw of raws) await appendOne(client, mailbox, raw);
      });
    },
    recreate(mailbox, raws, o = {}) {
      return withClient(o.user, async (client) => {
        if (mailbox.toUpperCase() === 'INBOX') {
          // IMAP cannot DELETE INBOX: empty it, then give it a new UIDVALIDITY with doveadm
          const before = await client.status('INBOX', { uidValidity: true, messages: true });
          if (before === false) throw new Error('STATUS INBOX failed');
          if ((before.messages ?? 0) > 0) {
            const lock = await client.getMailboxLock('INBOX');
            try {
              await client.messageDelete('1:*');
            } finally {
              lock.release();
            }
          }
          await client.mailboxClose().catch(() => undefined);
          const next = Number((before.uidValidity ?? 0n) + 1n) >>> 0 || 1;
          await run(DOVEADM_BIN, ['-c', conf, 'mailbox', 'update', '-u', o.user ?? defaultUser, '--uid-validity', String(next), 'INBOX']);
        } else {
          const exists = (await client.list()).some((m) => m.path === mailbox);
          if (exists) await client.mailboxDelete(mailbox);
          await client.mailboxCreate(mailbox);
        }
        for (const raw of raws) await appendOne(client, mailbox, raw);
      });
    },
    list(o = {}) {
      const mailbox = o.mailbox ?? 'INBOX';
      return withClient(o.user, async (client) => {
        const lock = await client.getMailboxLock(mailbox, { readOnly: true });
        try {
          if (client.mailbox === false || client.mailbox.exists === 0) return [];
          const messages = await client.fetchAll('1:*', { uid: true, flags: true, envelope: true });
          return messages
            .map((m) => ({
              uid: m.uid,
              // \Recent says which session saw it first, not something a test checks
              flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort(),
              ...(m.envelope?.messageId ? { messageId: m.envelope.messageId } : {}),
              mailbox,
            }))
            .sort((a, b) => a.uid - b.uid);
        } finally {
          lock.release();
        }
      });
    },
    status(o = {}) {
      const mailbox = o.mailbox ?? 'INBOX';
      return withClient(o.user, async (client) => {
        const s = await client.status(mailbox, { uidValidity: true, uidNext: true, messages: true });
        if (s === false) throw new Error(`STATUS ${mailbox} failed`);
        return { uidValidity: s.uidValidity ?? 0n, uidNext: s.uidNext ?? 0, messages: s.messages ?? 0 };
      });
    },
    async createMailbox(mailbox, o = {}) {
      await withClient(o.user, (client) => client.mailboxCreate(mailbox));
    },
    stop,
    start,
    kill,
    async setPassword(user, password) {
      passwords.set(user, password);
      writeUsers();
      // Dovecot's auth process stats the passwd-file at most once per second (per its clock second), so a
      // login later in the second of an earlier lookup would still see the old file: wait for the next second
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      running.delete(dir);
      if (watchdog !== undefined) signal([watchdog], 'SIGKILL');
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

