import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  /** Called when the person dismisses the dialog: Escape, or whatever the caller wires to it. */
  onClose: () => void;
  labelledBy?: string;
  label?: string;
  describedBy?: string;
  /** `alertdialog` for a question that needs an answer before going on. */
  role?: 'dialog' | 'alertdialog';
  className?: string;
  /** A click anywhere in the dialog closes it (a picture viewer), not only its buttons. */
  closeOnClick?: boolean;
  children: ReactNode;
}

/**
 * A modal dialog on the native <dialog> element, shown while mounted: the browser keeps the focus
 * inside it and makes the page behind inert, Escape closes it, and on close the focus goes back
 * to whatever had it before (the button that opened it), so a keyboard user is never lost.
 */
export function ModalDialog({ onClose, labelledBy, label, describedBy, role = 'dialog', className, closeOnClick = false, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const latestOnClose = useRef(onClose);
  latestOnClose.current = onClose;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element.showModal();
    // Escape: the browser fires `cancel`; the caller decides, by unmounting us, that it is closed.
    const cancel = (event: Event) => {
      event.preventDefault();
      latestOnClose.current();
    };
    element.addEventListener('cancel', cancel);
    return () => {
      element.removeEventListener('cancel', cancel);
      if (element.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={labelledBy}
      aria-label={label}
      aria-describedby={describedBy}
      className={['modal-dialog', className].filter(Boolean).join(' ')}
      onClick={closeOnClick ? () => onClose() : undefined}
    >
      {children}
    </dialog>
  );
}
