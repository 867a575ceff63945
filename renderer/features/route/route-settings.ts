import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
const httpUrl = z.string().url().refine((url) => /^https?:/i.test(url), { message: 'an http(s) address' });

/** The agent's route and map settings, kept on this device (they are not synced). */
export const RouteSettings = z.object({
  startFrom: z.enum(['position', 'depot']),
  depot: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), label: z.string().max(120) }).nullable(),
  returnToStart: z.boolean(),
  dayStart: clock,
  dayEnd: clock,
  serviceMinutes: z.number().min(0).max(480),
  detourFactor: z.number().min(1).max(3),
  averageSpeedKmh: z.number().min(5).max(130),
  /** OSRM base address; empty = plan with the offline estimate only. */
  osrmUrl: z.union([z.literal(''), httpUrl]),
  tileUrl: z.string().min(1).refine((url) => /^https?:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(url), { message: 'an http(s) template with {z}, {x} and {y}' }),
  tileAttribution: z.string().max(300),
  /** The tile source allows saving whole areas (a self-hosted server); never true for OSM's. */
  tileSourcePermitsBulk: z.boolean(),
  /** A PMTiles region pack on the sync server or elsewhere; empty = none. */
  regionPackUrl: z.union([z.literal(''), httpUrl]),
});
export type RouteSettings = z.infer<typeof RouteSettings>;

export const defaultRouteSettings: RouteSettings = {
  startFrom: 'position',
  depot: null,
  returnToStart: false,
  dayStart: '08:00',
  dayEnd: '18:00',
  serviceMinutes: 20,
  detourFactor: 1.3,
  averageSpeedKmh: 40,
  osrmUrl: '',
  tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  tileAttribution: '© OpenStreetMap contributors',
  tileSourcePermitsBulk: false,
  regionPackUrl: '',
};

interface RouteSettingsState {
  settings: RouteSettings;
  update(changes: Partial<RouteSettings>): void;
  reset(): void;
}

export const useRouteSettings = create<RouteSettingsState>()(
  persist(
    (set) => ({
      settings: defaultRouteSettings,
      // Validated here so nothing downstream sees a half-typed URL or an end before the start.
      update: (changes) =>
        set((state) => {
          const next = RouteSettings.safeParse({ ...state.settings, ...changes });
          return next.success ? { settings: next.data } : state;
        }),
      reset: () => set({ settings: defaultRouteSettings }),
    }),
    {
      name: 'reclaim.route-settings',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ settings: state.settings }),
      // Stored settings are outside input (another version may have written them): parse, or fall back.
      merge: (persisted, current) => {
        const parsed = z.object({ settings: RouteSettings.partial() }).safeParse(persisted);
        if (!parsed.success) return current;
        const merged = RouteSettings.safeParse({ ...defaultRouteSettings, ...parsed.data.settings });
        return { ...current, settings: merged.success ? merged.data : defaultRouteSettings };
      },
    },
  ),
);

/** Checks a proposed change, so a form can say what is wrong instead of silently ignoring it. */
export function checkRouteSettings(candidate: RouteSettings): string | null {
  const parsed = RouteSettings.safeParse(candidate);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  if (candidate.dayEnd <= candidate.dayStart) return 'The working day must end after it starts.';
  return null;
}
