// The part of unzipper (exceljs's own zip reader) we use: opening an archive by its central directory.
declare module 'unzipper' {
  import type { Readable } from 'node:stream';
  namespace unzipper {
    interface File {
      path: string;
      type: 'File' | 'Directory';
      uncompressedSize: number;
      stream(password?: string): Readable;
    }
    interface CentralDirectory {
      files: File[];
    }
  }
  const unzipper: { Open: { file(path: string): Promise<unzipper.CentralDirectory> } };
  export default unzipper;
}
