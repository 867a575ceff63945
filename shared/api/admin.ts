import { z } from 'zod';
import { IsoDateTime } from '../domain/job';
import { Role } from '../domain/roles';

/** User names: what people type at the sign-in box; lower case, no spaces. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'use 2–64 letters, digits, dots, dashes or underscores');

export const NewPassword = z.string().min(10, 'use at least 10 characters').max(1024);

export const AdminUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: IsoDateTime,
});
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminUserList = z.object({ users: z.array(AdminUser) });
export type AdminUserList = z.infer<typeof AdminUserList>;

export const CreateUserRequest = z.object({
  username: Username,
  displayName: z.string().trim().min(1, 'enter a name').max(128),
  role: Role,
  password: NewPassword,
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .object({
    displayName: z.string().trim().min(1).max(128).optional(),
    role: Role.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'change at least one field');
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const ResetPasswordRequest = z.object({ password: NewPassword });
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;

export const AdminDevice = z.object({
  id: z.string(),
  name: z.string().nullable(),
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  lastSeenAt: IsoDateTime,
  revokedAt: IsoDateTime.nullable(),
  /** When an admin released it: the next user to sign in on it may register it as theirs. */
  releasedAt: IsoDateTime.nullable(),
});
export type AdminDevice = z.infer<typeof AdminDevice>;

export const AdminDeviceList = z.object({ devices: z.array(AdminDevice) });
export type AdminDeviceList = z.infer<typeof AdminDeviceList>;

export const DeviceId = z.string().min(1).max(64);
