// Revoke's Teams icons, drawn as a "no entry" sign over a key: the colour icon on the accent
// colour, the outline icon in white on transparency, as Teams requires
// (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package).
import type { RgbaImage } from './png';

export const ACCENT_COLOR = '#C4314B';
const ACCENT: readonly [number, number, number] = [0xc4, 0x31, 0x4b];
const WHITE: readonly [number, number, number] = [0xff, 0xff, 0xff];

/** Signed coverage test in a unit square [-1, 1]²: is this point part of the glyph? */
function inGlyph(x: number, y: number, stroke: number): boolean {
  const r = Math.hypot(x, y);
  const ring = r <= 0.86 && r >= 0.86 - stroke;
  // The bar runs from top-left to bottom-right inside the ring.
  const bar = Math.abs(x - y) / Math.SQRT2 <= stroke / 2 && r <= 0.86 - stroke / 2;
  // A key: a bow (small ring) at the lower left and a shaft with a bit towards the upper right,
  // drawn thin so the bar stays the dominant shape.
  // It lies across the bar (along the other diagonal), with a gap either side of the bar.
  const kx = (x - y) / Math.SQRT2;
  const ky = (x + y) / Math.SQRT2;
  const bowR = Math.hypot(kx + 0.36, ky);
  const bow = bowR <= 0.22 && bowR >= 0.22 - stroke * 0.7;
  const shaft = kx >= -0.14 && kx <= 0.52 && Math.abs(ky) <= stroke * 0.35;
  const bit = kx >= 0.34 && kx <= 0.52 && ky >= 0 && ky <= 0.2;
  const gap = Math.abs(x - y) / Math.SQRT2 <= stroke;
  return ring || bar || (!gap && (bow || shaft || bit));
}

/** Draws the glyph with 4×4 supersampling so edges are smooth at 32 px. */
function draw(
  size: number,
  margin: number,
  stroke: number,
  background: readonly [number, number, number] | undefined,
): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  const inner = size - 2 * margin;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px - margin + (sx + 0.5) / samples) / inner) * 2 - 1;
          const y = ((py - margin + (sy + 0.5) / samples) / inner) * 2 - 1;
          if (inGlyph(x, y, stroke)) hits++;
        }
      }
      const coverage = hits / (samples * samples);
      const i = (py * size + px) * 4;
      if (background) {
        for (let c = 0; c < 3; c++) {
          const bg = background[c] as number;
          pixels[i + c] = Math.round(bg + ((WHITE[c] as number) - bg) * coverage);
        }
        pixels[i + 3] = 255;
      } else {
        pixels[i] = pixels[i + 1] = pixels[i + 2] = 255;
        pixels[i + 3] = Math.round(255 * coverage);
      }
    }
  }
  return { width: size, height: size, pixels };
}

/** 192×192, full colour; Teams crops it to a rounded square, so the glyph keeps a margin. */
export function colorIcon(): RgbaImage {
  return draw(192, 36, 0.16, ACCENT);
}

/** 32×32, white on transparent only. */
export function outlineIcon(): RgbaImage {
  return draw(32, 2, 0.2, undefined);
}
