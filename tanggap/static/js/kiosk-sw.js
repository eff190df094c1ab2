// Service worker of a counter kiosk: the kiosk page and its files stay on the device, so a reload
// or a browser restart during a network outage still shows the questionnaire. Answers are not its
// business: kiosk.js queues them on the device and posts them itself, so a POST passes straight
// through and is never cached.
"use strict";

// Bump when what is cached, or how, changes: activate deletes the caches of every other version.
const VERSION = "v1";
const PREFIX = "tanggap-kiosk-";
const PAGES = PREFIX + VERSION + "-pages";
const FILES = PREFIX + VERSION + "-files";
// On a link that answers too slowly the copy on the device beats a blank screen.
const NETWORK_WAIT_MS = 4000;
// Names with a content hash (ManifestStaticFilesStorage: kiosk.0123456789ab.css) never change;
// plain names (the current storages) keep their name when their content changes.
const HASHED = /\.[0-9a-f]{12}\.\w+$/;
const FILE_DESTINATIONS = ["style", "script", "font", "image"];
const MATCH = { ignoreVary: true };

// kiosk.js registers the worker with the kiosk page of one counter as its scope.
const PAGE = self.registration.scope;

// ---- Install: the page and every file it and its style sheets name ----
function attributes(tag) {
  const found = {};
  for (const [, name, value] of tag.matchAll(/\s([a-z-]+)\s*=\s*"([^"]*)"/gi)) {
    found[name.toLowerCase()] = value.replace(/&amp;/g, "&");
  }
  return found;
}

function sameOrigin(value, base) {
  try {
    const url = new URL(value, base);
    url.hash = "";
    return url.origin === self.location.origin ? url.href : null;
  } catch (e) {
    return null;
  }
}

function filesOfPage(html) {
  const urls = [];
  for (const [tag, name] of html.matchAll(/<(link|script|img)\b[^>]*>/gi)) {
    const attrs = attributes(tag);
    const linked = name.toLowerCase() === "link";
    if (linked && !/\b(stylesheet|icon|preload|modulepreload)\b/i.test(attrs.rel || "")) continue;
    const url = sameOrigin(linked ? attrs.href : attrs.src, PAGE);
    if (url) urls.push(url);
  }
  return urls;
}

function filesOfStyleSheet(css, base) {
  return Array.from(css.matchAll(/url\(\s*(["']?)([^"')]+)\1\s*\)/g), (m) => sameOrigin(m[2], base))
    .filter(Boolean);
}

async function precache() {
  const page = await fetch(PAGE, { cache: "no-store" });
  if (!page.ok || page.redirected) throw new Error(PAGE + " answered " + page.status);
  const files = await caches.open(FILES);
  const kept = new Set();
  const queue = filesOfPage(await page.clone().text());
  while (queue.length) {
    const url = queue.shift();
    if (kept.has(url)) continue;
    kept.add(url);
    const response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) throw new Error(url + " answered " + response.status);
    if ((response.headers.get("Content-Type") || "").startsWith("text/css")) {
      queue.push(...filesOfStyleSheet(await response.clone().text(), url));
    }
    await files.put(url, response);
  }
  for (const request of await files.keys()) {
    if (!kept.has(request.url)) await files.delete(request);
  }
  await (await caches.open(PAGES)).put(PAGE, page);
}

// A kiosk tab stays open for weeks: a new version takes over at once instead of waiting for it.
self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== PAGES && name !== FILES) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// ---- Fetch ----
function cached(cacheName, key) {
  return caches.open(cacheName).then((cache) => cache.match(key, MATCH));
}

// The network when it answers in time, the copy on the device otherwise; a server error (a proxy
// in front of a stopped server) counts as an outage too. keep(response) says what to store.
async function networkFirst(event, cacheName, key, keep) {
  const network = fetch(event.request);
  event.waitUntil(network.then((response) => {
    if (response.status === 404 && cacheName === PAGES) {
      // No open period or the counter is closed: the kiosk must not take answers offline.
      return caches.open(cacheName).then((cache) => cache.delete(key));
    }
    if (!keep || !response.ok || response.redirected) return undefined;
    const copy = response.clone(); // before the page starts reading the body
    return caches.open(cacheName).then((cache) => cache.put(key, copy));
  }).catch(() => undefined));
  const late = new Promise((resolve) => { setTimeout(resolve, NETWORK_WAIT_MS); })
    .then(() => cached(cacheName, key))
    .then((hit) => hit || network);
  try {
    const response = await Promise.race([network, late]);
    return response.status >= 500 ? (await cached(cacheName, key)) || response : response;
  } catch (e) {
    return (await cached(cacheName, key)) || Response.error();
  }
}

async function cacheFirst(event) {
  const hit = await cached(FILES, event.request.url);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok) {
    const copy = response.clone();
    await (await caches.open(FILES)).put(event.request.url, copy);
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Only the bare page is stored: "?terima-kasih=1" would thank the next visitor offline.
    if (url.pathname === new URL(PAGE).pathname) {
      event.respondWith(networkFirst(event, PAGES, PAGE, url.search === ""));
    }
  } else if (FILE_DESTINATIONS.includes(request.destination)) {
    event.respondWith(
      HASHED.test(url.pathname) ? cacheFirst(event) : networkFirst(event, FILES, url.href, true)
    );
  }
});
