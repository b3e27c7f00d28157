// Unit tests of shared/problems.js: a refusal in words by its code, never the server's prose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describeProblem, describeRows, fillTemplate } from '../wwwroot/shared/problems.js';

const json = (path) => JSON.parse(readFileSync(new URL(`../wwwroot/${path}`, import.meta.url), 'utf8'));
const strings = { vi: json('shared/strings.vi.json'), en: json('shared/strings.en.json') };
const aid = { vi: json('aid/problems.vi.json'), en: json('aid/problems.en.json') };
const ctx = (lang, extra = {}) => ({ problems: aid[lang], strings: strings[lang], lang, ...extra });

test('problem files are flat objects of strings, the same codes in both languages', () => {
  for (const lang of ['vi', 'en']) {
    for (const [code, template] of Object.entries(aid[lang])) assert.equal(typeof template, 'string', code);
  }
  assert.deepEqual(Object.keys(aid.vi).sort(), Object.keys(aid.en).sort());
});

test('placeholders are filled from the facts; numbers the language way', () => {
  assert.equal(fillTemplate('Kho chỉ còn {available} sẵn sàng', { available: 1234 }), 'Kho chỉ còn 1.234 sẵn sàng');
  assert.equal(fillTemplate('{a} and {missing}', { a: 'x' }, {}, 'en'), 'x and ');
  assert.equal(fillTemplate('#{pledgeId}, dòng {row}', { pledgeId: 12345, row: 1234 }), '#12345, dòng 1234');
  assert.equal(fillTemplate('«{state}»', { state: 'accepted' }, { state: (v) => `label of ${v}` }), '«label of accepted»');
});

test('a known code is looked up, whatever the detail says', () => {
  const r = { ok: false, status: 409, data: null, retryAfter: null,
    problem: { status: 409, code: 'aid.pledge.stock_insufficient', available: 3, detail: 'Only 3 available.' } };
  assert.equal(describeProblem(r, ctx('vi')), 'Kho chỉ còn 3 sẵn sàng: hãy nhận lời ít hơn hoặc cập nhật kho.');
  assert.match(describeProblem(r, ctx('en')), /3/);
});

test('a code fact can be worded by the feature', () => {
  const problem = { status: 409, code: 'aid.pledge.state', pledgeId: 7, state: 'accepted' };
  const text = describeProblem(problem, ctx('vi', { facts: { 'aid.pledge.state': { state: () => 'Đã nhận lời' } } }));
  assert.equal(text, 'Đề nghị #7 hiện đã ở trạng thái «Đã nhận lời»: việc này không làm được nữa. Màn hình đã được cập nhật.');
});

test('an unknown code or none: a generic sentence per status, never the English detail', () => {
  const detail = 'Something went wrong in English.';
  for (const status of [400, 403, 404, 409, 413, 429, 500, 503]) {
    const text = describeProblem({ status, code: 'nobody_knows', detail, title: 'Conflict' }, ctx('vi'));
    assert.ok(text && !text.includes(detail) && !text.includes('Conflict'), `${status}: ${text}`);
  }
  assert.equal(describeProblem({ status: 503 }, ctx('vi')), 'Máy chủ đang bận hoặc gặp lỗi (mã 503). Hãy thử lại sau ít phút.');
  assert.equal(describeProblem({ status: 0 }, ctx('vi')), strings.vi.problemStatus['0']);
  assert.equal(describeProblem({ status: 404 }, ctx('en')), strings.en.problemStatus['404']);
});

test('a 400 names its fields: per-field codes first, then the feature, then the shared texts, then the name', () => {
  const problems = { ...aid.vi, 'aid.quantity.range': 'Số lượng từ 1 đến {max}.' };
  const r = { status: 400, max: 50, errors: { quantity: ['must be positive'] }, fieldCodes: { quantity: ['aid.quantity.range'] } };
  assert.equal(describeProblem(r, { ...ctx('vi'), problems }), 'Số lượng từ 1 đến 50.');
  const own = describeProblem({ status: 400, errors: { hamlet: ['too long'] } }, ctx('vi', { fields: (f) => (f === 'hamlet' ? 'Thôn quá dài.' : null) }));
  assert.equal(own, 'Thôn quá dài.');
  assert.equal(describeProblem({ status: 400, errors: { DutyPhone: ['bad'] } }, ctx('vi')), strings.vi.invalid.dutyPhone);
  const unknown = describeProblem({ status: 400, errors: { frobnicate: ['The frobnicate field is required.'] } }, ctx('vi'));
  assert.equal(unknown, 'Ô «frobnicate» chưa hợp lệ. Hãy kiểm tra lại.');
});

