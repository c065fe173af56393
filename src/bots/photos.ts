import type { Attachment } from '../model/index.ts';

/** the pictures a message brought, kept or not */
export function imagesOf(attachments: readonly Attachment[]): Attachment[] {
  return attachments.filter((a) => a.kind === 'image');
}

/**
 * Whether one of them reached us. A picture refused on the way in (too large, not really an image, a link we do
 * not follow) stays on the ticket for staff as "not kept", but to the citizen it never came.
 */
export function anyReceived(photos: readonly Attachment[]): boolean {
  return photos.some((p) => !p.refused);
}
