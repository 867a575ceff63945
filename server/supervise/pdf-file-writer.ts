import type { FileHandle } from 'node:fs/promises';
import { PDFCrossRefSection, PDFHeader, PDFName, PDFNumber, PDFRawStream, PDFTrailer, PDFTrailerDict, type PDFContext, type PDFDocument, type PDFObject, type PDFRef } from 'pdf-lib';

/**
 * Contents written into the file as they are read, never held whole: the custody bundle. A
 * chunk is written before the next is asked for, so a source may read each into the same
 * buffer (see fileChunks).
 */
export interface StreamedContents {
  readonly size: number;
  chunks(): AsyncIterable<Uint8Array>;
}

/** Where each indirect object landed in the file, by its ref's tag ("12 0 R"). */
export type ObjectPlacement = ReadonlyMap<string, { readonly start: number; readonly end: number }>;

const FLUSH_BYTES = 1 << 20;

/**
 * A stream whose contents the writer reads from `contents` while it writes the file. pdf-lib
 * holds only its dictionary (with the final Length); nothing of the contents sits in memory.
 */
export function streamedStream(context: PDFContext, dict: Record<string, PDFObject | string | number | undefined>, contents: StreamedContents, external: Map<PDFRawStream, StreamedContents>): PDFRef {
  const stream = PDFRawStream.of(context.obj(dict), new Uint8Array(0));
  external.set(stream, contents);
  return context.register(stream);
}

/** Buffers small writes and sends them to the file in large ones, keeping count of the offset. */
class FileSink {
  offset = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  constructor(private readonly file: FileHandle) {}
  async bytes(bytes: Uint8Array): Promise<void> {
    this.pending.push(bytes);
    this.pendingBytes += bytes.byteLength;
    this.offset += bytes.byteLength;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }
  /** Bytes written before this returns, held nowhere: their buffer may be used again at once. */
  async through(bytes: Uint8Array): Promise<void> {
    await this.flush();
    for (let at = 0; at < bytes.byteLength; ) at += (await this.file.write(bytes, at, bytes.byteLength - at)).bytesWritten;
    this.offset += bytes.byteLength;
  }
  async text(text: string): Promise<void> {
    await this.bytes(Buffer.from(text, 'latin1'));
  }
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    await this.file.writev(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
  }
}

function serialized(object: { sizeInBytes(): number; copyBytesInto(buffer: Uint8Array, offset: number): number }): Uint8Array {
  const buffer = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return buffer;
}

/**
 * Writes a finished document to a file object by object, as pdf-lib's own writer lays it out
 * (header, objects, one cross-reference section, trailer; no object streams), so the file
 * reads exactly like `pdf.save({ useObjectStreams: false })`. pdf-lib's writer builds the
 * whole file in one array; this one holds one object at a time, and the streams in `external`
 * are copied from their source. Returns the file's size and where each object is.
 */
export async function writePdfFile(pdf: PDFDocument, file: FileHandle, external: ReadonlyMap<PDFRawStream, StreamedContents>): Promise<{ size: number; placement: ObjectPlacement }> {
  await pdf.flush();
  const { context } = pdf;
  const sink = new FileSink(file);
  const xref = PDFCrossRefSection.create();
  const placement = new Map<string, { start: number; end: number }>();
  await sink.bytes(serialized(PDFHeader.forVersion(1, 7)));
  await sink.text('\n\n');
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    xref.addEntry(ref, sink.offset);
    const start = sink.offset;
    await sink.text(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    const contents = object instanceof PDFRawStream ? external.get(object) : undefined;
    if (contents && object instanceof PDFRawStream) {
      object.dict.set(PDFName.of('Length'), PDFNumber.of(contents.size));
      await sink.bytes(serialized(object.dict));
      await sink.text('\nstream\n');
      let written = 0;
      for await (const chunk of contents.chunks()) {
        written += chunk.byteLength;
        await sink.through(chunk);
      }
      if (written !== contents.size) throw new Error(`a streamed PDF object was ${written} bytes, not the ${contents.size} announced; the export was abandoned`);
      await sink.text('\nendstream');
    } else await sink.bytes(serialized(object));
    await sink.text('\nendobj\n\n');
    placement.set(ref.tag, { start, end: sink.offset });
  }
  const xrefOffset = sink.offset;
  await sink.bytes(serialized(xref));
  await sink.text('\n');
  const { trailerInfo } = context;
  const trailerDict = PDFTrailerDict.of(context.obj({ Size: context.largestObjectNumber + 1, Root: trailerInfo.Root, Encrypt: trailerInfo.Encrypt, Info: trailerInfo.Info, ID: trailerInfo.ID }));
  await sink.bytes(serialized(trailerDict));
  await sink.text('\n\n');
  await sink.bytes(serialized(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset)));
  await sink.flush();
  return { size: sink.offset, placement };
}
