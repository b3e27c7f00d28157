// Globals of the pages: MapLibre GL JS, loaded by a classic <script> before the modules.
declare const maplibregl: any;
