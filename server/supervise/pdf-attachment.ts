import { AFRelationship, PDFArray, PDFDict, PDFHexString, PDFName, PDFString, type PDFDocument, type PDFRawStream } from 'pdf-lib';
import { streamedStream, type StreamedContents } from './pdf-file-writer';

export interface StreamedAttachment extends StreamedContents {
  readonly name: string;
  readonly mimeType: string;
  readonly description: string;
  readonly at: Date;
}

/**
 * Attaches a file the way `pdf.attach` does (an EmbeddedFile stream, its file specification,
 * the document's EmbeddedFiles name tree and its AF array, relationship Data), except that the
 * contents are copied into the file by the writer rather than held, and stored as they are:
 * a zip is already compressed, and pdf-lib would deflate it again in JavaScript.
 */
export function attachStreamed(pdf: PDFDocument, file: StreamedAttachment, external: Map<PDFRawStream, StreamedContents>): void {
  const { context, catalog } = pdf;
  const stream = streamedStream(
    context,
    {
      Type: 'EmbeddedFile',
      Subtype: file.mimeType,
      Params: context.obj({ Size: file.size, CreationDate: PDFString.fromDate(file.at), ModDate: PDFString.fromDate(file.at) }),
    },
    file,
    external,
  );
  const spec = context.register(
    context.obj({
      Type: 'Filespec',
      F: PDFString.of(file.name),
      UF: PDFHexString.fromText(file.name),
      EF: { F: stream },
      Desc: PDFHexString.fromText(file.description),
      AFRelationship: AFRelationship.Data,
    }),
  );
  if (!catalog.has(PDFName.of('Names'))) catalog.set(PDFName.of('Names'), context.obj({}));
  const names = catalog.lookup(PDFName.of('Names'), PDFDict);
  if (!names.has(PDFName.of('EmbeddedFiles'))) names.set(PDFName.of('EmbeddedFiles'), context.obj({}));
  const embeddedFiles = names.lookup(PDFName.of('EmbeddedFiles'), PDFDict);
  if (!embeddedFiles.has(PDFName.of('Names'))) embeddedFiles.set(PDFName.of('Names'), context.obj([]));
  const tree = embeddedFiles.lookup(PDFName.of('Names'), PDFArray);
  tree.push(PDFHexString.fromText(file.name));
  tree.push(spec);
  if (!catalog.has(PDFName.of('AF'))) catalog.set(PDFName.of('AF'), context.obj([]));
  catalog.lookup(PDFName.of('AF'), PDFArray).push(spec);
}
