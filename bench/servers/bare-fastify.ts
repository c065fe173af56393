// The baseline for the ingest figures: fastify routes that parse the same bodies (a Twilio form, a Messenger JSON
// delivery) and answer as the provider expects, and do nothing else (no signature check, no disk).
import Fastify from 'fastify';

const server = Fastify({ logger: false });
server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
  done(null, Object.fromEntries(new URLSearchParams(body as string))),
);
server.post('/webhooks/sms/twilio', async (_req, reply) =>
  reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response/>'),
);
// the Messenger baseline: the same JSON body parsed, Meta's expected answer, nothing else
server.post('/webhooks/facebook', async (_req, reply) => reply.type('text/plain').send('EVENT_RECEIVED'));
const url = await server.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write(`ready ${url}\n`);
