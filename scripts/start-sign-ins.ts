import { DEMO_PASSWORD, demoStaff } from '../server/demo/demo-catalogue';

/** The demo's accounts as a table, from the same list the seed enrols, so the two never disagree. */
export function printDemoSignIns(out: NodeJS.WritableStream = process.stdout): void {
  const width = Math.max(...demoStaff.map((member) => member.username.length)) + 2;
  const roleWidth = Math.max(...demoStaff.map((member) => member.role.length)) + 2;
  const rows = demoStaff.map((member) => `  ${member.username.padEnd(width)}${member.role.padEnd(roleWidth)}${member.displayName}`);
  out.write(`\nDemo sign-ins (demo mode only), password ${DEMO_PASSWORD} for each:\n${rows.join('\n')}\n\n`);
}
