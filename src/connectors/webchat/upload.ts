import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { imageType } from '../../attachments/image-type.ts';
import type { AttachmentStore } from '../../attachments/attachment-store.ts';
import type { ConversationLog } from './conversation-log.ts';
import { ConversationParams, conversationOf, DIRECT_LINE_PREFIX, postToBot, summarize } from './direct-line.ts';
import type { FileLinks } from './file-links.ts';
import { PostedActivity } from './parse.ts';
import type { SessionTokens } from './session-token.ts';
import { sizeInWords } from './size-in-words.ts';

export interface UploadDeps {
  tokens: SessionTokens;
  log: ConversationLog;
  accountId: string;
  attachments: AttachmentStore;
  links: FileLinks;
  now: () => Date;
  /** the largest photo taken */
  maxPhotoBytes: number;
}

// a message with more photos than this is not a complaint
const MOST_PHOTOS = 3;

/**
 * `POST /v3/directline/conversations/:id/upload`: what DirectLineJS sends for a message with files — a multipart
 * body of the activity (a part named `activity`) and the files (`file`). Only photos are taken (their type read
 * from their bytes), each at most `maxPhotoBytes`; each is kept by the attachment store and referenced, signed, by
 * the activity, which then goes the way of any other message. The citizen sees their photo through a signed link.
 */
export async function mountUpload(server: FastifyInstance, deps: UploadDeps): Promise<void> {
  // in a scope of its own: no other route takes multipart bodies
  await server.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: deps.maxPhotoBytes, files: MOST_PHOTOS + 1, fields: 2, parts: MOST_PHOTOS + 3 } });
    scope.post(`${DIRECT_LINE_PREFIX}/conversations/:id/upload`, async (request, reply) => {
      const params = ConversationParams.safeParse(request.params);
      if (!params.success) return reply.status(400).send({ error: 'expected /conversations/<id>/upload' });
      const found = await conversationOf(request, reply, deps, params.data.id);
      if (!found) return reply;
      if (!request.isMultipart()) return reply.status(415).send({ error: 'expected a multipart/form-data body' });

      let activity: unknown;
      const photos: { bytes: Buffer; name: string }[] = [];
      try {
        for await (const part of request.parts()) {
          if (part.type !== 'file') continue;
          const bytes = await part.toBuffer();
          if (part.fieldname === 'activity') activity = JSON.parse(bytes.toString('utf8')) as unknown;
          else photos.push({ bytes, name: part.filename.slice(0, 120) });
        }
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') return reply.status(413).send({ error: `a photo may be at most ${sizeInWords(deps.maxPhotoBytes)}`, code: 'photo-too-large' });
        if (code?.startsWith('FST_')) return reply.status(413).send({ error: `at most ${MOST_PHOTOS} photos a message`, code: 'too-many-photos' });
        return reply.status(400).send({ error: 'the upload is not a multipart body Direct Line sends' });
      }
      // what the browser says of its files (blob: URLs, data: thumbnails) is replaced by what the bridge took in
      if (activity && typeof activity === 'object') delete (activity as { attachments?: unknown }).attachments;
      const posted = PostedActivity.safeParse(activity);
      if (!posted.success) return reply.status(400).send({ error: `not an activity Direct Line takes: ${summarize(posted.error)}` });
      if (photos.length === 0) return reply.status(400).send({ error: 'no file in the upload' });
      if (photos.length > MOST_PHOTOS) return reply.status(413).send({ error: `at most ${MOST_PHOTOS} photos a message`, code: 'too-many-photos' });

      const attachments = [];
      for (const photo of photos) {
        const type = imageType(photo.bytes);
        if (!type) return reply.status(415).send({ error: 'only photos can be sent here (JPEG, PNG, WebP, GIF or HEIC)', code: 'not-a-photo' });
        const stored = await deps.attachments.put(photo.bytes, type);
        const url = deps.links.urlOf(found.conversation.id, stored.ref);
        attachments.push({
          contentType: type,
          contentUrl: url,
          // Web Chat shows a citizen's own file as a photo only when it has a thumbnail
          thumbnailUrl: url,
          name: photo.name,
          content: { ref: stored.ref, size: stored.size, sig: deps.links.sign(found.conversation.id, stored.ref) },
        });
      }
      return postToBot(server, request, reply, deps, found, { ...posted.data, type: 'message', attachments });
    });
  });
}
