// Quay's service worker. The shell (HTML, CSS, every module, the vendored libraries) is cached at
// install, so the app opens offline after the first visit. Shell files: network first, cache when
// offline. API GETs: network first; when offline the last answer is served with an X-Quay-Cached
// header (its time), so screens can say "as of 10:32". Writes never touch the cache.
const VERSION = "quay-shell-v6";
const API_CACHE = "quay-api";
const SHELL = ["/", "/index.html", "/app.css", "/app.js", "/api.js", "/i18n.js", "/store.js", "/ui.js", "/camera.js", "/vietqr.js",
  "/features.js", "/screens/login.js", "/screens/home.js", "/screens/inbox.js", "/screens/order.js", "/screens/new_order.js",
  "/screens/products.js", "/screens/pack.js", "/screens/pos.js", "/screens/stock.js", "/screens/staff.js",
  "/screens/shipping.js", "/screens/invoices.js", "/screens/reports.js", "/screens/live.js", "/screens/channels.js",
  "/screens/alerts.js",
  "/vendor/preact.mjs", "/vendor/preact-hooks.mjs", "/vendor/htm.mjs", "/vendor/uqr.mjs",
  "/vendor/barcode-detector/ponyfill.js", "/vendor/barcode-detector/zxing-exported.js",
  "/manifest.webmanifest", "/icons/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png"];
const NOT_CACHED = ["/api/v1/auth/", "/api/v1/openapi.json"];

self.addEventListener("install", (e) => e.waitUntil(caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting())));
self.addEventListener("activate", (e) => e.waitUntil(caches.keys()
  .then((keys) => Promise.all(keys.filter((k) => k !== VERSION && k !== API_CACHE).map((k) => caches.delete(k))))
  .then(() => self.clients.claim())));

async function apiGet(request) {
  try {
    const response = await fetch(request);
    if (response.ok && (response.headers.get("Content-Type") || "").startsWith("application/json")) {
      const copy = response.clone();
      const headers = new Headers(copy.headers);
      headers.set("X-Quay-Stored-At", new Date().toISOString());
      copy.blob().then((body) => caches.open(API_CACHE).then((c) => c.put(request.url, new Response(body, {status: copy.status, headers}))));
    }
    return response;
  } catch (offline) {
    const hit = await caches.open(API_CACHE).then((c) => c.match(request.url));
    if (!hit) throw offline;
    const headers = new Headers(hit.headers);
    headers.set("X-Quay-Cached", headers.get("X-Quay-Stored-At") || new Date(0).toISOString());
    return new Response(await hit.blob(), {status: hit.status, headers});
  }
}

async function shellGet(request) {
  try {
    const response = await fetch(request);
    if (response.ok) { const copy = response.clone(); caches.open(VERSION).then((c) => c.put(request, copy)); }
    return response;
  } catch (offline) {
    const hit = await caches.match(request, {ignoreSearch: true});
    if (hit) return hit;
    if (request.mode === "navigate") return caches.match("/index.html");
    throw offline;
  }
}

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.startsWith("/api/")) {
    if (!NOT_CACHED.some((p) => url.pathname.startsWith(p))) e.respondWith(apiGet(e.request));
    return;
  }
  e.respondWith(shellGet(e.request));
});

// Web Push (alerts): show the alert; a tap opens (or focuses) the app at the alert's link.
self.addEventListener("push", (e) => {
  const data = e.data ? e.data.json() : {};
  e.waitUntil(self.registration.showNotification(data.title || "Quay", {body: data.body || "", tag: data.tag,
    data: {url: data.url || "/"}, icon: "/icons/icon-192.png"}));
});
self.addEventListener("notificationclick", (e) => {
  e.notification.close();
  const url = (e.notification.data && e.notification.data.url) || "/";
  e.waitUntil(clients.matchAll({type: "window"}).then((open) => {
    const same = open.find((c) => new URL(c.url).origin === self.location.origin);
    return same ? same.focus().then((c) => c.navigate(url)) : clients.openWindow(url);
  }));
});
