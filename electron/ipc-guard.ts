import { isAppUrl } from './security';

/** The part of an IPC event the guard reads: the frame that sent it (null once it is gone). */
export interface InvokeSender {
  readonly senderFrame: { readonly url: string } | null;
}

/**
 * Wraps a bridge handler so only our own app:// page may call it; anything else (a frame that
 * navigated away, a page that should never have loaded) is refused before the handler runs.
 */
export function fromTheAppOnly<E extends InvokeSender, T>(handler: (args: unknown[], event: E) => T): (event: E, ...args: unknown[]) => T {
  return (event, ...args) => {
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) throw new Error('Refused: not the Reclaim app');
    return handler(args, event);
  };
}
