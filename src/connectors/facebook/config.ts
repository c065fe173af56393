import type { Config } from '../../config/schema.ts';

export interface FacebookPage {
  id: string;
  token: string;
  /** Meta granted this page the HUMAN_AGENT tag: a reply may follow the citizen's last message by up to 7 days */
  humanAgentTag: boolean;
}

/** Everything the Facebook connector needs, already validated by the config loader. */
export interface FacebookConnectorOptions {
  appSecret: string;
  verifyToken: string;
  pages: FacebookPage[];
  /** tests and staging only: the Graph origin instead of https://graph.facebook.com */
  graphBase?: string;
  requestTimeoutMs: number;
  commentsPollMs: number;
  catchUpHours: number;
}

export function facebookOptionsFromConfig(config: Readonly<Config>): FacebookConnectorOptions | { off: string } {
  const fb = config.channels.facebook;
  if (!fb.secrets) return { off: 'FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN, FACEBOOK_PAGE_ID and FACEBOOK_PAGE_TOKEN are not set' };
  return {
    appSecret: fb.secrets.appSecret,
    verifyToken: fb.secrets.verifyToken,
    pages: fb.secrets.pages.map((p) => ({ ...p })),
    ...(fb.secrets.graphBase ? { graphBase: fb.secrets.graphBase } : {}),
    requestTimeoutMs: fb.requestTimeoutMs,
    commentsPollMs: fb.commentsPollSeconds * 1000,
    catchUpHours: fb.catchUpHours,
  };
}

/** What a supervisor does when a page's token stops working. */
export const reauthorise = (pageId: string, tokenEnv: string): string =>
  `re-authorise page ${pageId}: make a new Page access token (Meta Business Suite → Settings → the app → Generate token, or the Graph API Explorer with pages_messaging, pages_manage_engagement and pages_read_user_content), set ${tokenEnv}, restart the bridge`;
