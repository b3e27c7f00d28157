// Unit tests of shared/format.js: Vietnam's clock whatever the machine's zone, Vietnamese separators.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateTime, date, number, kilometres, length, coordinates, toLocalInput, fromLocalInput, ago } from '../wwwroot/shared/format.js';

test('dateTime is dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh', () => {
  assert.equal(dateTime('2026-12-02T07:39:00Z'), '02/12/2026 14:39');
  assert.equal(dateTime('2026-12-02T17:05:00Z'), '03/12/2026 00:05');          // past midnight in Vietnam
  assert.equal(dateTime('2026-12-02T14:39:00+07:00'), '02/12/2026 14:39');
  assert.equal(dateTime(new Date(Date.UTC(2020, 0, 1, 0, 0))), '01/01/2020 07:00');
});

test('dateTime in English keeps the zone, en conventions', () => {
  assert.equal(dateTime('2026-12-02T07:39:00Z', 'en'), '2 Dec 2026, 14:39');
});

test('dateTime of something that is not a time gives its text back', () => {
  assert.equal(dateTime(null), '');
  assert.equal(dateTime('soon'), 'soon');
});

test('date is dd/MM/yyyy; a calendar day does not shift with the zone', () => {
  assert.equal(date('2020-01-01'), '01/01/2020');
  assert.equal(date('2020-01-01', 'en'), '1 Jan 2020');
  assert.equal(date('2026-12-02T18:00:00Z'), '03/12/2026');                   // an instant: its day in Vietnam
});

test('numbers use Vietnamese separators, English ones in English', () => {
  assert.equal(number(1234.5, 1), '1.234,5');
  assert.equal(number(1234567), '1.234.567');
  assert.equal(number(1234.5, 1, 'en'), '1,234.5');
  assert.equal(number(null), '');
});

test('kilometres and lengths', () => {
  assert.equal(kilometres(15.5), '15,5 km');
  assert.equal(kilometres(15.5, 'en'), '15.5 km');
  assert.equal(length(15_720), '15,7 km');
  assert.equal(length(850.4), '850 m');
  assert.equal(length(null), '');
});

test('coordinates are "lat, lon" with fixed decimals', () => {
  assert.equal(coordinates(18.1234567, 105.5), '18.12346, 105.50000');
  assert.equal(coordinates(18.1, 105.25, 2), '18.10, 105.25');
});

test('datetime-local values are Vietnam time both ways', () => {
  assert.equal(toLocalInput('2026-12-02T17:30:00Z'), '2026-12-03T00:30');
  assert.equal(fromLocalInput('2026-12-02T14:39'), '2026-12-02T14:39:00+07:00');
  assert.equal(fromLocalInput(''), null);
  assert.equal(fromLocalInput('14:39'), null);
  assert.equal(new Date(fromLocalInput(toLocalInput('2026-12-02T07:39:00Z'))).toISOString(), '2026-12-02T07:39:00.000Z');
});

test('ago in words', () => {
  const now = Date.UTC(2026, 11, 2, 12, 0);
  assert.equal(ago(new Date(now - 2 * 3600e3), 'en', now), '2 hours ago');
  assert.equal(ago(new Date(now - 5 * 60e3), 'vi', now), '5 phút trước');
});
