// @ts-check
// The refusals of the offices and floods API in words: by the problem's code (offices/problems.<lang>.json, loaded
// with the feature), else the feature's own sentence for each field a 400 names (the field's name, never its
// message), else the shared sentence for the status (shared/problems.js). Never the server's English.

import { problemText } from '../shared/problems.js';

/**
 * @param {import('../shared/api.js').ApiResult | import('../shared/api.js').Problem} r
 * @param {Record<string, string>} [fieldTexts]  field → sentence (e.g. officeInvalid)
 * @param {Record<number, string>} [statuses]  a sentence of this screen for a status (e.g. 403)
 */
export function refusal(r, fieldTexts = {}, statuses = undefined) {
  return problemText(r, {
    statuses,
    fields: (field) => {
      const key = Object.keys(fieldTexts).find((k) => k.toLowerCase() === field.toLowerCase());
      return key ? fieldTexts[key] : null;
    },
  });
}

/** A failed call's result (network down, request refused before an answer): status 0. */
export const offline = () => /** @type {import('../shared/api.js').ApiResult} */ ({ ok: false, status: 0, data: null, problem: { status: 0 }, retryAfter: null });
