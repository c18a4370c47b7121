/** `kubesup-tui detect`: how kubelet is started today. */
import { detect, KUBELET_UNIT } from '../../core/detect/detect.js';
import { detectUnit } from '../../core/detect/detect-unit.js';
import type { Host } from '../../core/host.js';
import { escapeControls } from '../../core/text.js';
import { type CliOptions, supervisorOverrides } from '../args.js';
import { formatDetection, formatUnitDetection } from '../format/detection.js';
import { kubeletDriftWarning } from '../kubelet-drift.js';

export async function runDetect(host: Host, options: CliOptions, out: (text: string) => void): Promise<number> {
  if (options.unit !== KUBELET_UNIT) return runDetectUnit(host, options, out);
  const detection = await detect(host, { program: options.program, supervisor: supervisorOverrides(options) });
  const drift = await kubeletDriftWarning(host);
  const found = drift ? [drift, ...detection.warnings] : detection.warnings;
  const warnings = host.isRoot
    ? found
    : ['not running as root: parts of /proc and of the unit files may be unreadable', ...found];
  const report = { ...detection, warnings };
  out(
    options.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : escapeControls(formatDetection(report, process.stdout.columns || 100)),
  );
  if (report.argv.length === 0) {
    process.stderr.write(`kubesup-tui: ${report.refusal ?? 'no kubelet command line found'}\n`);
    return 1;
  }
  return 0;
}

/** `detect --unit NAME`: any other critical unit (containerd, etcd, ...). */
async function runDetectUnit(host: Host, options: CliOptions, out: (text: string) => void): Promise<number> {
  const detection = await detectUnit(host, options.unit, {
    program: options.program,
    supervisor: supervisorOverrides(options),
    ...(options.healthUrl ? { healthUrl: options.healthUrl } : {}),
  });
  const warnings = host.isRoot
    ? detection.warnings
    : ['not running as root: parts of /proc and of the unit files may be unreadable', ...detection.warnings];
  const report = { ...detection, warnings };
  out(options.json ? `${JSON.stringify(report, null, 2)}\n` : escapeControls(formatUnitDetection(report)));
  if (report.argv.length === 0) {
    process.stderr.write(`kubesup-tui: ${report.refusal ?? `no command line found for ${report.unit}`}\n`);
    return 1;
  }
  return 0;
}
