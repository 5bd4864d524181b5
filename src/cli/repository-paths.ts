/**
 * Paths for the readers CI hands a report to. GitHub code scanning resolves SARIF URIs, and the runner annotation
 * files and the step summary, from the repository root; in one package of a monorepo the package's folder goes before
 * each project-relative path. Shared by `check` and `verify`.
 */
import type { ReportFormat, ReportInput } from '../report/index.js';
import { underFolder } from '../report/index.js';
import { folderInRepository } from '../project/root.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The report in `format`, and the step summary to append (under GitHub Actions with `GITHUB_STEP_SUMMARY`), with their paths. */
export interface CiReportInputs {
  /** What `format` renders: paths from the repository root for `sarif` and `github`, else from the project root. */
  readonly report: ReportInput;
  /** The file to append the step summary to and what it lists, or null outside GitHub Actions. */
  readonly summary: { readonly file: string; readonly input: ReportInput } | null;
}

/** See {@link CiReportInputs}; asks git where `root` lies only when a reader needs it. */
export async function ciReportInputs(input: ReportInput, format: ReportFormat, root: string, env: Env): Promise<CiReportInputs> {
  const summaryFile = env['GITHUB_ACTIONS'] === 'true' ? env['GITHUB_STEP_SUMMARY'] : undefined;
  const fromRoot = format === 'sarif' || format === 'github';
  if (!fromRoot && (summaryFile === undefined || summaryFile === '')) return { report: input, summary: null };
  const located = underFolder(input, await folderInRepository(root, env));
  return { report: fromRoot ? located : input, summary: summaryFile === undefined || summaryFile === '' ? null : { file: summaryFile, input: located } };
}
