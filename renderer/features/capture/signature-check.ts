/** A stroke as signature_pad records it. */
export interface Stroke {
  points: readonly { x: number; y: number }[];
}

/**
 * An empty pad, a dot or a short dash is not a signature. A signature spans a good part of the
 * pad's width and has some length of ink; this refuses the trivial ones without judging style.
 */
export function signatureProblem(strokes: readonly Stroke[], padWidth: number): string | null {
  const points = strokes.flatMap((stroke) => stroke.points);
  if (points.length === 0) return 'The pad is empty. Ask the signer to sign.';
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const width = Math.max(...xs) - Math.min(...xs);
  const height = Math.max(...ys) - Math.min(...ys);
  let ink = 0;
  for (const stroke of strokes) {
    for (let i = 1; i < stroke.points.length; i += 1) {
      const a = stroke.points[i - 1];
      const b = stroke.points[i];
      if (a && b) ink += Math.hypot(b.x - a.x, b.y - a.y);
    }
  }
  if (points.length < 10 || width < padWidth * 0.2 || height < 8 || ink < padWidth * 0.5) {
    return 'That is too small to be a signature. Ask the signer to sign across the pad.';
  }
  return null;
}
