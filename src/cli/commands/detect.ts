/** `kubesup-tui detect`: how kubelet is started today. */
import { detect } from '../../core/detect/detect.js';
import type { Host } from '../../core/host.js';
import { type CliOptions, supervisorOverrides } from '../args.js';
import { formatDetection } from '../format/detection.js';

export async function runDetect(host: Host, options: CliOptions, out: (text: string) => void): Promise<number> {
  const detection = await detect(host, { program: options.program, supervisor: supervisorOverrides(options) });
  const warnings = host.isRoot
    ? detection.warnings
    : ['not running as root: parts of /proc and of the unit files may be unreadable', ...detection.warnings];
  const report = { ...detection, warnings };
  out(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatDetection(report, process.stdout.columns || 100));
  if (report.argv.length === 0) {
    process.stderr.write(`kubesup-tui: ${report.refusal ?? 'no kubelet command line found'}\n`);
    return 1;
  }
  return 0;
}
