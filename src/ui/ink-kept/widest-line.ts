/**
 * Ink's import of widest-line, bundled in its place (scripts/ink-kept.json): the library's answer, kept. Ink
 * asks it of every text on the screen at every frame, though beside a logging kubelet one row changed.
 */
import widestLineAnew from 'widest-line';
import { kept } from './kept.js';

export default kept(2048, widestLineAnew);
