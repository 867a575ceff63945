import type { z } from 'zod';
import { DispositionRequest, needsCertificate, type Disposition } from '../../../shared/supervise/disposition';
import type { ItemType } from '../../../shared/domain/job';

export const dispositionLabels: Record<Disposition, string> = {
  returned_to_client: 'Returned to the client',
  redeployed: 'Redeployed',
  remarketed: 'Remarketed (sold on)',
  recycled: 'Recycled',
  destroyed: 'Destroyed',
};

/**
 * Every field of the certificate of sanitization (NIST SP 800-88 Rev. 1, Appendix G), by its
 * path in the shared schema, with the words the form and its error messages use.
 */
export const certificateFields = {
  'media.type': 'Media type',
  'media.make': 'Media make',
  'media.model': 'Media model',
  'media.serial': 'Media serial number',
  'media.propertyNumber': 'Media property number',
  'media.source': 'Source (the device the media came from)',
  'media.classification': 'Data classification',
  'media.dataBackedUp': 'Data backed up',
  'sanitization.method': 'Method (clear, purge or destroy)',
  'sanitization.technique': 'Technique',
  'sanitization.tool': 'Tool used, with its version',
  'sanitization.verification': 'Verification method',
  'sanitization.postConfidentiality': 'Classification after sanitization',
  'sanitization.destination': 'Destination of the media',
  'sanitization.notes': 'Notes',
  'performedBy.name': 'Sanitized by (name)',
  'performedBy.title': 'Their title',
  'performedBy.organization': 'Their organization',
  'performedBy.location': 'Their location',
  'performedBy.phone': 'Their phone',
  'validatedBy.name': 'Validated by (name)',
  'validatedBy.title': 'Validator’s role',
  'validatedBy.organization': 'Validator’s organization',
  'validatedBy.location': 'Validator’s location',
  'validatedBy.phone': 'Validator’s phone',
  'validatedBy.date': 'Date of validation',
} as const;
export type CertificateField = keyof typeof certificateFields;

export const fieldLabels: Record<string, string> = {
  disposition: 'Disposition',
  toName: 'Received by',
  note: 'Note',
  ...Object.fromEntries(Object.entries(certificateFields).map(([path, label]) => [`certificate.${path}`, label])),
};

export interface DispositionDraft {
  /** Empty until the supervisor chooses: what became of an item is never a default. */
  disposition: Disposition | '';
  toName: string;
  note: string;
  /** Whether a certificate goes with it; always true when the item may hold data. */
  attachCertificate: boolean;
  certificate: Record<CertificateField, string>;
}

export function emptyDraft(defaults: { source: string; validator: string; today: string }): DispositionDraft {
  const certificate = Object.fromEntries(Object.keys(certificateFields).map((path) => [path, ''])) as Record<CertificateField, string>;
  return {
    disposition: '',
    toName: '',
    note: '',
    attachCertificate: false,
    certificate: {
      ...certificate,
      'media.source': defaults.source,
      'media.dataBackedUp': 'unknown',
      // How the media was sanitized and checked are claims on a certificate: the person makes them.
      'sanitization.method': '',
      'sanitization.verification': '',
      'validatedBy.name': defaults.validator,
      'validatedBy.date': defaults.today,
    },
  };
}

export function certificateRequired(draft: Pick<DispositionDraft, 'disposition'>, itemType: ItemType | null): boolean {
  return draft.disposition !== '' && needsCertificate(draft.disposition, itemType);
}

/** The form's flat fields as the nested request the server takes (still unchecked). */
function requestOf(draft: DispositionDraft, withCertificate: boolean): unknown {
  const nested: Record<string, Record<string, string>> = {};
  for (const [path, value] of Object.entries(draft.certificate)) {
    const [group = '', field = ''] = path.split('.');
    nested[group] = { ...nested[group], [field]: value };
  }
  return { disposition: draft.disposition, toName: draft.toName, note: draft.note, certificate: withCertificate ? nested : null };
}

/** One zod issue in words: which field, and what to do about it. */
function wordsFor(issue: z.core.$ZodIssue): { path: string; message: string } {
  const path = issue.path.map(String).join('.');
  const label = fieldLabels[path] ?? path;
  switch (issue.code) {
    case 'too_small':
      return { path, message: `${label} is required.` };
    case 'too_big':
      return { path, message: `${label} is too long: at most ${String(issue.maximum)} characters.` };
    case 'invalid_format':
      return { path, message: `${label} must be a date, such as ${new Date().toISOString().slice(0, 10)}.` };
    case 'invalid_value':
      return { path, message: `${label}: choose one of the options.` };
    default:
      return { path, message: `${label}: ${issue.message}` };
  }
}

export type DraftCheck = { ok: true; request: DispositionRequest } | { ok: false; errors: { path: string; message: string }[] };

/** Checks the draft with the same schema the server applies, plus the certificate rule. */
export function checkDraft(draft: DispositionDraft, itemType: ItemType | null): DraftCheck {
  const required = certificateRequired(draft, itemType);
  const parsed = DispositionRequest.safeParse(requestOf(draft, required || draft.attachCertificate));
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map(wordsFor) };
  return { ok: true, request: parsed.data };
}
