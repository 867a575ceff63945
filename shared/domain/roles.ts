import { z } from 'zod';

export const roles = ['agent', 'dispatcher', 'supervisor', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** Office roles work online on the whole organisation's jobs; agents only see their own. */
export const officeRoles: readonly Role[] = ['dispatcher', 'supervisor', 'admin'];

export function isOfficeRole(role: Role): boolean {
  return officeRoles.includes(role);
}

export const User = z.object({
  id: z.uuid(),
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(128),
  role: Role,
});
export type User = z.infer<typeof User>;
