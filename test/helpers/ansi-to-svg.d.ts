declare module 'ansi-to-svg' {
  export default function ansiToSvg(ansi: string, options?: Record<string, unknown>): string;
}
