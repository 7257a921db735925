// IndexedDB on this device: the sales outbox and what the app remembers for offline use
// (catalog, last known stock). Two object stores; every call opens one short transaction.
const DB_NAME = "quay";
const STORES = {outbox: "key", kv: "k"};
let opening;

function open() {
  opening = opening || new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      for (const [name, keyPath] of Object.entries(STORES)) {
        if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name, {keyPath});
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

async function run(store, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = work(tx.objectStore(store));
    tx.oncomplete = () => resolve(request && request.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

export const idb = {
  put: (store, value) => run(store, "readwrite", (s) => s.put(value)),
  get: (store, key) => run(store, "readonly", (s) => s.get(key)),
  all: (store) => run(store, "readonly", (s) => s.getAll()),
  delete: (store, key) => run(store, "readwrite", (s) => s.delete(key)),
  clear: (store) => run(store, "readwrite", (s) => s.clear()),
};

/** A remembered value with the time it was learnt (for "as of 10:32"). */
export async function remember(key, value) { await idb.put("kv", {k: key, v: value, at: new Date().toISOString()}); }
export async function recall(key) { return (await idb.get("kv", key)) || null; }
