import { basename } from 'node:path';
import { SaveFileRequest, savableFiles, type SavableMimeType, type SaveFileResult } from '../shared/bridge';

/**
 * What saving needs from the operating system: a save dialog and a file write. Electron's
 * dialog and fs stand behind it in the app; tests stand a recording double in, since the
 * Electron binary is not everywhere the handler's logic must be tested.
 */
export interface SaveFilePort {
  showSaveDialog(options: { defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  writeFile(filePath: string, content: string | Uint8Array): Promise<void>;
}

/**
 * The main-process half of the bridge's saveFile. The request is untrusted: it is validated
 * with the shared schema, and it only suggests a file name. The user picks the folder and the
 * name in the dialog, the only path ever written; the type's extension is added when the user
 * left it off.
 */
export async function saveFileWithDialog(request: unknown, port: SaveFilePort): Promise<SaveFileResult> {
  const { suggestedName, mimeType, content } = SaveFileRequest.parse(request);
  const filePath = await chooseSavePath(port, suggestedName, mimeType);
  if (!filePath) return { saved: false, location: null };
  await port.writeFile(filePath, content);
  return { saved: true, location: filePath };
}

/** The path the user chose in the dialog, with the type's extension; null when they cancelled. */
export async function chooseSavePath(port: Pick<SaveFilePort, 'showSaveDialog'>, suggestedName: string, mimeType: SavableMimeType): Promise<string | null> {
  const { extension, description } = savableFiles[mimeType];
  const choice = await port.showSaveDialog({ defaultPath: basename(suggestedName), filters: [{ name: description, extensions: [extension] }] });
  if (choice.canceled || !choice.filePath) return null;
  return choice.filePath.toLowerCase().endsWith(`.${extension}`) ? choice.filePath : `${choice.filePath}.${extension}`;
}
