// @ts-nocheck  (temporary: the alerts feature is being split into modules here)
import { useStrings } from '../shared/i18n.js';
export { initAlerts } from '../alerts.js';
const ALERTS_STRINGS = { vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url) };
export const loadAlertsStrings = () => useStrings(ALERTS_STRINGS, ['vi']);
