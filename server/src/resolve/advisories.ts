/**
 * GitHub's advisory database for the `actions` ecosystem (online part of `known-vulnerable-actions`):
 * `GET {api}/advisories?ecosystem=actions&affects=<owner>/<repo>&per_page=100`, parsed defensively into
 * plain data. A malformed advisory is skipped; a malformed answer is an error (and so never a finding).
 * The endpoint is heavily rate-limited without a token, so the resolver only asks with one.
 */
import type { VersionRange } from '../knowledge/advisories';
import type { HttpClient } from './http';
import { fail, ok, type Result } from './types';

export interface OnlineAdvisory {
  ghsa: string;
  cve?: string;
  severity: 'high' | 'medium' | 'low';
  summary: string;
  /** The advisory page (`html_url`), when it is an https URL. */
  url?: string;
  /** `package.name` of the vulnerability, lowercase (`owner/repo`, or `owner/repo/path`). */
  packageName: string;
  /** The range as GitHub wrote it (`>= 4.0.0, < 4.1.3`), for messages. */
  rangeText: string;
  ranges: VersionRange[];
  /** `first_patched_version` (a version, not necessarily a tag name), when given. */
  firstPatched?: string;
}

const GHSA_RE = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;
const CVE_RE = /^CVE-\d{4}-\d{4,}$/;
const VERSION_RE = /^v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?$/;

/**
 * `vulnerable_version_range` → ranges: `< 46.0.1`, `<= 2.0.1`, `>= 4.0.0, < 4.1.3`, `> 1.0`, `= 1.2.3`
 * (or a bare `1.2.3`). Null when any part is not understood: an unreadable range never matches.
 */
export function parseVersionRange(text: unknown): VersionRange[] | null {
  if (typeof text !== 'string') return null;
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0 || parts.length > 2) return null;
  const range: VersionRange = {};
  for (const part of parts) {
    const match = /^(>=|<=|>|<|=|==)?\s*(\S+)$/.exec(part);
    if (!match || !VERSION_RE.test(match[2])) return null;
    const version = match[2];
    switch (match[1] ?? '=') {
      case '>=':
        if (range.introduced !== undefined) return null;
        range.introduced = version;
        break;
      case '>':
        if (range.introduced !== undefined) return null;
        range.introduced = version;
        range.introducedExclusive = true;
        break;
      case '<':
        if (range.fixed !== undefined || range.lastAffected !== undefined) return null;
        range.fixed = version;
        break;
      case '<=':
        if (range.fixed !== undefined || range.lastAffected !== undefined) return null;
        range.lastAffected = version;
        break;
      default:
        if (parts.length !== 1) return null;
        range.introduced = version;
        range.lastAffected = version;
    }
  }
  return [range];
}

function severityOf(value: unknown): OnlineAdvisory['severity'] {
  if (value === 'critical' || value === 'high') return 'high';
  if (value === 'low') return 'low';
  return 'medium';
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The advisories of an answer that name `owner/repo` (or one of its paths) in the `actions` ecosystem. */
export function parseAdvisories(body: unknown, owner: string, repo: string): Result<OnlineAdvisory[]> {
  if (!Array.isArray(body)) return fail('malformed', `the advisory database sent a malformed answer for ${owner}/${repo}`);
  const repository = `${owner}/${repo}`.toLowerCase();
  const found: OnlineAdvisory[] = [];
  for (const item of body) {
    if (!isRecord(item)) continue;
    const ghsa = item.ghsa_id;
    if (typeof ghsa !== 'string' || !GHSA_RE.test(ghsa)) continue;
    if (item.withdrawn_at !== null && item.withdrawn_at !== undefined) continue;
    const cve = typeof item.cve_id === 'string' && CVE_RE.test(item.cve_id) ? item.cve_id : undefined;
    const url = typeof item.html_url === 'string' && /^https:\/\/\S+$/.test(item.html_url) ? item.html_url : undefined;
    const summary =
      typeof item.summary === 'string' && item.summary.trim() !== ''
        ? item.summary.trim().replace(/\s+/g, ' ').slice(0, 200)
        : 'a published advisory';
    if (!Array.isArray(item.vulnerabilities)) continue;
    for (const vulnerability of item.vulnerabilities) {
      if (!isRecord(vulnerability) || !isRecord(vulnerability.package)) continue;
      const ecosystem = vulnerability.package.ecosystem;
      const name = vulnerability.package.name;
      if ((ecosystem !== undefined && ecosystem !== 'actions') || typeof name !== 'string') continue;
      const packageName = name.trim().toLowerCase();
      if (packageName !== repository && !packageName.startsWith(`${repository}/`)) continue;
      const ranges = parseVersionRange(vulnerability.vulnerable_version_range);
      if (!ranges) continue;
      const patched = vulnerability.first_patched_version;
      const patchedText =
        typeof patched === 'string'
          ? patched
          : isRecord(patched) && typeof patched.identifier === 'string'
            ? patched.identifier
            : undefined;
      const advisory: OnlineAdvisory = {
        ghsa,
        severity: severityOf(item.severity),
        summary,
        packageName,
        rangeText: (vulnerability.vulnerable_version_range as string).trim(),
        ranges,
      };
      if (cve) advisory.cve = cve;
      if (url) advisory.url = url;
      if (patchedText && VERSION_RE.test(patchedText.trim())) advisory.firstPatched = patchedText.trim();
      found.push(advisory);
    }
  }
  return ok(found);
}

/** One request: the reviewed advisories of the `actions` ecosystem that affect `owner/repo`. */
export async function fetchAdvisories(http: HttpClient, owner: string, repo: string): Promise<Result<OnlineAdvisory[]>> {
  const path = `/advisories?ecosystem=actions&affects=${encodeURIComponent(`${owner}/${repo}`)}&per_page=100`;
  const response = await http.request('api', path, {
    auth: 'bearer',
    headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
  });
  if (!response.ok) return response;
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(response.value.body));
  } catch {
    return fail('malformed', `${http.api.host} sent malformed JSON for the advisories of ${owner}/${repo}`);
  }
  return parseAdvisories(body, owner, repo);
}
