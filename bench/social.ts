import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT } from '../test/support/bridge-process.ts';
import { ONE_CLIENT_YAML, postLoad, shippedStart, spawnReady, stop } from './processes.ts';
import { FB_APP_SECRET, FB_PAGE, FB_PAGE_TOKEN, FB_VERIFY_TOKEN, metaJson, signMeta } from '../test/support/facebook-webhooks.ts';
import { startFakeGraphApi } from '../test/support/fake-graph-api.ts';
import { copyShippedConfig } from '../test/support/shipped-config.ts';
import { makeTestCa } from '../test/support/test-ca.ts';

const ROUTE = '/webhooks/facebook';
const TEXTS = ['माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है', 'Streetlight not working near Karve Road bus stop'];

/** Meta-signed deliveries of one Messenger message each, every one a new mid (none dropped as a repeat). */
const load = (port: number, seconds: number, offset: number) =>
  postLoad(port, ROUTE, seconds, offset, (n) => {
    const psid = String(7_100_000_000_000_000 + (n % 5000));
    const body = metaJson({ object: 'page', entry: [{ id: FB_PAGE, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: FB_PAGE }, timestamp: Date.now(), message: { mid: `m_bench${n}`, text: TEXTS[n % TEXTS.length] } }] }] });
    return { headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(body) }, body };
  });

/** Messenger webhooks against a bare fastify route and the bridge's web process (verify, parse, archive, 200). */
export async function benchMessengerIngest(seconds = 8) {
  const barePort = await freePort();
  const bare = await spawnReady(['--import', 'tsx', 'bench/servers/bare-fastify.ts'], {}, barePort);
  const bareResult = await load(barePort, seconds, 1_000_000);
  await stop(bare);
  const graph = await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN } });
  const web = async (archiveSync: 'FULL' | 'NORMAL', offset: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-fbingest-'));
    copyShippedConfig(join(dir, 'config'));
    writeFileSync(join(dir, 'config/local.yaml'), `${ONE_CLIENT_YAML}store:\n  archiveSync: ${archiveSync}\n`);
    const port = await freePort();
    const env = {
      PMC_CONFIG_DIR: join(dir, 'config'),
      STORE_URL: `sqlite:${join(dir, 'bridge.db')}`,
      ATTACHMENTS_DIR: join(dir, 'attachments'),
      FACEBOOK_APP_SECRET: FB_APP_SECRET, FACEBOOK_VERIFY_TOKEN: FB_VERIFY_TOKEN, FACEBOOK_PAGE_ID: FB_PAGE, FACEBOOK_PAGE_TOKEN: FB_PAGE_TOKEN, FACEBOOK_GRAPH_BASE: graph.url,
    };
    const proc = await spawnReady([...shippedStart(), '--role', 'web'], env, port);
    const result = await load(port, seconds, offset);
    await stop(proc);
    rmSync(dir, { recursive: true, force: true });
    return result;
  };
  const full = await web('FULL', 2_000_000);
  const normal = await web('NORMAL', 3_000_000);
  await graph.close();
  return { bare: bareResult, web: full, webNormal: normal };
}

/**
 * X mentions polled into tickets, in a child process: the X fake is HTTPS, and Node trusts the test CA only
 * through NODE_EXTRA_CA_CERTS at start.
 */
export function benchMentions(count = 2000): { count: number; pollMs: number; ticketsPerSec: number } {
  const caDir = mkdtempSync(join(tmpdir(), 'pmc-bench-ca-'));
  try {
    const ca = makeTestCa(caDir);
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/x-mentions.ts', String(count)], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PMC_TEST_CA_DIR: caDir, NODE_EXTRA_CA_CERTS: ca.caFile },
      maxBuffer: 1 << 24,
    });
    if (child.status !== 0) throw new Error(`mentions bench failed:\n${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as { count: number; pollMs: number; ticketsPerSec: number };
  } finally {
    rmSync(caDir, { recursive: true, force: true });
  }
}
