// Unit tests of the pure parts of offices/: a shelter's occupancy, exposure reasons and the words of declaring a flood.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isOverCapacity, shortCount, occupancyLines, parseCount, reasonText, floodName, activeFloodText } from '../wwwroot/offices/words.js';

const json = (path) => JSON.parse(readFileSync(new URL(`../wwwroot/${path}`, import.meta.url), 'utf8'));
const vi = json('offices/strings.vi.json');
const en = json('offices/strings.en.json');

test('a shelter is over capacity only with more people than room', () => {
  assert.equal(isOverCapacity({ isShelter: true, shelterCapacity: 200, shelterOccupancy: 201 }), true);
  assert.equal(isOverCapacity({ isShelter: true, shelterCapacity: 200, shelterOccupancy: 200 }), false);
  assert.equal(isOverCapacity({ isShelter: true, shelterCapacity: null, shelterOccupancy: 5000 }), false);
  assert.equal(isOverCapacity({ isShelter: false, shelterCapacity: 10, shelterOccupancy: 50 }), false);
});

test('the short count of a shelter writes thousands the language way and a dash for what is unknown', () => {
  assert.equal(shortCount({ isShelter: true, shelterCapacity: 1500, shelterOccupancy: 1234 }, 'vi'), '1.234/1.500');
  assert.equal(shortCount({ isShelter: true, shelterCapacity: 1500, shelterOccupancy: 1234 }, 'en'), '1,234/1,500');
  assert.equal(shortCount({ isShelter: true, shelterCapacity: 200, shelterOccupancy: null }, 'vi'), '–/200');
  assert.equal(shortCount({ isShelter: true, shelterCapacity: null, shelterOccupancy: null }, 'vi'), null);
  assert.equal(shortCount({ isShelter: false, shelterCapacity: 10, shelterOccupancy: 1 }, 'vi'), null);
});

test('the occupancy lines of the shelter card', () => {
  assert.deepEqual(occupancyLines(null, 200, vi, 'vi'), { count: vi.occupancyUnknown, over: null });
  assert.deepEqual(occupancyLines(1210, 1200, vi, 'vi'), { count: '1.210 / 1.200 người', over: 'VƯỢT SỨC CHỨA — quá 10 người' });
  assert.deepEqual(occupancyLines(35, null, vi, 'vi'), { count: '35 người', over: null });
  assert.equal(occupancyLines(1210, 1200, en, 'en').count.startsWith('1,210'), true);
});

test('a count of people is a whole number from 0, at most six digits', () => {
  assert.equal(parseCount(' 42 '), 42);
  assert.equal(parseCount('0'), 0);
  assert.equal(parseCount('-1'), null);
  assert.equal(parseCount('1,5'), null);
  assert.equal(parseCount('1234567'), null);
  assert.equal(parseCount(''), null);
});

test('exposure reasons in words: distance in km the language way, a flood event with its dates in Vietnam', () => {
  assert.equal(reasonText({ reason: 'near_zone', hazard: 'flood', zoneName: 'Sông Cả', distanceM: 1550, returnPeriodYears: 100 }, vi, 'vi'),
    'Cách vùng ngập «Sông Cả» 1,6 km (chu kỳ lặp lại 100 năm)');
  assert.equal(reasonText({ reason: 'near_zone', hazard: 'flood', zoneName: 'Sông Cả', distanceM: 850 }, vi, 'vi'), 'Cách vùng ngập «Sông Cả» 850 m');
  assert.equal(reasonText({ reason: 'inside_zone', hazard: 'landslide', zoneName: 'Đồi A', layerName: 'Mẫu', layerIsSample: true }, vi, 'vi'),
    'Trong vùng sạt lở «Đồi A» — lớp «Mẫu» (dữ liệu mẫu)');
  assert.equal(reasonText({ reason: 'inside_event', eventName: 'Lũ xã Châu Khê', eventActive: true, eventStartedAt: '2026-12-02T07:39:00Z' }, vi, 'vi'),
    'Nằm trong đợt lũ «Lũ xã Châu Khê» (từ 02/12/2026 14:39, đang diễn ra)');
});

test('a new flood is named in Vietnamese; ongoing floods are listed by commune', () => {
  assert.equal(floodName(vi.floodNameDefault, { kind: 'Xã', name: 'Châu Khê' }, '22/07/2025'), 'Lũ xã Châu Khê 22/07/2025');
  assert.equal(activeFloodText([{ communeCode: '17512', name: 'Lũ 1' }], (code) => `Xã ${code}`, vi),
    'Xã 17512 đã có đợt lũ «Lũ 1» đang diễn ra — không cần công bố lại.');
});
