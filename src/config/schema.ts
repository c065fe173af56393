import { z } from 'zod';
import { ChannelMapping, Language } from '../model/index.ts';

export const TwilioSecrets = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits'),
  authToken: z.string().min(8),
  /** an E.164 number or a Messaging Service SID */
  from: z.string().regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, 'must be an E.164 number or a Messaging Service SID (MG…)'),
  /** tests and staging only: where the SDK's requests go */
  apiBase: z.string().url().optional(),
});
export type TwilioSecrets = z.infer<typeof TwilioSecrets>;

const GraphId = z.string().regex(/^\d{1,20}$/, 'must be a numeric id (the page id in Page settings → About)');
const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour, IST)');
// DLT ids are 19 digits; some operators' portals show shorter ones
const DltId = z.string().regex(/^\d{10,25}$/, 'must be the id the DLT portal shows (digits only)');
const EnvName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be the name of an environment variable (capitals, digits, _)');
/** an https origin (http on loopback), tests and staging only */
const ApiBase = z.string().url().regex(/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)[:/])/, 'must be an https origin (or http on 127.0.0.1)');

/** The Facebook app and its pages, resolved from the environment by the loader. */
export const FacebookSecrets = z.object({
  appSecret: z.string().min(16),
  verifyToken: z.string().min(8),
  graphBase: ApiBase.optional(),
  pages: z.array(z.object({ id: GraphId, token: z.string().min(20), humanAgentTag: z.boolean() })).min(1),
});
export type FacebookSecrets = z.infer<typeof FacebookSecrets>;

export const XAccountSecrets = z.object({
  id: z.string().regex(/^\d{1,20}$/, 'must be the numeric user id of the X account'),
  appKey: z.string().min(10),
  appSecret: z.string().min(10),
  accessToken: z.string().min(10),
  accessSecret: z.string().min(10),
});
/** The X app and its accounts, resolved from the environment by the loader. */
export const XSecrets = z.object({
  bearerToken: z.string().min(10).optional(),
  /** the Account Activity webhook is on: its CRC and signatures use this (the app's consumer secret) */
  webhookSecret: z.string().min(10).optional(),
  apiBase: ApiBase.optional(),
  accounts: z.array(XAccountSecrets).min(1),
});
export type XSecrets = z.infer<typeof XSecrets>;

/** One mailbox the bridge reads (IMAP) and answers from (SMTP), resolved from the environment by the loader. */
export const MailboxSecrets = z.object({
  /** the mailbox's address (MAIL_FROM's), lower-cased: its account id, what a mapping's accountId matches */
  id: z.string().email(),
  /** '' for the default mailbox (IMAP_URL …), else the prefix its variables carry (WATER → WATER_IMAP_URL …) */
  envPrefix: z.string(),
  imapUrl: z.string().regex(/^imaps?:\/\/[^:@/]+(:[^@/]*)?@[^/]+/, 'must be imap://user:password@host:port (imaps:// for TLS)'),
  smtpUrl: z.string().regex(/^smtps?:\/\/[^/]+/, 'must be smtp://user:password@host:port (smtps:// for TLS)'),
  /** "PMC तक्रार <complaints@pmc.gov.in>" or a bare address */
  from: z.string().min(3),
  folder: z.string().min(1),
  moveTo: z.string().min(1).nullable(),
});
export type MailboxSecrets = z.infer<typeof MailboxSecrets>;

/** A source of the signed intake API (agents, Z+, the city's apps) with its key, resolved from the environment. */
export const IntakeSourceSecrets = z.object({ id: z.string(), key: z.string().min(16) });

const IntakeSource = z
  .object({
    /** the URL segment (/webhooks/api/<id>) and the account id of its messages (what a mapping matches) */
    id: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'must be lower-case letters, digits and -, starting with a letter'),
    /** the environment variable that holds its HMAC key (at least 16 characters) */
    keyEnv: EnvName,
    /** phone: call-centre agents filing what callers say; api: another system (Z+, a city app, an Open311 client) */
    channel: z.enum(['phone', 'api']),
    /** its clients may also speak Open311 GeoReport v2 (/open311/v2, api_key = the source's key) */
    open311: z.boolean().default(false),
  })
  .strict();

