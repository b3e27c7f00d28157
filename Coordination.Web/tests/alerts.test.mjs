// Unit tests of the pure parts of alerts/: SMS cost wording, durations, what became of an alert, how it ended,
// template placeholders, the composer's request body, the drawn circle and why a typed phone number was refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { amount, duration, costTexts, routeText, sentText, endedText, placeholdersOf, requestBody, circleRing, fold, phoneRefusal } from '../wwwroot/alerts/text.js';
import { fromLocalInput } from '../wwwroot/shared/format.js';

const json = (path) => JSON.parse(readFileSync(new URL(`../wwwroot/${path}`, import.meta.url), 'utf8'));
const vi = json('alerts/strings.vi.json').sms;
const en = json('alerts/strings.en.json').sms;

/** A preview as POST /api/alerts/preview answers it. */
const preview = (over = {}) => ({
  recipients: 1234, recipientsFolded: 0, message: { characters: 250, encoding: 'UCS-2', segments: 4, perSegment: 67 },
  messageFolded: { characters: 250, encoding: 'GSM-7', segments: 2, perSegment: 153 }, segmentsPerRound: 4936,
  totalSegments: 4936, maxSegmentsPerSecond: 10, estimatedSeconds: 493.6, rounds: 1, repeatEveryMinutes: null,
  longMessage: true, maxSegmentsPerMessage: 10, ...over,
});

test('quantities keep decimals only when they have some', () => {
  assert.equal(amount(10, 1, 'vi'), '10');
  assert.equal(amount(2.5, 1, 'vi'), '2,5');
  assert.equal(amount(1058, 0, 'vi'), '1.058');
  assert.equal(amount(1058, 0, 'en'), '1,058');
});

test('durations in words', () => {
  assert.equal(duration(3.2, vi, 'vi'), 'khoảng 3 giây');
  assert.equal(duration(125, vi, 'vi'), 'khoảng 2 phút 5 giây');
  assert.equal(duration(0.1, vi, 'vi'), 'khoảng 1 giây');
});

test('what a preview costs, in words', () => {
  const c = costTexts(preview(), false, vi, 'vi');
  assert.equal(c.recipients, '1.234 số điện thoại');
  assert.equal(c.segments, '4 tin (67 ký tự/tin)');
  assert.equal(c.rounds, '1 lượt');
  assert.equal(c.total, '4.936 tin nhắn');
  assert.equal(c.perRound, null);
  assert.equal(c.time, 'khoảng 8 phút 14 giây (tốc độ 10 tin/giây)');
  assert.ok(c.long.startsWith('Tin dài: mỗi người nhận 4 tin nhắn ghép (nên không quá 3).'));
  const hourly = costTexts(preview({ rounds: 6, repeatEveryMinutes: 60, totalSegments: 6 * 4936, longMessage: false, estimatedSeconds: null }), false, vi, 'vi');
  assert.equal(hourly.rounds, '6 lượt, mỗi 60 phút');
  assert.equal(hourly.total, '29.616 tin nhắn (6 lượt × 4.936), nếu gửi đến khi hết hiệu lực');
  assert.equal(hourly.perRound, '4.936 tin nhắn');
  assert.equal(hourly.time, vi.timeUnlimited);
  assert.equal(hourly.long, null);
  assert.equal(costTexts(preview({ rounds: 1 }), false, en, 'en').total, '4,936 messages');
});

test('with a local gateway the preview says which way the recipients go and at what rate', () => {
  const routes = [
    { via: 'gateway', recipients: 1200, segmentsPerRound: 4800, configured: true, gateways: 2, perMinute: 12, perSecond: null, estimatedSeconds: 24000 },
    { via: 'twilio', recipients: 34, segmentsPerRound: 136, configured: true, gateways: 0, perMinute: null, perSecond: 10, estimatedSeconds: 13.6 },
  ];
  const p = preview({ routes, estimatedSeconds: 24000 });
  assert.equal(routeText(p, vi, 'vi'), 'qua cổng SMS nội bộ (2 điện thoại): 1.200 người nhận, ~12 tin/phút; qua Twilio: 34 người nhận, tối đa 10 tin/giây');
  assert.equal(routeText(p, en, 'en'), 'via the local gateway (2 phones): 1,200 recipients, ~12 SMS/min; via Twilio: 34 recipients, at most 10 messages/s');
  // The time is the slowest route's, not Twilio's rate.
  assert.equal(costTexts(p, false, vi, 'vi').time, 'khoảng 6 giờ 40 phút (các đường gửi chạy song song)');
  // Twilio not configured: its share is said to stay unsent; no Twilio recipients: not mentioned.
  const off = [routes[0], { ...routes[1], configured: false, perSecond: null }];
  assert.equal(routeText(preview({ routes: off }), vi, 'vi').split('; ')[1], 'qua Twilio: 34 người nhận — chưa cấu hình, chưa gửi');
  assert.equal(routeText(preview({ routes: [routes[0], { ...routes[1], recipients: 0 }] }), vi, 'vi'), 'qua cổng SMS nội bộ (2 điện thoại): 1.200 người nhận, ~12 tin/phút');
  // No gateway configured: one way only, nothing to say.
  assert.equal(routeText(preview({ routes: [routes[1]] }), vi, 'vi'), null);
  assert.equal(costTexts(preview(), false, vi, 'vi').route, null);
});

