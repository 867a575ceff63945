import { useCallback, useEffect, useState } from 'react';
import { forgetRegionPack, openRegionPackFile, openRegionPackUrl, restoreRegionPack, type OpenRegionPack } from './region-pack';

/** The region pack on show: the one kept on the device, else the one at the configured address. */
export function useRegionPack(packUrl: string) {
  const [pack, setPack] = useState<OpenRegionPack | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const restored = (await restoreRegionPack()) ?? (packUrl !== '' ? await openRegionPackUrl(packUrl) : null);
        if (!cancelled) setPack(restored);
      } catch (error) {
        if (!cancelled) setProblem(`The region pack could not be opened: ${describe(error)}`);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [packUrl]);

  const openFile = useCallback((file: File) => {
    setProblem(null);
    openRegionPackFile(file).then(setPack, (error: unknown) => setProblem(describe(error)));
  }, []);
  const remove = useCallback(() => {
    void forgetRegionPack().then(() => setPack(null));
  }, []);
  return { pack, problem, openFile, remove };
}
