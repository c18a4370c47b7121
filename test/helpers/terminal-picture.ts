/**
 * Pictures of a terminal that look like the terminal: a tmux capture (with its escapes) is played into a
 * real terminal emulator (xterm.js, headless), and the emulator's cells are drawn cell by cell as SVG, then
 * rasterised to PNG by resvg with a fixed monospace font. An attribute reset, a colour, a border lands where
 * the terminal put it; and the picture's text can be checked against the capture's.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

// @xterm/headless is CommonJS with no ESM entry.
const { Terminal } = createRequire(import.meta.url)('@xterm/headless') as typeof import('@xterm/headless');
type Term = InstanceType<typeof Terminal>;

/** Debian's DejaVu Sans Mono (fonts-dejavu-core): every box-drawing and symbol glyph the screens use. */
export const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
export const FONT_FILES = ['DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf'].map((f) => `${FONT_DIR}/${f}`);

const FONT_SIZE = 14;
/** DejaVu Sans Mono's advance is 1233/2048 of an em. */
const CELL_W = (FONT_SIZE * 1233) / 2048;
const CELL_H = 18;
const PAD = 10;
const BG = '#101418';
const FG = '#d3d7cf';

// The 16 ANSI colours (Tango, as many terminals), then the 6x6x6 cube and the grey ramp of xterm-256.
const ANSI16 = [
  '#2e3436',
  '#cc0000',
  '#4e9a06',
  '#c4a000',
  '#3465a4',
  '#75507b',
  '#06989a',
  '#d3d7cf',
  '#555753',
  '#ef2929',
  '#8ae234',
  '#fce94f',
  '#729fcf',
  '#ad7fa8',
  '#34e2e2',
  '#eeeeec',
];
function palette(i: number): string {
  if (i < 16) return ANSI16[i] as string;
  if (i < 232) {
    const n = i - 16;
    const v = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return rgb(v(Math.floor(n / 36)), v(Math.floor(n / 6) % 6), v(n % 6));
  }
  const g = 8 + (i - 232) * 10;
  return rgb(g, g, g);
}
const rgb = (r: number, g: number, b: number) => `#${[r, g, b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;

/** The capture played into an emulator of the same size. */
export async function playCapture(ansi: string, columns: number, rows: number): Promise<Term> {
  const term = new Terminal({ cols: columns, rows, convertEol: true, allowProposedApi: true });
  // tmux ends the capture's lines with \n; the last line must not scroll the screen.
  await new Promise<void>((resolve) => term.write(ansi.replace(/\n$/, ''), resolve));
  return term;
}

/** The emulator's screen as text, trailing spaces and blank lines dropped: comparable with `capture-pane -p`. */
export function screenText(term: Term): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < term.rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
  return `${lines.join('\n').replace(/\s+$/, '')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Style {
  fg: string;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  underline: boolean;
}

/** Each cell drawn where the terminal put it: background runs as rectangles, glyphs at their column. */
export function screenSvg(term: Term): string {
  const buffer = term.buffer.active;
  const width = Math.ceil(term.cols * CELL_W + 2 * PAD);
  const height = term.rows * CELL_H + 2 * PAD;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="${BG}"/>`,
    `<g font-family="DejaVu Sans Mono" font-size="${FONT_SIZE}" xml:space="preserve">`,
  ];
  const cell = term.buffer.active.getNullCell();
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    if (!line) continue;
    const top = PAD + y * CELL_H;
    const baseline = top + CELL_H - 5;
    // Backgrounds first, one rectangle per run of a colour (cell by cell, anti-aliasing draws seams).
    let run: { from: number; to: number; bg: string } | null = null;
    const flush = () => {
      if (!run) return;
      const left = Math.round(PAD + run.from * CELL_W);
      const right = Math.round(PAD + run.to * CELL_W);
      out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${CELL_H}" fill="${run.bg}"/>`);
      run = null;
    };
    const glyphs: string[] = [];
    for (let x = 0; x < term.cols; x++) {
      line.getCell(x, cell);
      const w = cell.getWidth();
      if (w === 0) continue;
      const style = styleOf(cell);
      if (style.bg && run?.bg === style.bg && run.to === x) run.to = x + w;
      else {
        flush();
        if (style.bg) run = { from: x, to: x + w, bg: style.bg };
      }
      const left = PAD + x * CELL_W;
      const ch = cell.getChars();
      if (ch && ch !== ' ') {
        const bold = style.bold ? ' font-weight="bold"' : '';
        const dim = style.dim ? ' fill-opacity="0.6"' : '';
        glyphs.push(`<text x="${left.toFixed(2)}" y="${baseline}" fill="${style.fg}"${bold}${dim}>${esc(ch)}</text>`);
      }
      if (style.underline) {
        glyphs.push(
          `<rect x="${left.toFixed(2)}" y="${baseline + 2}" width="${CELL_W.toFixed(2)}" height="1" ` +
            `fill="${style.fg}"/>`,
        );
      }
    }
    flush();
    out.push(...glyphs);
  }
  out.push('</g></svg>');
  return out.join('\n');
}

function styleOf(cell: NonNullable<ReturnType<Term['buffer']['active']['getNullCell']>>): Style {
  const colour = (mode: 'fg' | 'bg'): string | null => {
    const isDefault = mode === 'fg' ? cell.isFgDefault() : cell.isBgDefault();
    if (isDefault) return null;
    const value = mode === 'fg' ? cell.getFgColor() : cell.getBgColor();
    const isRgb = mode === 'fg' ? cell.isFgRGB() : cell.isBgRGB();
    return isRgb ? rgb((value >> 16) & 255, (value >> 8) & 255, value & 255) : palette(value);
  };
  let fg = colour('fg') ?? FG;
  let bg = colour('bg');
  if (cell.isInverse()) [fg, bg] = [bg ?? BG, fg];
  return { fg, bg, bold: cell.isBold() !== 0, dim: cell.isDim() !== 0, underline: cell.isUnderline() !== 0 };
}

/** The picture, rasterised with the fixed font only (no system fonts: the same picture on every machine). */
export function svgToPng(svg: string): Buffer {
  const missing = FONT_FILES.filter((f) => !fs.existsSync(f));
  if (missing.length) throw new Error(`missing font ${missing.join(', ')} (Debian: apt-get install fonts-dejavu-core)`);
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans Mono' },
  });
  return Buffer.from(resvg.render().asPng());
}
