// Unit tests of mutual aid's pure view helpers (aid/words.js): amounts with their units, the urgency order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amount, ofType, unitOf, urgencyRank, setEnums, codeOf, textOf } from '../wwwroot/aid/words.js';

const boat = { code: 'boat', nameVi: 'Thuyền, xuồng', nameEn: 'Boat', unitVi: 'chiếc', unitEn: 'boats' };

test('an amount is the number the Vietnamese way and the unit', () => {
  assert.equal(amount(6, boat), '6 chiếc');
  assert.equal(amount(1200, boat), '1.200 chiếc');
  assert.equal(unitOf(boat, 1), 'chiếc');                 // no plural in Vietnamese
  assert.equal(amount(3, null), '3');
});

test('an amount and its type, in Vietnamese', () => {
  assert.equal(ofType('4/6 chiếc', boat), '4/6 chiếc Thuyền, xuồng');
});

test('urgencies rank in the order the API lists them; unknown ones last', () => {
  setEnums({ hazards: ['flood'], urgencies: ['life_threatening', 'urgent', 'needed'] });
  assert.ok(urgencyRank('life_threatening') < urgencyRank('urgent'));
  assert.ok(urgencyRank('needed') < urgencyRank('whatever'));
});

test('commune codes and notification texts', () => {
  assert.equal(codeOf(1234), '01234');
  assert.equal(textOf({ textVi: 'Xin chào', textEn: 'Hello' }), 'Xin chào');
});
