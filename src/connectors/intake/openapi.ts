// The OpenAPI 3.1 document of the intake API and its Open311 face, served at OPENAPI_PATH for the people who
// write clients (the call centre's agent desk, Z+, city apps). Kept beside the routes it describes.

export const OPENAPI_PATH = '/webhooks/api/openapi.json';

const error = { type: 'object', properties: { error: { type: 'string' } } };
const open311Error = { type: 'array', items: { type: 'object', properties: { code: { type: 'integer' }, description: { type: 'string' } } } };

export function openApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'PMC complaint bridge: intake API and Open311 GeoReport v2',
      version: '1',
      description:
        'Files citizens\' complaints from any configured source. Each source has its own key (config intake.sources, the key in the variable keyEnv names). The body is signed: X-Signature: sha256=<hex HMAC-SHA256 of the raw body, with the key>. The same externalId twice is one ticket. Replies to the citizen go by SMS to sender.phone and by email to sender.email.',
    },
    paths: {
      '/webhooks/api/{source}': {
        post: {
          summary: 'File a complaint (an agent for a caller, another system for its user)',
          parameters: [
            { name: 'source', in: 'path', required: true, schema: { type: 'string', example: 'callcentre' } },
            { name: 'X-Signature', in: 'header', required: true, schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Envelope' } } } },
          responses: {
            '202': { description: 'archived; ticketNo is the number when the ticket was filed within seconds, else null', content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } } },
            '200': { description: 'this externalId was filed before: the same ticket', content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } } },
            '403': { description: 'missing or wrong signature: nothing was stored', content: { 'application/json': { schema: error } } },
            '422': { description: 'the body is not a valid envelope: issues name each field', content: { 'application/json': { schema: error } } },
            '503': { description: 'could not be stored now: send it again', content: { 'application/json': { schema: error } } },
          },
        },
      },
      '/webhooks/lokshahi': {
        post: {
          summary: 'A Lokshahi Din application (Form 1(B)); signed X-Lokshahi-Signature: sha256=<hex HMAC-SHA256 of the body, with LOKSHAHI_SECRET>',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['token', 'applicationDate', 'applicant', 'subject', 'description'] } } } },
          responses: { '202': { description: 'archived' }, '403': { description: 'bad signature' }, '422': { description: 'a required field is missing; issues name it' } },
        },
      },
      '/open311/v2/services.json': { get: { summary: 'The complaint categories as Open311 services', responses: { '200': { description: 'services' } } } },
      '/open311/v2/requests.json': {
        post: {
          summary: 'Open311 create request (form fields as GeoReport v2 says; api_key is the source\'s key)',
          requestBody: {
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  required: ['api_key', 'service_code'],
                  properties: Object.fromEntries(['api_key', 'service_code', 'lat', 'long', 'address_string', 'email', 'device_id', 'account_id', 'first_name', 'last_name', 'phone', 'description', 'media_url'].map((k) => [k, { type: 'string' }])),
                },
              },
            },
          },
          responses: { '201': { description: '[{service_request_id}] or, when it is filed later, [{token}]' }, '400': { description: 'a field is missing or wrong', content: { 'application/json': { schema: open311Error } } }, '403': { description: 'invalid api_key', content: { 'application/json': { schema: open311Error } } } },
        },
      },
      '/open311/v2/requests/{id}.json': { get: { summary: 'A request\'s status by its id (the ticket number): public fields only', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'the request' }, '404': { description: 'no such request' } } } },
      '/open311/v2/tokens/{token}.json': { get: { summary: 'The request id a token became', parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '[{token, service_request_id}]' } } } },
    },
    components: {
      schemas: {
        Envelope: {
          type: 'object',
          required: ['externalId', 'text'],
          additionalProperties: false,
          properties: {
            externalId: { type: 'string', maxLength: 200, description: 'your id of the complaint; the same id again files nothing new' },
            agentId: { type: 'string', maxLength: 64, description: 'the agent who took the call (kept in the ticket\'s history)' },
            sender: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, phone: { type: 'string', example: '+91 98765 43210' }, email: { type: 'string', format: 'email' } } },
            text: { type: 'string', maxLength: 10000, description: 'what the citizen said, in their words (Marathi, Hindi or English)' },
            language: { enum: ['mr', 'hi', 'en'], description: 'the language to answer in, when known' },
            location: { type: 'object', required: ['lat', 'lon'], properties: { lat: { type: 'number' }, lon: { type: 'number' }, label: { type: 'string' } } },
            attachments: { type: 'array', maxItems: 10, items: { type: 'object', properties: { url: { type: 'string', format: 'uri' }, contentBase64: { type: 'string' }, name: { type: 'string' }, mime: { type: 'string' } } } },
            category: { type: 'string', description: 'a service_code of /open311/v2/services.json' },
            reportedAt: { type: 'string', format: 'date-time' },
          },
        },
        Accepted: { type: 'object', properties: { externalId: { type: 'string' }, duplicate: { type: 'boolean' }, ticketNo: { type: ['string', 'null'] }, status: { type: 'string' } } },
      },
    },
  };
}
