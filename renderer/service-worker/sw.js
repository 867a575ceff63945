// The build prepends CACHE_NAME and PRECACHE (see precacheServiceWorker in vite.config.ts).
// An agent opens the app in a van with no signal: the shell must come from this cache, while
// the sync API must never be cached, or the app would show stale jobs as if they were fresh.

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE_NAME)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE_NAME).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function isApiRequest(url) {
  const scopePath = new URL(self.registration.scope).pathname;
  return url.pathname.startsWith('/api/') || url.pathname.startsWith(scopePath + 'api/');
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isApiRequest(url)) return;

  if (request.mode === 'navigate') {
    // Network first so a deployed update shows up at once; the cached shell when offline.
    event.respondWith(
      fetch(request).catch(() =>
        caches.match(new URL('index.html', self.registration.scope).href, { ignoreVary: true }).then((shell) => shell || Response.error()),
      ),
    );
    return;
  }

  // Hashed assets never change under the same name, so the cache answers first. Vary is
  // ignored because module scripts are fetched in CORS mode (with an Origin header) while
  // the precache stored them without one; servers that answer `Vary: Origin` would miss.
  event.respondWith(caches.match(request, { ignoreVary: true }).then((cached) => cached || fetch(request)));
});
