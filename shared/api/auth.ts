import { z } from 'zod';
import { IsoDateTime } from '../domain/job';
import { User } from '../domain/roles';
import { DeviceKey } from '../custody/custody-event';
import { OrgKeyHistory } from '../trust/org-key';

/**
 * A custody signing key offered with the sign-in: the public half of a pair the laptop made for
 * this user on this device. The server fills in the user and the device from the sign-in itself.
 */
export const SignInDeviceKey = DeviceKey.pick({ id: true, algorithm: true, publicKey: true, createdAt: true });
export type SignInDeviceKey = z.infer<typeof SignInDeviceKey>;

export const LoginRequest = z.object({
  username: z.string().trim().min(1, 'enter your user name').max(64),
  password: z.string().min(1, 'enter your password').max(1024),
  /** The device signing in; lets an admin see and later revoke it. */
  deviceId: z.string().min(1).max(64).optional(),
  deviceName: z.string().max(128).optional(),
  /**
   * Registered with the sign-in when this user has no key on this device yet, so the laptop's
   * first sync needs no push before its first pull. Needs `deviceId`.
   */
  deviceKey: SignInDeviceKey.optional(),
}).refine((body) => body.deviceKey === undefined || body.deviceId !== undefined, {
  message: 'a device key is offered with the id of the device it belongs to',
  path: ['deviceKey'],
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  token: z.string().min(32),
  expiresAt: IsoDateTime,
  user: User,
  /**
   * What became of an offered key: registered (and certified), or not, because this user already
   * has a key on this device or the id is taken; the laptop then keeps its own key, or registers
   * the offered one through sync, which says why if it is refused.
   */
  deviceKey: z.object({ id: z.uuid(), registered: z.boolean() }).optional(),
  /** The organisation key and its rotations, as GET /api/v1/org/signing-key/history answers them, to pin at sign-in. */
  orgKeyHistory: OrgKeyHistory.optional(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({ user: User, expiresAt: IsoDateTime });
export type MeResponse = z.infer<typeof MeResponse>;
