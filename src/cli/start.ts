import { startApp } from '../app.ts';
import { ConfigError } from '../config/load.ts';
import { dltBanner } from '../connectors/sms/dlt.ts';

/** `pmc-bridge start`: runs until SIGTERM/SIGINT, then finishes in-flight work and exits. */
export async function runStart(opts: { role?: string } = {}): Promise<void> {
  // listen for the signals before starting: the pipeline may already be working when startApp returns, and a
  // SIGTERM in that gap must stop it gracefully, not kill it
  let stopRequested: string | undefined;
  let shutdown = (signal: string): void => {
    stopRequested = signal;
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  let app;
  try {
    app = await startApp(opts.role ? { env: { ...process.env, PMC_ROLE: opts.role } } : {});
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`pmc-bridge: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const { config, channels, gazetteer, url, logger } = app;
  const width = Math.max(...channels.map((c) => c.channel.length));
  const lines = [
    config.pipeline.role === 'worker' ? 'pmc-bridge worker started (no HTTP server; a web process takes the webhooks)' : `pmc-bridge listening on ${url}`,
    `  role   ${config.pipeline.role}`,
    `  store  ${config.store.url}`,
    `  queue  ${config.queue.url === 'memory:' ? 'in-process' : config.queue.url}`,
    `  admin  ${app.admin}`,
    `  public ${config.server.publicBaseUrl ?? '(PUBLIC_BASE_URL not set: signatures are checked against the request URL)'}`,
    ...gazetteer.map((line, i) => `  ${i === 0 ? 'knows ' : '      '} ${line}`),
    '  channels:',
    ...channels.map((c) => `    ${c.channel.padEnd(width)}  ${c.on ? 'on ' : 'off'}  ${c.reason}`),
    `  dlt    ${dltBanner(config.channels.sms.dlt)}`,
    // kept from an earlier run: a replaced token clears it at its first successful call
    ...app.health
      .list()
      .filter((h) => h.state === 'unauthorised')
      .map((h) => `    ! ${h.channel} ${h.accountId} refused at ${h.lastErrorAt ?? '?'}: ${h.action ?? 'check its credentials'}`),
    ...(app.polls.describe().length ? ['  polls:', ...app.polls.describe().map((p) => `    ${p}`)] : []),
  ];
  process.stderr.write(lines.join('\n') + '\n');
  logger.info({ url, channels: Object.fromEntries(channels.map((c) => [c.channel, c.on ? 'on' : `off: ${c.reason}`])) }, 'started');

  // a worker has no server to keep the event loop busy, and the pipeline's timers do not hold the process (tests
  // run pipelines too): without this an idle worker would simply exit. process.exit ends it after the stop.
  setInterval(() => undefined, 2 ** 30);
  shutdown = (signal: string): void => {
    logger.info({ signal }, 'stopping: finishing work in flight');
    app.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  if (stopRequested) shutdown(stopRequested);
}
