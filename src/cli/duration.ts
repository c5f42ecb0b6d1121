// Durations on the command line, as kubectl takes them: `30s`, `5m`, `1h30m`, `500ms`; a bare
// number is seconds. `0` means no limit where a verb says so.
import { UsageError } from './args.js';

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of `text`. @throws UsageError naming the flag. */
export function parseDuration(text: string, flag: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`invalid duration ${JSON.stringify(text)} for ${flag}: use e.g. 30s, 5m, 1h30m`);
  }
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * (units[p[2] as string] as number), 0));
}

/** kubectl's short age: 45s, 3m12s, 25m, 4h5m, 2d3h, 40d, 2y10d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  return years < 8 ? `${years}y${days % 365}d` : `${years}y`;
}
