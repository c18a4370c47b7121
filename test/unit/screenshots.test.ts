// The README's pictures are the screen: each PNG is drawn from the tmux capture kept beside it, through a
// terminal emulator, and its text is the text tmux showed. Redrawn here, it is the same picture.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { falseLines } from '../helpers/screen-truth.js';
import { FONT_FILES, playCapture, screenSvg, screenText, svgToPng } from '../helpers/terminal-picture.js';
import { REPO_ROOT } from '../node/test-node.js';

const DIR = path.join(REPO_ROOT, 'screenshots');
const pictures = fs.readdirSync(DIR).filter((f) => f.endsWith('.png'));
const fontDigest = () =>
  crypto
    .createHash('sha256')
    .update(Buffer.concat(FONT_FILES.map((f) => fs.readFileSync(f))))
    .digest('hex');

describe('screenshots', () => {
  it('there are pictures, each with its capture and its text', () => {
    expect(pictures.length).toBeGreaterThanOrEqual(8);
    for (const png of pictures) {
      expect(fs.existsSync(path.join(DIR, png.replace(/\.png$/, '.ansi'))), png).toBe(true);
      expect(fs.existsSync(path.join(DIR, png.replace(/\.png$/, '.txt'))), png).toBe(true);
    }
  });

  for (const png of pictures) {
    it(`${png}: its text is the screen's, says nothing false, and it is drawn from its capture`, async () => {
      const base = path.join(DIR, png.replace(/\.png$/, ''));
      const term = await playCapture(fs.readFileSync(`${base}.ansi`, 'utf8'), 100, 30);
      const text = fs.readFileSync(`${base}.txt`, 'utf8');
      expect(screenText(term)).toBe(text);
      expect(falseLines(text)).toEqual([]);
      const drawn = svgToPng(screenSvg(term));
      const kept = fs.readFileSync(`${base}.png`);
      // Same size always; the same bytes where the font is the one they were drawn with.
      expect(kept.readUInt32BE(16)).toBe(drawn.readUInt32BE(16));
      expect(kept.readUInt32BE(20)).toBe(drawn.readUInt32BE(20));
      if (fontDigest() === fs.readFileSync(path.join(DIR, 'FONT.sha256'), 'utf8').trim())
        expect(drawn.equals(kept)).toBe(true);
    });
  }

  it('the cast is an asciicast v2 of a real run: the wizard, the crash, the summary', () => {
    const lines = fs.readFileSync(path.join(DIR, 'session.cast'), 'utf8').trim().split('\n');
    const header = JSON.parse(lines[0] as string);
    expect(header).toMatchObject({ version: 2, width: 100, height: 30 });
    const events = lines.slice(1).map((l) => JSON.parse(l) as [number, string, string]);
    const times = events.map((e) => e[0]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const text = events.map((e) => e[2]).join('');
    for (const seen of ['1 detect', '[program:kubelet]', 'SIGKILL', 'kubesup-tui: kubelet runs under supervisord'])
      expect(text).toContain(seen);
  });
});
