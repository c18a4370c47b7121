/**
 * The migration plan's shape: every file to write (with what is there now) and every step, in order. The
 * journal holds this object; older journals are read through journal.ts's upgrade.
 */
import type { HealthCheck } from '../../health/service-health.js';
import type { UnitLink } from '../../systemd/unit-links.js';
import type { AgentProgram } from './agent.js';
import type { ExpectedRun } from './run-check.js';

/** 'kubelet-guard' in journals of older versions is a 'unit-guard'. */
export type FileRole =
  | 'wrapper'
  | 'program'
  | 'supervisor-dropin'
  | 'unit-guard'
  | 'kubelet-guard'
  | 'supervisor-config'
  /** The unit's systemd face (face.ts): its script and its drop-in. */
  | 'face-helper'
  | 'face-dropin'
  /** The resident agent (agent-files.ts): its sources, settings and [eventlistener], shared by moved units... */
  | 'agent-source'
  | 'agent-config'
  | 'agent-listener'
  /** ... and this unit's own part of its settings (agent.d/<program>.json). */
  | 'agent-program';

export interface PlannedFile {
  readonly path: string;
  readonly role: FileRole;
  readonly content: string;
  readonly mode: number;
  /** What is there now; null when the file is new. */
  readonly before: string | null;
  readonly why: string;
}

export type PlanStep =
  | {
      readonly id: string;
      readonly kind: 'install-supervisor';
      readonly title: string;
      readonly command: readonly string[];
    }
  | { readonly id: string; readonly kind: 'mkdir'; readonly title: string; readonly path: string }
  | { readonly id: string; readonly kind: 'write'; readonly title: string; readonly path: string }
  | {
      readonly id: string;
      readonly kind: 'systemctl';
      readonly title: string;
      readonly args: readonly string[];
      readonly okExitCodes?: readonly number[];
    }
  | { readonly id: string; readonly kind: 'supervisor-reread'; readonly title: string }
  /** 'stop-systemd-kubelet' in journals of older versions. */
  | { readonly id: string; readonly kind: 'stop-systemd-unit' | 'stop-systemd-kubelet'; readonly title: string }
  | { readonly id: string; readonly kind: 'supervisor-add'; readonly title: string }
  | { readonly id: string; readonly kind: 'supervisor-start-unit'; readonly title: string }
  | { readonly id: string; readonly kind: 'verify'; readonly title: string }
  /** Several planned files, each written as a `write` step writes one (the agent's: one line, not eleven). */
  | {
      readonly id: string;
      readonly kind: 'write-files';
      readonly title: string;
      readonly paths: readonly string[];
    }
  /** The agent's sources compiled by supervisord's Python (each start of the agent then compiles nothing). */
  | { readonly id: string; readonly kind: 'agent-compile'; readonly title: string; readonly command: readonly string[] }
  /** The agent's listener added to supervisord, or restarted to read this unit's settings. */
  | { readonly id: string; readonly kind: 'agent-start'; readonly title: string }
  /** Files copied as they are (the tool's own copy, tool-copy.ts): too big for the plan and the journal. */
  | {
      readonly id: string;
      readonly kind: 'copy-files';
      readonly title: string;
      readonly copies: readonly { readonly from: string; readonly path: string }[];
    };

export interface Plan {
  readonly version: 1;
  readonly createdAt: string;
  readonly tool: string;
  readonly program: string;
  readonly argv: string[];
  readonly files: PlannedFile[];
  readonly steps: PlanStep[];
  readonly supervisor: {
    readonly unit: string;
    readonly config: string;
    readonly programFile: string;
    readonly url: string | null;
    readonly wasRunning: boolean;
    readonly wasEnabled: boolean;
    readonly installed: boolean;
  };
  /** The unit moved under supervisord (kubelet.service, containerd.service, ...) and how it was. */
  readonly service: {
    readonly unit: string;
    readonly wasActive: boolean;
    readonly wasEnabled: boolean;
    readonly mask: boolean;
    /** The unit stays, as the face of the supervised program (face.ts); absent in older journals. */
    readonly face?: boolean;
    /** How its health is told: verify, rollback and the healthz gap use it. */
    readonly health: HealthCheck;
    /** The unit files and env files the argv came from, to notice drift later. */
    readonly sources: string[];
    /** The unit's enable links before the migration (absent in journals of older versions). */
    readonly links?: UnitLink[];
    /** How systemd ran it, to be found again in /proc after the migration (absent in older journals). */
    readonly expect?: ExpectedRun;
  };
  /** What the resident agent does for the program (absent in older journals and without the agent). */
  readonly agent?: AgentProgram;
  /** How systemd ran the process and what carries each setting over (absent in older journals). */
  readonly carried?: string[];
  readonly warnings: string[];
}
