import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Request, type Response, type TurnContext } from 'botbuilder';

/** What the web chat connector reads of a turn's activity: plain data, so no botbuilder type leaves src/bots. */
export interface WebChatTurnActivity {
  type: string;
  id?: string;
  text?: string;
  from: { id: string; name?: string };
  conversation: { id: string };
  attachments?: { contentType: string; contentUrl?: string; name?: string }[];
}

/** What CloudAdapter answered, for the HTTP route to send. */
export interface WebChatBotAnswer {
  status: number;
  body?: unknown;
}

export interface WebChatBotEndpoint {
  /**
   * One activity posted to /api/messages, through botbuilder's CloudAdapter. `onMessage` runs for a message
   * activity; if it throws, so does this (nothing is answered on its behalf).
   */
  process(activity: Record<string, unknown>, onMessage: (activity: WebChatTurnActivity) => Promise<void>): Promise<WebChatBotAnswer>;
}

// Replies never go back through the Bot Connector: they leave later through the outbox. A caller's serviceUrl is
// replaced by this unresolvable one (RFC 2606 .invalid) so that, with no app id checking who calls, nothing a
// caller sends can make us POST anywhere; expectReplies would buffer any reply in the response instead.
const NO_SERVICE_URL = 'https://service-url-unused.invalid/';

/**
 * The bot endpoint of web chat: botbuilder's CloudAdapter with no app id, so it authenticates no one. The web chat
 * connector checks its own session token and rate limit before calling this.
 */
export function createWebChatBotEndpoint(): WebChatBotEndpoint {
  // {} on purpose: no MicrosoftAppId, and nothing read from the environment.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  return {
    async process(activity, onMessage) {
      const answer: WebChatBotAnswer = { status: 200 };
      const res: Response = {
        socket: undefined,
        status: (code: number) => (answer.status = code),
        send: (body: unknown) => (answer.body = body),
        header: () => undefined,
        end: () => undefined,
      };
      const body = { ...structuredClone(activity), serviceUrl: NO_SERVICE_URL, deliveryMode: 'expectReplies' };
      // Our session token is not a Bot Framework token: it stays out of the adapter (with no app id it would be
      // ignored; with one it would be refused).
      const req: Request = { method: 'POST', headers: {}, body };
      let failed: { err: unknown } | undefined;
      await adapter.process(req, res, async (context: TurnContext) => {
        if (context.activity.type !== 'message') return;
        try {
          await onMessage(context.activity as unknown as WebChatTurnActivity);
        } catch (err) {
          // kept, not thrown: CloudAdapter would print it to the console and answer 500 with its message
          failed = { err };
        }
      });
      if (failed) throw failed.err;
      return answer;
    },
  };
}
