import { createHash } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { REF, type AttachmentStore, type StoredFile } from '../../attachments/attachment-store.ts';

/** the GridFS bucket: pmc_attachments.files and pmc_attachments.chunks */
export const BUCKET = 'pmc_attachments';

/** a file's name in the bucket: the hex of its SHA-256, as the folder store names its files */
export function gridName(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** the name a reference stands for, or undefined when it is no reference of ours (nothing is looked up then) */
export function nameOfRef(ref: string): string | undefined {
  return REF.test(ref) ? ref.slice('sha256:'.length) : undefined;
}

/**
 * Attachments in GridFS, so every web and worker process on every machine finds the file a citizen sent to any
 * of them. Kept by content: the same bytes are stored once (two processes putting the same new file at once may
 * store it twice, harmlessly: the same bytes under the same name, and a read takes the newest).
 */
export class GridFsAttachmentStore implements AttachmentStore {
  private readonly bucket: InstanceType<typeof mongoose.mongo.GridFSBucket>;

  constructor(conn: Connection) {
    this.bucket = new mongoose.mongo.GridFSBucket(conn.db!, { bucketName: BUCKET });
  }

  async put(bytes: Buffer, mime: string): Promise<StoredFile> {
    const name = gridName(bytes);
    const kept = await this.bucket.find({ filename: name }, { limit: 1, projection: { _id: 1 } }).toArray();
    if (kept.length === 0) {
      await new Promise<void>((resolve, reject) => {
        const upload = this.bucket.openUploadStream(name, { metadata: { mime } });
        upload.once('finish', () => resolve());
        upload.once('error', reject);
        upload.end(bytes);
      });
    }
    return { ref: `sha256:${name}`, mime, size: bytes.length };
  }

  async get(ref: string): Promise<Buffer | undefined> {
    const name = nameOfRef(ref);
    if (!name) return undefined;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of this.bucket.openDownloadStreamByName(name)) chunks.push(chunk as Buffer);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return undefined; // GridFS's "no file with that name"
      throw err;
    }
    return Buffer.concat(chunks);
  }
}
