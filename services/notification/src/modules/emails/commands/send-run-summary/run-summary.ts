import { RunState, type Run } from '@idsync/contracts';

const headline: Partial<Record<RunState, string>> = {
  [RunState.COMPLETED]: 'completed',
  [RunState.FAILED]: 'failed',
  [RunState.AWAITING_REVIEW]: 'stopped by a threshold, review needed',
};

/** The text of a run summary email: what happened, the counters, and what to do next. */
export function runSummary(run: Run, portalUrl: string): { subject: string; text: string } {
  const what = headline[run.state] ?? RunState[run.state].toLowerCase();
  const c = run.counters;
  const lines = [
    `Job:        ${run.job?.name ?? run.jobId} (version ${run.jobVersion})`,
    `Run:        ${run.id}`,
    `Started by: ${run.requestedBy}`,
    `Outcome:    ${what}`,
    run.reason ? `Why:        ${run.reason}` : '',
    run.error ? `Error:      ${run.error.code}: ${run.error.message}` : '',
    '',
    `Read ${c?.read ?? 0} · created ${c?.created ?? 0} · updated ${c?.updated ?? 0} · deleted ${c?.deleted ?? 0} · disabled ${c?.disabled ?? 0} · unchanged ${c?.unchanged ?? 0} · failed ${c?.failed ?? 0}`,
    '',
    run.state === RunState.AWAITING_REVIEW
      ? `Nothing was written. Review the plan and resume or cancel: ${portalUrl}/api/runs/${run.id}/plan`
      : `Details: ${portalUrl}/api/runs/${run.id}`,
  ];
  return { subject: `[idsync] ${run.job?.name ?? run.jobId}: run ${what}`, text: lines.filter((l, i) => l !== '' || i > 5).join('\n') + '\n' };
}
