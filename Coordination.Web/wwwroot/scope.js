// @ts-check
// The scope rules moved to shared/scope.js; offices.js and floods.js still import them from here.
export { actsFor, onScope } from './shared/scope.js';
