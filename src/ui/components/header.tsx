import { Box, Text } from 'ink';

export function Header({
  title,
  right,
  width,
}: {
  readonly title: string;
  readonly right?: string;
  readonly width: number;
}) {
  const r = right ?? '';
  const used = 'kubesup-tui · '.length + title.length;
  const space = Math.max(1, width - used - r.length);
  return (
    <Box>
      <Text bold>kubesup-tui</Text>
      <Text> · {title}</Text>
      <Text>{' '.repeat(space)}</Text>
      <Text dimColor>{r.slice(0, Math.max(0, width - used - 1))}</Text>
    </Box>
  );
}