export const Config = z
  .object({
    server: z.object({
      host: z.string().min(1),
      port: z.coerce.number().int().min(0).max(65535),
      publicBaseUrl: z.string().url().nullable().default(null),
      /** one reverse proxy in front: staff's sign-in counts attempts by the address it forwards, not by the proxy's */
      behindProxy: z.boolean().default(false),
      bodyLimitBytes: z.number().int().min(1024).max(10 * 1024 * 1024),
      /** a request not complete by then is answered 408 and dropped: a stalled client must not hold a slot or a shutdown */
      requestTimeoutMs: z.number().int().min(100).max(120_000),
      /** per client address on /webhooks/… and /open311/…: requests a minute, and refused (unsigned, forged) ones a minute; 0: none */
      clientLimits: z
        .object({ requestsPerMinute: z.number().int().min(0), refusalsPerMinute: z.number().int().min(0) })
        .default({ requestsPerMinute: 6000, refusalsPerMinute: 60 }),
    }),
    store: z.object({
      url: z.string().regex(/^(sqlite:|mongodb(\+srv)?:\/\/)/, 'must start with sqlite: or mongodb://'),
      archiveSync: z.enum(['FULL', 'NORMAL']),
      /** below this much free space on the store's disk the bridge is not ready (/readyz 503) */
      minFreeBytes: z.number().int().min(0),
    }),
    queue: z.object({
      url: z.string().regex(/^(memory:|redis:\/\/|rediss:\/\/)/, 'must be memory: or redis://…'),
      /** Redis: a job (or lease) of a process that died is taken over by another after this */
      lockSeconds: z.number().min(1).max(600),
    }),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) }),
    tickets: z.object({
      prefix: z.string().regex(/^[A-Z]{0,8}$/, 'must be 0–8 capital letters'),
      firstNumber: z.number().int().min(1),
    }),
    pipeline: z.object({
      concurrency: z.number().int().min(1).max(256),
      /** after starting this many jobs the queue lets waiting webhooks in (the in-process queue) */
      jobsPerTurn: z.number().int().min(1),
      /** the in-process queue during a burst of webhooks (see src/pipeline/ingest-activity.ts) */
      burst: z.object({
        /** webhooks being archived at once from which they count as queuing up (IngestActivity's crowdedAt) */
        webhooksAtOnce: z.number().int().min(1),
        backlog: z.number().int().min(0),
        jobsPerTick: z.number().int().min(1),
        tickMs: z.number().int().min(1).max(1000),
        maxDelayMs: z.number().int().min(0),
      }),
      retry: z.object({
        maxAttempts: z.number().int().min(1).max(100),
        baseDelayMs: z.number().int().min(1),
        maxDelayMs: z.number().int().min(1),
        keepTryingMs: z.number().int().min(0),
      }),
      sweepIntervalMs: z.number().int().min(50),
      /** all: one process does everything; web: receive and archive only; worker: process and send only */
      role: z.enum(['all', 'web', 'worker']),
      /** a worker learns of new messages from the store, since another process archived them */
      workerPollMs: z.number().int().min(20),
      /** sends a minute per channel, across all processes on a shared queue (per process otherwise); 0: no limit */
      sendPerMinute: z.partialRecord(z.enum(['sms', 'facebook', 'twitter', 'email', 'webchat', 'lokshahi', 'api']), z.number().min(0)),
    }),
    defaults: z.object({ department: z.string().min(1), language: Language, slaHours: z.number().positive() }),
    channels: z.object({
      sms: z.object({
        segmentBudget: z.number().int().min(1).max(10),
        /**
         * India's DLT registration (TRAI): the principal entity id and each SMS kind's content template id, as the
         * operator registered them. A campaign without its template id is never sent.
         */
        dlt: z
          .object({
            principalEntityId: DltId.nullable(),
            templates: z.object({ ack: DltId.nullable(), status: DltId.nullable(), rating: DltId.nullable(), campaign: DltId.nullable() }).strict(),
          })
          .strict()
          .default({ principalEntityId: null, templates: { ack: null, status: null, rating: null, campaign: null } }),
        /** a Twilio API call with no answer by then is given up, as of unknown outcome (looked up before a resend) */
        requestTimeoutMs: z.number().int().min(100).max(120_000),
        /** filled from the environment only */
        twilio: TwilioSecrets.optional(),
      }),
      /** Messenger and page comments; secrets from the environment (FACEBOOK_*), more pages named here */
      facebook: z.object({
        requestTimeoutMs: z.number().int().min(100).max(120_000),
        /** how often recent posts' comments are read, to catch what arrived while the bridge was down */
        commentsPollSeconds: z.number().int().min(30),
        /** how far back the first catch-up reads (later ones start where the last ended) */
        catchUpHours: z.number().int().min(1).max(24 * 7),
        /** the default page (FACEBOOK_PAGE_ID) has Meta's HUMAN_AGENT tag: replies up to 7 days after the citizen wrote */
        humanAgentTag: z.boolean(),
        /** more pages of the same app: each one's token in its own environment variable */
        pages: z.array(z.object({ id: GraphId, tokenEnv: EnvName, humanAgentTag: z.boolean().default(false) }).strict()),
        /** filled from the environment only */
        secrets: FacebookSecrets.optional(),
      }),
      /** X mentions and DMs; secrets from the environment (X_*), more accounts named here */
      twitter: z.object({
        requestTimeoutMs: z.number().int().min(100).max(120_000),
        /** mentions and DMs are read this often (each account's rate limits allow about once a minute) */
        pollSeconds: z.number().int().min(15),
        /** with the Account Activity webhook on, polling is only the catch-up: this often */
        catchUpPollSeconds: z.number().int().min(60),
        /** how far back the first poll of an account reads */
        catchUpHours: z.number().int().min(1).max(24 * 7),
        /** more accounts: `envPrefix` X_WARD5 reads X_WARD5_API_KEY, _API_SECRET, _ACCESS_TOKEN, _ACCESS_SECRET */
        accounts: z.array(z.object({ id: z.string().regex(/^\d{1,20}$/), envPrefix: EnvName }).strict()),
        /** filled from the environment only */
        secrets: XSecrets.optional(),
      }),
      /** mailboxes read over IMAP (IDLE and a UID sweep) and answered over SMTP; URLs from the environment */
      email: z.object({
        /** the periodic UID sweep beside IDLE, which brings new mail within seconds */
        sweepSeconds: z.number().int().min(10),
        /** the folder read, and where processed mail is moved (null: it stays, flagged \\Seen) */
        folder: z.string().min(1),
        moveTo: z.string().min(1).nullable(),
        /** a mailbox read for the first time: its unread mail only, or everything in the folder */
        firstSync: z.enum(['unseen', 'all']),
        /** one attachment larger than this is refused (the mail is still taken, and says so) */
        maxAttachmentBytes: z.number().int().min(10_000).max(100_000_000),
        /** attachments kept of one mail at most; the parts after them are refused */
        maxAttachments: z.number().int().min(0).max(100),
        /** a mail larger than this is read only so far: its text is taken, its attachments refused */
        maxMessageBytes: z.number().int().min(100_000).max(200_000_000),
        /** an IMAP or SMTP command unanswered by then fails, and the connection is made again */
        requestTimeoutMs: z.number().int().min(1000).max(300_000),
        /** more mailboxes: envPrefix WATER reads WATER_IMAP_URL, WATER_SMTP_URL and WATER_MAIL_FROM */
        mailboxes: z.array(z.object({ envPrefix: EnvName, folder: z.string().min(1).optional(), moveTo: z.string().min(1).nullable().optional() }).strict()),
        /** filled from the environment only */
        /** what the environment gave: the mailboxes on, and those of the config whose variables are not set */
        secrets: z.object({ mailboxes: z.array(MailboxSecrets), skipped: z.array(z.string()).default([]) }).optional(),
      }),
      /** Lokshahi Din applications: the signed webhook /webhooks/lokshahi and `pmc-bridge import lokshahi` */
      lokshahi: z.object({
        /** the account id of its applications (what the mapping matches) */
        accountId: z.string().min(1),
        /** register headers staff's exports use, beyond the built-in Marathi and English ones: field → header names */
        columns: z.record(z.string(), z.array(z.string().min(1))),
        /** where `import lokshahi` writes its report (beside the register when null) */
        reportDir: z.string().min(1).nullable(),
        /** filled from the environment only (LOKSHAHI_SECRET) */
        secret: z.string().min(16, 'LOKSHAHI_SECRET must be at least 16 characters').optional(),
      }),
      /** Bot Framework Web Chat at /chat, through our own Direct Line subset; needs no credentials */
      webchat: z.object({
        enabled: z.boolean(),
        /** the account id of its messages (what a mapping's accountId matches) */
        accountId: z.string().min(1),
        /** a session token's lifetime; Web Chat refreshes its token every 15 minutes, so at least 16 */
        tokenMinutes: z.number().int().min(16).max(24 * 60),
        /** new chat sessions one client address may open a minute (all clients behind one proxy share it) */
        sessionsPerMinute: z.number().int().min(1),
        /** messages one conversation may post a minute */
        messagesPerMinute: z.number().int().min(1),
        /** conversations kept at once; beyond it a new chat is asked to try again later */
        maxConversations: z.number().int().min(1).max(10_000_000),
        /** activities a client reads at most in one poll (a long transcript comes in a few) */
        maxActivitiesPerConversation: z.number().int().min(10).max(10_000),
        /** a conversation is kept this long after its last use: a reload within it resumes the chat */
        keepDays: z.number().int().min(1).max(365),
        /** a browser keeps its citizen id this long: the same citizen for status queries and ratings */
        citizenDays: z.number().int().min(1).max(3650),
        /** the largest photo taken from the page */
        maxPhotoBytes: z.number().int().min(100_000).max(50_000_000),
        /** filled from the environment only (WEBCHAT_TOKEN_SECRET) */
        tokenSecret: z.string().min(32, 'WEBCHAT_TOKEN_SECRET must be at least 32 characters').optional(),
      }),
    }),
    /** the signed intake API, POST /webhooks/api/<source>: every source with its own key and mapping */
    intake: z
      .object({
        sources: z
          .array(IntakeSource)
          .refine((l) => new Set(l.map((s) => s.id)).size === l.length, 'two sources have the same id (each is its own route /webhooks/api/<id>)')
          .refine((l) => l.every((s) => !s.open311 || s.channel === 'api'), 'open311: true is for sources of channel api (other systems), not phone'),
        /** filled from the environment only: the keys of the sources whose variables are set */
        secrets: z.array(IntakeSourceSecrets).optional(),
      })
      .strict(),
    mappings: z.array(ChannelMapping),
    /**
     * conversational mappings talk through the bot (questions, status, ratings); off, every message is filed at once
     * and acknowledged. What citizens read either way: config/messages/{mr,hi,en}.yaml.
     */
    bot: z
      .object({
        enabled: z.boolean(),
        /** after "हो, पाठवतो" the complaint waits this long for the photo, then is filed without it */
        photoWaitMinutes: z.number().int().min(1).max(24 * 60).default(15),
        /** a photo sent this long after a complaint was filed is added to it, not taken for a new one */
        attachPhotosForHours: z.number().int().min(0).max(24 * 30).default(24),
      })
      .default({ enabled: true, photoWaitMinutes: 15, attachPhotosForHours: 24 }),
    /** keeping citizens and staff informed: status updates, quiet hours, digests (src/notify) */
    notify: z
      .object({
        /** IST, "HH:MM": non-urgent messages the bridge starts itself (status, reminders, campaigns) wait until `to` */
        quietHours: z.object({ from: HhMm, to: HhMm }).strict().nullable(),
        /** changes to one ticket within this many seconds give one message, for the latest */
        settleSeconds: z.coerce.number().int().min(0).max(3600),
        /** the daily digest to each ward office, at this hour IST (null: none) */
        digestHour: z.number().int().min(0).max(23).nullable(),
      })
      .strict()
      .default({ quietHours: { from: '21:00', to: '08:00' }, settleSeconds: 60, digestHour: 8 }),
    feedback: z
      .object({
        /**
         * an unanswered rating question is asked once more after this many hours (null: never); at least a day, as
         * the bot keeps the question open for 24 hours and a reminder cannot cut in
         */
        reminderHours: z.number().min(24, 'must be at least 24 (the bot keeps the first question open for a day)').max(24 * 14).nullable(),
        /** a rating below the running average reopens the ticket (it is flagged for follow-up either way) */
        reopenBelowAverage: z.boolean(),
      })
      .strict()
      .default({ reminderHours: 24, reopenBelowAverage: false }),
    campaigns: z
      .object({
        /** campaign messages sent a second, across every channel */
        perSecond: z.number().positive().max(1000),
        /** what one SMS segment costs (the preview's estimate), in rupees */
        smsSegmentCost: z.number().min(0),
      })
      .strict()
      .default({ perSecond: 5, smsSegmentCost: 0.13 }),
    /** the city's addresses the FAQ answers name ({email}, …); null until confirmed */
    /** where the files citizens send are kept (the embedded attachment store) */
    attachments: z.object({ dir: z.string().min(1) }).strict().default({ dir: 'data/attachments' }),
    publicContacts: z
      .object({
        email: z.string().email().nullable(),
        website: z.string().url().nullable(),
        facebook: z.string().min(1).nullable(),
        x: z.string().min(1).nullable(),
      })
      .strict()
      .default({ email: null, website: null, facebook: null, x: null }),
  })
  .strict();
export type Config = z.infer<typeof Config>;
