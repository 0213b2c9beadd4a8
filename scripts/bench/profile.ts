import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (node --cpu-prof) this summary reads. */
type CpuProfile = {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
};

export type ProfileRow = { name: string; where: string; selfMs: number; share: number };
export type ProfileSummary = { totalMs: number; functions: ProfileRow[]; modules: ProfileRow[] };

/** Microsecond window on process.hrtime's clock, which V8 profile timestamps share. */
export type Window = { fromUs: number; toUs: number };

/**
 * Self time per function and per module (package or source file) of a CPU
 * profile, optionally only the samples inside time windows, so one profile
 * of the service can be cut into its phases (restart, search load, edits).
 */
export async function summarizeProfile(file: string, windows?: Window[], top = 12): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, ProfileRow>();
  const byModule = new Map<string, ProfileRow>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (windows && !windows.some((w) => t >= w.fromUs && t <= w.toUs)) continue;
    const frame = frames.get(profile.samples[i] as number);
    if (!frame) continue;
    const ms = delta / 1000;
    total += ms;
    const where = shorten(frame.url);
    const name = frame.functionName || '(anonymous)';
    const fnKey = `${name}\u0000${where}:${frame.lineNumber + 1}`;
    add(byFunction, fnKey, name, frame.url ? `${where}:${frame.lineNumber + 1}` : '', ms);
    const module = moduleOf(frame.url, name);
    add(byModule, module, module, '', ms);
  }
  const rank = (map: Map<string, ProfileRow>) =>
    [...map.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((row) => ({ ...row, selfMs: Math.round(row.selfMs), share: total ? row.selfMs / total : 0 }));
  return { totalMs: Math.round(total), functions: rank(byFunction), modules: rank(byModule) };
}

/** The single profile node writes into `dir` (one folder per profiled process). */
export async function profileIn(dir: string): Promise<string | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const name = names.find((n) => n.endsWith('.cpuprofile'));
  return name ? path.join(dir, name) : undefined;
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [`\n${title}（采样 ${s.totalMs} ms）`, '  按模块：'];
  for (const m of s.modules) lines.push(`    ${pct(m.share)} ${String(m.selfMs).padStart(7)} ms  ${m.name}`);
  lines.push('  按函数（自身时间）：');
  for (const f of s.functions) {
    lines.push(`    ${pct(f.share)} ${String(f.selfMs).padStart(7)} ms  ${f.name}  ${f.where}`);
  }
  return lines.join('\n');
}

function add(map: Map<string, ProfileRow>, key: string, name: string, where: string, ms: number): void {
  const row = map.get(key);
  if (row) row.selfMs += ms;
  else map.set(key, { name, where, selfMs: ms, share: 0 });
}

const ROOT = `file://${process.cwd()}/`;

function shorten(url: string): string {
  return url.startsWith(ROOT) ? url.slice(ROOT.length) : url.replace(/^file:\/\//, '');
}

/** A package under node_modules, a project file, node's own code, or V8's pseudo-frames like (garbage collector). */
function moduleOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const short = shorten(url);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(short);
  if (pkg) return pkg[1] as string;
  if (short.startsWith('node:')) return 'node (internal)';
  return short;
}
