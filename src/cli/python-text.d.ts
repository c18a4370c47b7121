/** A Python source imported as its text (see agent-sources.ts). */
declare module '*.py' {
  const text: string;
  export default text;
}
