// Globals of the pages: MapLibre GL JS and the PMTiles reader, classic scripts map/view.js loads.
declare const maplibregl: any;
declare const pmtiles: any;