test('a screen may word a status itself (a 403 on the commune contact)', () => {
  assert.equal(describeProblem({ status: 403 }, ctx('vi', { statuses: { 403: 'Không có quyền.' } })), 'Không có quyền.');
});

test('a 423 says until when: the lockedUntil fact, else the time stamp of the detail', async () => {
  const { lockedUntil } = await import('../wwwroot/shared/session.js');
  assert.equal(lockedUntil({ status: 423, lockedUntil: '2026-11-23T11:05:00Z' }), '2026-11-23T11:05:00Z');
  assert.equal(lockedUntil({ status: 423, detail: 'Too many failed sign-ins: the account is locked until 2026-11-23 11:05 UTC.' }), '2026-11-23T11:05:00Z');
  assert.equal(lockedUntil({ status: 423 }), null);
});

const shared = { vi: json('shared/problems.vi.json'), en: json('shared/problems.en.json') };
const withShared = (lang, extra = {}) => ({ problems: { ...shared[lang], ...aid[lang] }, strings: strings[lang], lang, ...extra });

test('a 400 that only says "some fields are wrong" is worded field by field', () => {
  const problem = {
    status: 400, code: 'request.invalid', detail: 'quantity must be a whole number',
    errors: { quantity: ['quantity must be a whole number'] }, fieldCodes: { quantity: ['field.out_of_range'] },
  };
  // No field words of the feature: the field is named and the generic reason said, in Vietnamese.
  assert.equal(describeProblem(problem, withShared('vi')), '«quantity»: Giá trị của ô này nằm ngoài khoảng cho phép.');
  // The feature's own words for the field win over the generic reason.
  assert.equal(describeProblem(problem, withShared('vi', { fields: (f) => (f === 'quantity' ? 'Số lượng phải từ 1 đến 6.' : null) })),
    'Số lượng phải từ 1 đến 6.');
  assert.doesNotMatch(describeProblem(problem, withShared('vi')), /whole number/);
});

test('a capability\'s own field code is its sentence; a specific 400 code keeps its template', () => {
  const problems = { ...shared.vi, 'aid.line.duplicate': 'Loại «{type}» có hai dòng.' };
  const field = { status: 400, code: 'request.invalid', type: 'boat', errors: { 'lines[1]': ['x'] }, fieldCodes: { 'lines[1]': ['aid.line.duplicate'] } };
  assert.equal(describeProblem(field, { problems, strings: strings.vi, lang: 'vi' }), 'Loại «boat» có hai dòng.');
  const file = { status: 400, code: 'file.refused', errors: { file: ['row 3: bad phone'] }, fieldCodes: { file: ['field.malformed'] } };
  assert.equal(describeProblem(file, { problems, strings: strings.vi, lang: 'vi' }), shared.vi['file.refused']);
});

test('a refused file is said row by row, in row order, each by its code; a row without words is still named', () => {
  const alerts = { vi: json('alerts/problems.vi.json'), en: json('alerts/problems.en.json') };
  const problem = { status: 400, code: 'file.refused', rows: 3, rowProblems: [
    { row: 3, code: 'alerts.import.phone_invalid', column: 'phone', value: '12345' },
    { row: 5, code: 'alerts.import.flag_invalid', column: 'test_group', value: 'maybe' },
    { row: 9, code: 'some.future.code' }] };
  assert.deepEqual(describeRows(problem, { problems: alerts.vi, strings: strings.vi, lang: 'vi' }), [
    'Dòng 3: «12345» không phải số điện thoại hợp lệ.',
    'Dòng 5: cột test_group ghi «maybe»; chỉ được ghi có hoặc không (yes/no).',
    'Dòng 9 chưa hợp lệ. Hãy kiểm tra lại.']);
  assert.equal(describeRows(problem, { problems: alerts.en, strings: strings.en, lang: 'en' })[0], 'Row 3: «12345» is not a valid phone number.');
  assert.equal(describeRows({ status: 400, code: 'file.refused' }, { problems: alerts.vi, strings: strings.vi, lang: 'vi' }), null);
});
