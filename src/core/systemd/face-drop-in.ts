/**
 * The drop-in kubesup-tui writes to turn a migrated unit into the systemd face of its supervised program
 * (see migration/plan/face.ts). It is kubesup-tui's, not the unit's: what the unit says, and what systemd
 * would run once it is gone, is read without it.
 */
export const FACE_DROP_IN = 'zz-kubesup-tui-face.conf';
