/**
 * Whether the app may download many tiles at once from a source. OpenStreetMap's public tile
 * servers are run by volunteers on donated capacity; their tile usage policy forbids bulk
 * downloading ("scraping"), so the app refuses it for them whatever the settings say. Other
 * sources must be marked as permitting it (a self-hosted tile server, a paid plan).
 */
const osmHosts = /(^|\.)(openstreetmap\.(org|fr|de)|osm\.org)$/i;

export function isOpenStreetMapPublicServer(template: string): boolean {
  try {
    const host = new URL(template.replace(/\{[a-z]\}/g, '0')).hostname;
    return osmHosts.test(host);
  } catch {
    return false;
  }
}

/** Null when bulk saving is allowed; otherwise the reason, in words for the agent. */
export function bulkDownloadRefusal(template: string, markedAsPermitting: boolean): string | null {
  if (isOpenStreetMapPublicServer(template)) {
    return (
      "OpenStreetMap's public tile servers forbid bulk downloading in their tile usage policy, so " +
      'this map source cannot be saved for offline. Tiles you view are still kept for offline use; ' +
      'for whole areas, use your own tile server or open a region pack.'
    );
  }
  if (!markedAsPermitting) {
    return (
      'This tile source is not marked as permitting bulk download. If it is your own tile server, ' +
      'mark it in the map settings; otherwise open a region pack instead.'
    );
  }
  return null;
}
