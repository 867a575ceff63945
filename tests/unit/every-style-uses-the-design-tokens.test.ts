import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * renderer/ui/tokens.css names every colour, space, corner, type size and shadow once; the rest of
 * the app's CSS uses those names. These tests read the real stylesheets and components and fail on
 * a literal that slipped back in, on a name nobody defined, on a text colour pair below WCAG AA,
 * and on a button that opts out of the app's few button styles.
 */
const rendererDir = resolve(__dirname, '../../renderer');
const tokensFile = join(rendererDir, 'ui/tokens.css');

function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, ending);
    return entry.name.endsWith(ending) ? [path] : [];
  });
}

interface Declaration {
  readonly file: string;
  readonly line: number;
  readonly property: string;
  readonly value: string;
}

function declarationsOf(file: string): Declaration[] {
  // Comments blanked (newlines kept, so line numbers hold); then each innermost `{ … }` block is
  // a rule's body, whose `property: value` pairs are the declarations. Selectors never reach here.
  const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const found: Declaration[] = [];
  for (const block of source.matchAll(/\{([^{}]*)\}/g)) {
    let offset = block.index + 1;
    for (const part of block[1]!.split(';')) {
      const colon = part.indexOf(':');
      if (colon > 0) {
        const property = part.slice(0, colon).trim();
        const line = source.slice(0, offset + part.length - part.trimStart().length).split('\n').length;
        found.push({ file: relative(rendererDir, file), line, property, value: part.slice(colon + 1).trim() });
      }
      offset += part.length + 1;
    }
  }
  return found;
}

const stylesheets = filesUnder(rendererDir, '.css').filter((file) => file !== tokensFile);
const declarations = stylesheets.flatMap(declarationsOf);
const tokenSource = readFileSync(tokensFile, 'utf8');
const tokens = new Map([...tokenSource.matchAll(/^\s*(--[a-z0-9-]+)\s*:\s*([^;]+);/gm)].map((match) => [match[1]!, match[2]!.trim()]));

const colourLiteral = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|\b(?:white|black|red|green|blue|grey|gray|orange|yellow|purple|pink|silver)\b/i;
const spacing = /^(?:padding|margin|gap|row-gap|column-gap)(?:-[a-z-]+)?$/;

function where(declaration: Declaration): string {
  return `${declaration.file}:${declaration.line} ${declaration.property}: ${declaration.value}`;
}

