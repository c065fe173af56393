import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/app.ts';
import { freePort } from './bridge-process.ts';
import { until } from './wait.ts';
import { copyShippedConfig } from './shipped-config.ts';

/** signs the session tokens of the test bridge, so a test can make an expired or a forged one */
export const TEST_WEBCHAT_SECRET = 'test-webchat-token-secret-0123456789abcdef';

/** the bot on, retries in milliseconds, a sweep every 100 ms */
export const WEBCHAT_YAML = 'bot: { enabled: true }\npipeline: { retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200, keepTryingMs: 0 }, sweepIntervalMs: 100 }\n';

export interface WebChatBridge {
  /** the running bridge (a new one after restart()) */
  readonly app: App;
  /** http://127.0.0.1:PORT */
  url: string;
  /**
   * Stops the bridge, runs `whileDown` (a test looks at the page meanwhile), and starts it again on the same port,
   * config and SQLite file, with `env` over the first start's.
   */
  restart(opts?: { whileDown?: () => Promise<void>; env?: Record<string, string> }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole bridge in this process with web chat on (it needs no credentials) and SMS off: a temp SQLite file and
 * a temp config dir (default.yaml plus `localYaml` as local.yaml).
 */
export async function startWebChatBridge(localYaml = WEBCHAT_YAML): Promise<WebChatBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-webchat-'));
  copyShippedConfig(dir);
  writeFileSync(join(dir, 'local.yaml'), localYaml);
  const env = {
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    STORE_URL: `sqlite:${join(dir, 'bridge.db')}`,
    ATTACHMENTS_DIR: join(dir, 'attachments'),
    LOG_LEVEL: 'silent',
    WEBCHAT_TOKEN_SECRET: TEST_WEBCHAT_SECRET,
    QUIET_HOURS: 'off',
    NOTIFY_SETTLE_SECONDS: '0',
  };
  let app: App;
  try {
    app = await startApp({ configDir: dir, env });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const webchat = app.channels.find((c) => c.channel === 'webchat');
  if (!webchat?.on) {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`web chat did not come on: ${webchat?.reason ?? 'not listed'}`);
  }
  let stopped = false;
  return {
    get app() {
      return app;
    },
    url: app.url,
    restart: async ({ whileDown, env: more } = {}) => {
      await app.stop();
      stopped = true;
      await whileDown?.();
      app = await startApp({ configDir: dir, env: { ...env, ...more } });
      stopped = false;
    },
    close: async () => {
      try {
        if (!stopped) await app.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface DirectLineActivity {
  id: string;
  type: string;
  timestamp?: string;
  text?: string;
  from: { id: string; role?: string };
  channelData?: { clientActivityID?: string; [key: string]: unknown };
  locale?: string;
  textFormat?: string;
  attachments?: { contentType: string; contentUrl?: string; name?: string }[];
  replyToId?: string;
  suggestedActions?: { to?: string[]; actions: { type: string; title: string; value: string }[] };
}

/**
 * A Direct Line client over plain fetch, doing what the chat page and DirectLineJS do with webSocket: false: a
 * session token from the page's endpoint (with the citizen token the browser keeps, if any), open the
 * conversation, post, poll by watermark.
 */
export class DirectLineClient {
  token = '';
  userId = '';
  conversationId = '';
  /** the long-lived citizen token the page keeps in localStorage */
  citizen = '';
  /** whether the session resumed the citizen's conversation */
  resumed = false;
  private watermark = '';
  /** bot messages seen when the chat opened (the greeting, or a resumed transcript): botMessages() counts after them */
  private before = 0;
  readonly seen: DirectLineActivity[] = [];

  constructor(
    private readonly base: string,
    opts: { citizen?: string } = {},
  ) {
    this.citizen = opts.citizen ?? '';
  }

  async start(): Promise<void> {
    const session = await fetch(`${this.base}/chat/session`, {
      method: 'POST',
      ...(this.citizen ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ citizen: this.citizen }) } : {}),
    });
    if (session.status !== 201) throw new Error(`POST /chat/session answered ${session.status}: ${await session.text()}`);
    const s = (await session.json()) as { token: string; userId: string; conversationId: string; citizen: string; resumed: boolean };
    this.userId = s.userId;
    this.citizen = s.citizen;
    this.resumed = s.resumed;
    const started = await fetch(`${this.base}/v3/directline/conversations`, { method: 'POST', headers: this.headers(s.token) });
    if (started.status !== (s.resumed ? 200 : 201)) throw new Error(`start conversation answered ${started.status}: ${await started.text()}`);
    const c = (await started.json()) as { conversationId: string; token: string };
    this.conversationId = c.conversationId;
    this.token = c.token;
    await this.poll();
    this.before = this.seen.filter((a) => a.type === 'message' && a.from.role === 'bot').length;
  }

  headers(token = this.token): Record<string, string> {
    return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  }

  /** posts as Web Chat does (with our page's `messageId` when given); the answer as it came */
  post(text: string, clientActivityID: string, messageId?: string): Promise<Response> {
    return fetchAsBrowser(`${this.base}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ type: 'message', text, locale: 'mr-IN', from: { id: this.userId, role: 'user' }, channelData: { clientActivityID, ...(messageId ? { messageId } : {}) } }),
    });
  }

  /** one poll: what is new since the last one */
  async poll(): Promise<DirectLineActivity[]> {
    const res = await fetchAsBrowser(`${this.base}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, { headers: this.headers() });
    if (res.status !== 200) throw new Error(`polling answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { activities: DirectLineActivity[]; watermark: string };
    this.watermark = body.watermark;
    this.seen.push(...body.activities);
    return body.activities;
  }

  /** the bot messages seen when the chat opened: the greeting, or the transcript of a resumed chat */
  get opening(): DirectLineActivity[] {
    return this.seen.filter((a) => a.type === 'message' && a.from.role === 'bot').slice(0, this.before);
  }

  /** polls until there are `count` bot messages, and returns them */
  async botMessages(count: number): Promise<DirectLineActivity[]> {
    const bot = () => this.seen.filter((a) => a.type === 'message' && a.from.role === 'bot').slice(this.before);
    return until(`${count} bot message(s) in the conversation`, async () => {
      await this.poll();
      return bot().length >= count ? bot() : undefined;
    });
  }
}

/**
 * fetch, retried once when a kept-alive connection turns out closed before any answer came, as browsers do: after a
 * bridge restart the pool may still hold a socket to the stopped server, and undici does not retry a POST itself.
 */
async function fetchAsBrowser(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    const code = ((e as { cause?: { code?: string } }).cause ?? {}).code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw e;
    return fetch(url, init);
  }
}

/** what Web Chat shows for a bot message in markdown: escapes undone, a link shown by its words */
export function shown(text: string | undefined): string {
  return (text ?? '').replace(/\[([^\]]*)\]\(tel:[+\d]+\)/g, '$1').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