test('recipients who get the folded text are counted apart', () => {
  const c = costTexts(preview({ recipientsFolded: 12 }), false, vi, 'vi');
  assert.equal(c.recipients, '1.234 số điện thoại (12 số nhận không dấu)');
  assert.equal(c.folded, '250 ký tự, GSM-7, 2 tin mỗi người');
  assert.equal(costTexts(preview({ recipientsFolded: 12 }), true, vi, 'vi').folded, null);
});

test('an accepted alert never says "sent" while the gateway is not configured', () => {
  const a = (over) => ({ id: 7, state: 'active', msgType: 'Alert', references: null, progress: { gatewayConfigured: true }, ...over });
  assert.equal(sentText(a(), vi), 'Đã gửi cảnh báo #7.');
  assert.equal(sentText(a({ progress: { gatewayConfigured: false } }), vi), 'Đã ghi nhận cảnh báo #7, chưa gửi: chưa cấu hình cổng SMS.');
  assert.equal(sentText(a({ msgType: 'Cancel', references: 5, progress: { gatewayConfigured: false } }), vi),
    'Đã ghi nhận tin hủy cảnh báo #5 (tin #7), chưa gửi: chưa cấu hình cổng SMS.');
  assert.equal(sentText(a({ state: 'awaiting_approval' }), vi), 'Đã lưu cảnh báo #7: đang chờ người thứ hai phê duyệt.');
});

test('how an alert ended', () => {
  assert.equal(endedText('cancelled', vi), 'đã hủy');
  assert.equal(endedText('rejected: sai xã', vi), 'bị từ chối: sai xã');
  assert.equal(endedText('rejected', vi), 'bị từ chối: —');
  assert.equal(endedText('something_new', vi), 'something_new');
});

test('a template preview: the placeholders the sender fills and those the API fills', () => {
  assert.deepEqual(placeholdersOf({ placeholders: ['communes', 'details', 'time', 'place'] }), { own: ['details', 'place'], auto: ['communes', 'time'] });
  assert.deepEqual(placeholdersOf(null), { own: [], auto: [] });
});

test('the request body of the composer', () => {
  const f = {
    status: 'Actual', msgType: 'Alert', category: 'Met', event: ' Lũ quét ', urgency: 'Immediate', severity: 'Severe', certainty: 'Likely',
    headline: 'Lũ', instruction: '', description: '  ', fold: false, references: null, templateId: '3', values: { details: ' Lên đồi ', other: 'x' },
    text: '', mode: 'circle', communes: [], polygon: [], circle: { lat: 19.05, lon: 104.8 }, radiusKm: '2,5', expires: '2026-12-02T18:00', riskLevel: '3', repeat: '60',
  };
  const b = requestBody(f, { placeholders: ['details', 'communes'] }, fromLocalInput);
  assert.equal(b.event, 'Lũ quét');
  assert.equal(b.instruction, null);
  assert.equal(b.description, null);
  assert.equal(b.templateId, 3);
  assert.deepEqual(b.values, { details: 'Lên đồi' });
  assert.deepEqual(b.circle, { lat: 19.05, lon: 104.8, radiusKm: 2.5 });
  assert.equal(b.expires, '2026-12-02T18:00:00+07:00');
  assert.equal(b.riskLevel, 3);
  assert.equal(b.repeatEveryMinutes, 60);
  assert.equal('communes' in b, false);
  const polygon = requestBody({ ...f, mode: 'polygon', polygon: [[1, 1], [2, 1], [2, 2]], templateId: 'free', text: 'Hi', expires: '', repeat: '' }, null, fromLocalInput);
  assert.deepEqual(polygon.area, { type: 'Polygon', coordinates: [[[1, 1], [2, 1], [2, 2], [1, 1]]] });
  assert.equal(polygon.text, 'Hi');
  assert.equal('expires' in polygon || 'repeatEveryMinutes' in polygon, false);
});

test('a circle ring closes on itself and keeps its radius', () => {
  const ring = circleRing({ lat: 0, lon: 0 }, 111.32);
  assert.equal(ring.length, 65);
  assert.deepEqual(ring[0].map((v) => Math.round(v * 1e6) / 1e6 + 0), [0, 1]);
  assert.deepEqual(ring[64].map((v) => Math.round(v * 1e6) / 1e6 + 0), [0, 1]);
});

test('names fold without diacritics for filtering', () => {
  assert.equal(fold('Châu Khê'), 'chau khe');
  assert.equal(fold('Đô Lương'), 'do luong');
});

test('why a typed phone number was refused, read from the number', () => {
  assert.equal(phoneRefusal('12345'), 'phoneInvalid');
  assert.equal(phoneRefusal('024 3825 1234'), 'phoneLandline');
  assert.equal(phoneRefusal('+84 24 3825 1234'), 'phoneLandline');
  assert.equal(phoneRefusal('+1 415 555 0100'), 'phoneForeign');
  assert.equal(phoneRefusal('0044 20 7946 0958'), 'phoneForeign');
  assert.equal(phoneRefusal('  '), 'phoneEmpty');
  assert.equal(phoneRefusal('1'.repeat(31)), 'phoneTooLong');
});
