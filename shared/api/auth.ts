import { z } from 'zod';
import { IsoDateTime } from '../domain/job';
import { User } from '../domain/roles';

export const LoginRequest = z.object({
  username: z.string().trim().min(1, 'enter your user name').max(64),
  password: z.string().min(1, 'enter your password').max(1024),
  /** The device signing in; lets an admin see and later revoke it. */
  deviceId: z.string().min(1).max(64).optional(),
  deviceName: z.string().max(128).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  token: z.string().min(32),
  expiresAt: IsoDateTime,
  user: User,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({ user: User, expiresAt: IsoDateTime });
export type MeResponse = z.infer<typeof MeResponse>;
