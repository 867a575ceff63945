/** Inputs attackers try first: traversal, injection, encoding tricks, absurd sizes. */
export const hostileStrings = [
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '....//....//etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/passwd',
  'C:\\Windows\\System32\\config\\SAM',
  'a\u0000b',
  '%00',
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '" OR ""="',
  "admin'--",
  '1; SELECT * FROM sessions',
  "1' UNION SELECT token_hash, user_id FROM sessions --",
  '%27%20OR%201%3D1--',
  '*',
  '%',
  '_',
  '\\',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://evil.example","x")',
  '__proto__',
  'constructor',
  'prototype',
  '\u202e\u0000\uffff',
  '\ud800',
  '🦄'.repeat(50),
  'x'.repeat(10_000),
  '-1',
  '1e309',
  'NaN',
  '9'.repeat(400),
] as const;

/**
 * Signs that an answer exposes the server's insides: a JavaScript stack frame, a source path,
 * a database error. Problem details are written for people and never contain these.
 */
export function leaksInternals(text: string): boolean {
  return /\n\s+at\s|\bat .+\.(ts|js):\d+|node_modules|\/work\/|SQLITE_|sqlite3|syntax error at or near|TypeError|ReferenceError|RangeError/i.test(text);
}
