/**
 * The laptop's camera, for photos and barcode scans. A laptop may have none, or the person may
 * refuse it; either is an answer in words, and the file picker stays the way in.
 */
export class NoCameraError extends Error {
  override readonly name = 'NoCameraError';
}

export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

export async function openCamera(): Promise<MediaStream> {
  if (!cameraAvailable()) throw new NoCameraError('This device offers no camera here. Import photo files instead.');
  try {
    return await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1920 }, height: { ideal: 1080 }, facingMode: 'environment' }, audio: false });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'NotAllowedError') throw new NoCameraError('The camera was not allowed. Allow it in the system settings, or import photo files instead.');
    if (name === 'NotReadableError') throw new NoCameraError('The camera is in use by another program. Close it, or import photo files instead.');
    throw new NoCameraError('No camera was found. Import photo files instead.');
  }
}

export function closeCamera(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The current video frame as a JPEG file, named and dated like a camera's, for the photo pipeline. */
export async function grabFrame(video: HTMLVideoElement, at: Date = new Date()): Promise<File> {
  if (video.videoWidth === 0) throw new Error('The camera has not shown a picture yet; try again in a moment.');
  const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw images off screen.');
  context.drawImage(video, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  return new File([blob], `camera-${at.toISOString().replace(/[:.]/g, '-')}.jpg`, { type: 'image/jpeg', lastModified: at.getTime() });
}
