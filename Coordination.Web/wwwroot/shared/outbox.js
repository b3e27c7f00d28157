// @ts-check
// The durable queue of writes made without a link: IndexedDB (it survives a closed tab, a flat battery and a
// reload), one entry per write with the Idempotency-Key it was first sent with, so a replay — or a write that did
// reach the server before the link dropped — is applied once. offline.js replays it.

/**
 * @typedef {{ id?: number, url: string, method: string, body?: unknown, contentType?: string,
 *   idempotencyKey: string, queuedAt: string, user: string | null }} QueuedWrite
 */

const DB = 'coordination-offline', STORE = 'outbox';

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * One transaction on the store.
 * @template T
 * @param {IDBTransactionMode} mode @param {(store: IDBObjectStore) => IDBRequest<T>} work
 * @returns {Promise<T>}
 */
async function run(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  } finally { db.close(); }
}

/** Keeps a write to send later; resolves once it is on disk (the transaction has committed). */
export const enqueue = (/** @type {QueuedWrite} */ write) => run('readwrite', (s) => s.add(write)).then((id) => { notify(); return Number(id); });
/** The queued writes, oldest first. @returns {Promise<QueuedWrite[]>} */
export const queued = () => run('readonly', (s) => s.getAll());
export const dequeue = (/** @type {number} */ id) => run('readwrite', (s) => s.delete(id)).then(() => notify());

/** @type {(() => void)[]} */
const listeners = [];
/** fn() whenever the queue changes. */
export const onQueueChange = (/** @type {() => void} */ fn) => { listeners.push(fn); };
function notify() { for (const fn of listeners) fn(); }
