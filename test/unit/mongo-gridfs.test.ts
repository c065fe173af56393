import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileAttachmentStore } from '../../src/attachments/file-attachment-store.ts';
import { BUCKET, gridName, nameOfRef } from '../../src/store/mongo/gridfs-attachments.ts';

describe('attachments in GridFS (no server here: the names and references it uses)', () => {
  const photo = Buffer.from('कोथरूड येथील खड्ड्याचा फोटो — pothole photo — गड्ढे की फोटो');

  it('names a file by the SHA-256 of its bytes, the same reference the folder store gives', async () => {
    const hex = createHash('sha256').update(photo).digest('hex');
    expect(gridName(photo)).toBe(hex);
    // a file sent to a process on the folder store and one on GridFS are the same reference
    const folder = new FileAttachmentStore(`/tmp/pmc-gridfs-${process.pid}`);
    expect((await folder.put(photo, 'image/jpeg')).ref).toBe(`sha256:${gridName(photo)}`);
    expect(BUCKET).toBe('pmc_attachments');
  });

  it('looks up only references of ours: anything else is no file, and no query is built from it', () => {
    expect(nameOfRef(`sha256:${gridName(photo)}`)).toBe(gridName(photo));
    for (const bad of ['sha256:abc', `sha256:${'g'.repeat(64)}`, `../../${gridName(photo)}`, `sha256:${gridName(photo)}' || 1==1`, { $ne: null } as unknown as string])
      expect(nameOfRef(bad as string)).toBeUndefined();
  });
});