describe('every stylesheet uses the design tokens', () => {
  it('reads the stylesheets it means to check', () => {
    expect(stylesheets.length).toBeGreaterThanOrEqual(10);
    expect(declarations.length).toBeGreaterThan(500);
    expect(tokens.size).toBeGreaterThan(50);
  });

  it('has no colour outside tokens.css', () => {
    const literal = declarations.filter((declaration) => !declaration.property.startsWith('--') && colourLiteral.test(declaration.value));
    expect(literal.map(where)).toEqual([]);
  });

  it('spaces padding, margins and gaps on the scale (hairlines of 1–2px aside)', () => {
    const offScale = declarations.filter((declaration) => {
      if (!spacing.test(declaration.property)) return false;
      const rest = declaration.value.replace(/calc\(-1 \* var\(--space-\d\)\)|var\(--space-\d\)|\b0\b|\bauto\b|-?[12]px\b/g, '').trim();
      return rest !== '';
    });
    expect(offScale.map(where)).toEqual([]);
  });

  it('rounds corners and sizes type from the tokens', () => {
    const radius = declarations.filter((declaration) => declaration.property === 'border-radius' && declaration.value.replace(/var\(--radius-[a-z]+\)|\b50%|\b0\b/g, '').trim() !== '');
    const type = declarations.filter((declaration) => declaration.property === 'font-size' && !/^(?:var\(--text-[a-z]+\)|[\d.]+(?:em|%)|inherit|smaller|larger)$/.test(declaration.value));
    expect([...radius, ...type].map(where)).toEqual([]);
  });

  it('uses no token that tokens.css does not define', () => {
    const defined = new Set(tokens.keys());
    const sources = [...stylesheets, ...filesUnder(rendererDir, '.tsx'), ...filesUnder(rendererDir, '.ts')];
    const undefinedUses = sources.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const ownNames = new Set([...text.matchAll(/(--[a-z0-9-]+)\s*:/g)].map((match) => match[1]!));
      return [...text.matchAll(/var\((--[a-z0-9-]+)/g)].map((match) => match[1]!).filter((name) => !defined.has(name) && !ownNames.has(name)).map((name) => `${relative(rendererDir, file)}: ${name}`);
    });
    expect(undefinedUses).toEqual([]);
  });
});

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(foreground: string, background: string): number {
  const value = (name: string) => {
    const colour = tokens.get(name);
    if (!colour || !/^#[0-9a-f]{6}$/i.test(colour)) throw new Error(`${name} is not a #rrggbb token in tokens.css (${colour ?? 'missing'})`);
    return luminance(colour);
  };
  const [light, dark] = [value(foreground), value(background)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('the tokens keep text readable', () => {
  const statuses = ['unassigned', 'assigned', 'en-route', 'on-site', 'attempted', 'partial', 'recovered', 'on-hold', 'cancelled', 'closed'];
  const textPairs: [string, string][] = [
    ['--ink', '--canvas'],
    ['--ink', '--surface-sunken'],
    ['--ink-muted', '--canvas'],
    ['--ink-muted', '--surface'],
    ['--ink-muted', '--surface-sunken'],
    ['--brand', '--surface'],
    ['--brand-ink', '--brand'],
    ['--accent', '--surface'],
    ['--accent-ink', '--accent-soft'],
    ['--danger', '--surface'],
    ['--danger', '--danger-soft'],
    ['--danger-ink', '--danger-soft'],
    ['--warning-ink', '--warning-soft'],
    ['--ok', '--surface'],
    ['--ok-ink', '--ok-soft'],
    ['--ink-inverse', '--danger'],
    ...statuses.map((status): [string, string] => [`--status-${status}-ink`, `--status-${status}-bg`]),
  ];

  it.each(textPairs)('%s on %s reaches 4.5:1 (WCAG AA for text)', (foreground, background) => {
    expect(contrast(foreground, background)).toBeGreaterThanOrEqual(4.5);
  });

  it.each([
    ['--focus', '--surface'],
    ['--focus', '--canvas'],
    ['--focus-on-dark', '--brand'],
    ['--focus-on-dark', '--surface-dark'],
    ['--line-strong', '--surface'],
  ])('%s on %s reaches 3:1 (focus rings and control edges)', (foreground, background) => {
    expect(contrast(foreground, background)).toBeGreaterThanOrEqual(3);
  });
});

describe('every button wears one of the app’s button styles', () => {
  // The four kinds of action, plus the compact forms that live in one place each: the route's
  // icon buttons, a table's sort header, the file picker's label, and a photo thumbnail that
  // opens the viewer (the picture is the button).
  const styles = new Set(['button-primary', 'button-secondary', 'button-danger', 'button-link', 'icon-button', 'sort-button', 'file-button', 'supervise-evidence']);

  /** Each `<button>` in the renderer's components, with its class names and its role attributes. */
  function buttons(): { readonly where: string; readonly classes: string[] | 'computed'; readonly toggle: boolean }[] {
    return filesUnder(rendererDir, '.tsx').flatMap((file) => {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const found: { where: string; classes: string[] | 'computed'; toggle: boolean }[] = [];
      const visit = (node: ts.Node): void => {
        if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText(source) === 'button') {
          const attributes = node.attributes.properties.filter(ts.isJsxAttribute);
          const named = (name: string) => attributes.find((attribute) => attribute.name.getText(source) === name);
          const className = named('className');
          let classes: string[] | 'computed' = [];
          if (className?.initializer && ts.isStringLiteral(className.initializer)) classes = className.initializer.text.split(/\s+/);
          else if (className) classes = 'computed';
          const toggle = ['aria-current', 'aria-pressed', 'role'].some((name) => named(name) !== undefined);
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          found.push({ where: `${relative(rendererDir, file)}:${line + 1}`, classes, toggle });
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      return found;
    });
  }

  it('finds the buttons', () => {
    expect(buttons().length).toBeGreaterThan(80);
  });

  it('gives every action button a style from the one set (tabs and toggles are styled by their group)', () => {
    const bare = buttons().filter(({ classes, toggle }) => !toggle && classes !== 'computed' && !classes.some((name) => styles.has(name)));
    expect(bare.map(({ where: at, classes }) => `${at} class="${Array.isArray(classes) ? classes.join(' ') : ''}"`)).toEqual([]);
  });
});
