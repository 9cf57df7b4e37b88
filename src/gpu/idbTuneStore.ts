// The kernel-tuning cache in browsers: IndexedDB database 'robust-tagger',
// object store 'kernel-tuning', one entry per adapter key holding the same
// { "op bucket": record } object as the Node JSON file (node-gpu.ts
// nodeTuneStore), under the same key (tuner.ts adapterKey). The Tuner reads
// its store synchronously when a context is made and saves after each
// measurement, so the entries are read once when the store is opened and
// writes go out in the background. Where IndexedDB is missing or refuses to
// open (an opaque origin, some private modes), there is no store and the
// caller keeps the cache in memory.
import type { TuneRecord, TuneStore } from './tuner.js';

export const TUNE_DB = 'robust-tagger';
export const TUNE_OBJECT_STORE = 'kernel-tuning';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function open(idb: IDBFactory): Promise<IDBDatabase> {
  const r = idb.open(TUNE_DB, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(TUNE_OBJECT_STORE);
  return request(r);
}

/** The tuning cache in IndexedDB, its entries read now; null where IndexedDB cannot be used (with the reason on the console). */
export async function indexedDbTuneStore(idb: IDBFactory | undefined = globalThis.indexedDB): Promise<TuneStore | null> {
  if (!idb) return null;
  let db: IDBDatabase;
  const all = new Map<string, Record<string, TuneRecord>>();
  try {
    db = await open(idb);
    const store = db.transaction(TUNE_OBJECT_STORE, 'readonly').objectStore(TUNE_OBJECT_STORE);
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    keys.forEach((k, i) => all.set(String(k), values[i] as Record<string, TuneRecord>));
  } catch (e) {
    console.info(`kernel tuning: IndexedDB unavailable (${(e as Error)?.message ?? e}); the tuning cache lives in memory for this page`);
    return null;
  }
  return {
    load: (key) => ({ ...(all.get(key) ?? {}) }),
    save: (key, records) => {
      all.set(key, { ...records });
      try {
        const tx = db.transaction(TUNE_OBJECT_STORE, 'readwrite');
        tx.objectStore(TUNE_OBJECT_STORE).put({ ...records }, key);
        tx.onerror = () => console.warn(`kernel tuning: could not write IndexedDB ${TUNE_DB}/${TUNE_OBJECT_STORE}: ${tx.error?.message}`);
      } catch (e) {
        console.warn(`kernel tuning: could not write IndexedDB ${TUNE_DB}/${TUNE_OBJECT_STORE}: ${(e as Error).message}`);
      }
    },
  };
}
