// The baseline for the ingest figure: a fastify route that parses the same form body and answers with empty
// TwiML, and does nothing else (no signature check, no disk).
import Fastify from 'fastify';

const server = Fastify({ logger: false });
server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
  done(null, Object.fromEntries(new URLSearchParams(body as string))),
);
server.post('/webhooks/sms/twilio', async (_req, reply) =>
  reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response/>'),
);
const url = await server.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write(`ready ${url}\n`);
