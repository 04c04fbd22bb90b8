import { methodFallbackDetail, type TransferSummary } from '../../../shared/model/transfer';
import { TransferRecord } from '../transferRecord';
import type { PlanStep } from './sendPlan';
import type { OutgoingHandle } from './types';

/** Starts one step of a plan on its own record (the step's methods see only that one). */
export type StartStep = (step: PlanStep, record: TransferRecord, signal: AbortSignal) => OutgoingHandle;

/** A running plan, as the service sees it. */
export interface PlanHandle extends OutgoingHandle {
  /**
   * The record of the running step when it is a peer-to-peer step to `jid` (its presence matters to it), so
   * the service can apply its went-offline rules to it; null otherwise (an upload goes on when the peer leaves).
   */
  peerStepTo(jid: string): TransferRecord | null;
  /** Ends the running step failed with `reason` and stops it; the plan moves on to an upload when it has one. */
  failStep(reason: string): void;
}

const STEP_FIELDS_COPIED = ['bytes', 'rate', 'etaSeconds', 'resumedFrom'] as const;

/**
 * Runs a send plan for one file: each step on a fresh record of its own whose changes show on the file's
 * record (the one the user sees); a step that fails hands over to the next, in the log ("… failed → trying
 * http-upload"); done, declined and cancelled are final, and so is any end once the user cancelled or the
 * service stopped. After a peer went offline, only the server-stored steps are left to try.
 */
export function runPlan(record: TransferRecord, steps: readonly PlanStep[], start: StartStep, signal: AbortSignal, options: { failureHint?: string } = {}): PlanHandle {
  let index = -1;
  interface Running { step: PlanStep; record: TransferRecord; handle: OutgoingHandle | null; abort: AbortController }
  let current: Running | null = null;
  let isStopped = false;
  let skipPeerSteps = false;
  let settle!: () => void;
  const done = new Promise<void>((resolve) => { settle = resolve; });
  const finish = (summary: TransferSummary): void => {
    const hint = summary.state === 'failed' && options.failureHint ? ` (${options.failureHint})` : '';
    record.end(summary.state as 'done' | 'failed' | 'cancelled' | 'declined', {
      reason: summary.reason === null ? undefined : summary.reason + hint, path: summary.path ?? undefined, sha256: summary.sha256 ?? undefined, hash: summary.hash,
    });
    settle();
  };

  const next = (): void => {
    index += 1;
    while (index < steps.length && skipPeerSteps && steps[index]!.kind === 'peer') index += 1;
    const step = steps[index]!;
    const child = new TransferRecord({
      id: record.id, direction: 'outgoing', peer: step.kind === 'peer' ? step.target : step.to, file: record.file,
      batchId: record.snapshot().batchId, path: record.snapshot().path,
    });
    let mirrored = 0;
    const running: Running = { step, record: child, abort: new AbortController(), handle: null };
    current = running;
    child.onUpdated((summary) => {
      for (const attempt of summary.attempts.slice(mirrored)) record.log(attempt);
      mirrored = summary.attempts.length;
      if (summary.state === 'done' || summary.state === 'failed' || summary.state === 'cancelled' || summary.state === 'declined') {
        onStepEnded(running, summary);
        return;
      }
      mirror(summary);
    });
    child.setMethod(step.method.name, null);
    child.log({ method: step.method.name, transport: null, detail: `method ${step.method.name}`, outcome: 'started', reason: step.why });
    // A step may end before start returns (a file it cannot read): onStepEnded then runs from inside start.
    running.handle = start(step, child, running.abort.signal);
  };

  const mirror = (summary: TransferSummary): void => {
    record.setState(summary.state as Parameters<TransferRecord['setState']>[0]);
    const shown = record.snapshot();
    if (shown.method !== summary.method || shown.transport !== summary.transport) {
      if (summary.method) record.setMethod(summary.method, summary.transport);
    }
    if (summary.url && shown.url !== summary.url) record.setUrl(summary.url);
    if (STEP_FIELDS_COPIED.some((field) => shown[field] !== summary[field])) {
      if (summary.resumedFrom !== shown.resumedFrom) record.setResumedFrom(summary.resumedFrom ?? 0);
      record.progress(summary.bytes);
    }
  };

  const hasNext = (): boolean => steps.slice(index + 1).some((s) => !skipPeerSteps || s.kind === 'server');

  const onStepEnded = (ended: Running, summary: TransferSummary): void => {
    if (ended !== current) return;
    if (summary.url) record.setUrl(summary.url);
    if (summary.method) record.setMethod(summary.method, summary.transport);
    if (summary.state !== 'failed' || isStopped || !hasNext()) { finish(summary); return; }
    const following = steps.slice(index + 1).find((s) => !skipPeerSteps || s.kind === 'server')!;
    record.log({
      method: ended.step.method.name, transport: summary.transport, outcome: 'failed', reason: summary.reason ?? 'failed',
      detail: methodFallbackDetail(ended.step.method.name, following.method.name),
    });
    record.restartForFallback();
    // The ended step may still be releasing its sockets; the next one starts at once beside it.
    next();
  };

  signal.addEventListener('abort', () => {
    isStopped = true;
    // The service stops every transfer (shutdown): the step's record ends here, and the file's with it.
    current?.record.end('failed', { reason: 'Ferry is shutting down' });
    current?.abort.abort();
  }, { once: true });
  next();
  return {
    done,
    cancelByUser() {
      isStopped = true;
      current?.handle?.cancelByUser();
    },
    peerStepTo(jid) {
      return current && current.step.kind === 'peer' && current.step.target === jid && !current.record.isEnded ? current.record : null;
    },
    failStep(reason) {
      if (!current || current.record.isEnded) return;
      skipPeerSteps = true;
      const stopping = current;
      stopping.record.end('failed', { reason });
      stopping.abort.abort();
    },
  };
}
