/** What is kept of one file a citizen sent: where to find it again, and what it is. */
export interface StoredFile {
  /** `sha256:<hex>`: the same bytes are kept once, under the same reference */
  ref: string;
  mime: string;
  size: number;
}

/**
 * The attachment store port: files citizens send (web chat photos, email parts), kept by content. The embedded
 * default is a folder of files (file-attachment-store.ts); the shared store (MongoDB) will keep them in GridFS.
 */
export interface AttachmentStore {
  put(bytes: Buffer, mime: string): Promise<StoredFile>;
  /** the bytes of a reference, or undefined when it is not kept (or is no reference of ours) */
  get(ref: string): Promise<Buffer | undefined>;
}

export const REF = /^sha256:[0-9a-f]{64}$/;
