// Unit tests of the string lookup (shared/i18n.js) and of the strings files: both languages, the same keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fmt, lookup } from '../wwwroot/shared/i18n.js';

const root = new URL('../wwwroot/', import.meta.url);
const json = (path) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

test('fmt fills numbered placeholders', () => {
  assert.equal(fmt('qua {0}', 'Con Cuông'), 'qua Con Cuông');
  assert.equal(fmt('{1} / {0}', 'a', 'b'), 'b / a');
  assert.equal(fmt('{0} {1}', 'x'), 'x ');
});

test('lookup gives the text, else the key', () => {
  assert.equal(lookup({ via: 'qua {0}' }, 'via', ['X']), 'qua X');
  assert.equal(lookup({}, 'missing'), 'missing');
  assert.equal(lookup({ group: { a: 'b' } }, 'group'), 'group');
});

/** Every key (nested, as a.b) of a table. */
const keys = (table, prefix = '') => Object.entries(table).flatMap(([k, v]) =>
  (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

const features = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !['lib', '_min'].includes(d.name)).map((d) => d.name);

test('each feature has its strings and problems in both languages, with the same keys', () => {
  for (const feature of features) {
    for (const kind of ['strings', 'problems']) {
      const vi = new URL(`${feature}/${kind}.vi.json`, root);
      const en = new URL(`${feature}/${kind}.en.json`, root);
      assert.equal(existsSync(vi), existsSync(en), `${feature}/${kind}: both languages or neither`);
      if (!existsSync(vi)) continue;
      assert.deepEqual(keys(json(`${feature}/${kind}.en.json`)).sort(), keys(json(`${feature}/${kind}.vi.json`)).sort(), `${feature}/${kind}`);
    }
  }
});

test('a key two features both define has the same text in both (the tables are merged)', () => {
  for (const lang of ['vi', 'en']) {
    const seen = new Map();
    for (const feature of features) {
      const path = `${feature}/strings.${lang}.json`;
      if (!existsSync(new URL(path, root))) continue;
      for (const [k, v] of Object.entries(json(path))) {
        if (seen.has(k)) assert.deepEqual(v, seen.get(k).v, `${k} in ${feature} and ${seen.get(k).feature}`);
        else seen.set(k, { v, feature });
      }
    }
  }
});
