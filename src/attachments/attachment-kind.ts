import type { Attachment } from '../model/index.ts';

/** What a ticket says a file is, from its MIME type: image, audio, video, or any other file. */
export function attachmentKind(mime: string | undefined): Attachment['kind'] {
  const top = mime?.split('/')[0]?.toLowerCase();
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'file';
}
