import { describe, expect, it } from 'vitest';
import type { TransferId } from '../../../../../shared/model/transfer';
import { runPlan, type StartStep } from '../../../../../electron/transfer/methods/planRunner';
import type { PlanStep } from '../../../../../electron/transfer/methods/sendPlan';
import type { ServerMethod, TransferMethod } from '../../../../../electron/transfer/methods/types';
import { TransferRecord } from '../../../../../electron/transfer/transferRecord';

const peer = (name: 'si' | 'jingle', target = 'bob@x/a'): PlanStep => ({ kind: 'peer', method: { name } as TransferMethod, target, why: `${name} fits` });
const server: PlanStep = { kind: 'server', method: { name: 'http-upload' } as ServerMethod, service: { jid: 'up.x', maxFileSize: null }, to: 'bob@x', why: 'upload' };

function fileRecord(): TransferRecord {
  return new TransferRecord({
    id: 'f1' as TransferId, direction: 'outgoing', peer: 'bob@x/a',
    file: { name: 'a.bin', size: 100, mediaType: 'application/octet-stream', date: null, description: '', md5: null },
  });
}

type Script = (record: TransferRecord, signal: AbortSignal) => void;

/** Starts each step with the next script; records which steps ran. */
function scripted(scripts: Script[]): { start: StartStep; started: string[]; cancels: number[] } {
  const started: string[] = [];
  const cancels: number[] = [];
  const start: StartStep = (step, record, signal) => {
    const index = started.length;
    started.push(step.method.name);
    scripts[index]!(record, signal);
    return { done: Promise.resolve(), cancelByUser: () => { cancels.push(index); record.end('cancelled', { reason: 'cancelled' }); } };
  };
  return { start, started, cancels };
}

const fail = (reason: string): Script => (record) => { record.setState('connecting'); record.progress(40); record.end('failed', { reason }); };
const succeed: Script = (record) => { record.setMethod('http-upload', 'http'); record.setState('transferring'); record.progress(100); record.setUrl('https://up.x/a.bin'); record.end('done', { hash: 'none' }); };
const hang: Script = () => undefined;

describe('runPlan (a failed step hands over to the next; DESIGN "Methods" fallback)', () => {
  it('peer-to-peer failed on every transport → HTTP upload; the log says so and the card ends done with the link', async () => {
    const record = fileRecord();
    const { start, started } = scripted([fail('every streamhost failed'), succeed]);
    const handle = runPlan(record, [peer('jingle'), server], start, new AbortController().signal);
    await handle.done;
    expect(started).toEqual(['jingle', 'http-upload']);
    const s = record.snapshot();
    expect(s).toMatchObject({ state: 'done', method: 'http-upload', transport: 'http', url: 'https://up.x/a.bin', bytes: 100 });
    expect(s.attempts.map((a) => a.detail)).toContain('jingle failed → trying http-upload');
    expect(s.attempts.find((a) => a.detail === 'jingle failed → trying http-upload')!.reason).toBe('every streamhost failed');
    expect(s.attempts.filter((a) => a.detail.startsWith('method ')).map((a) => a.detail)).toEqual(['method jingle', 'method http-upload']);
  });

  it('a decline is final: no upload after the peer said no', async () => {
    const record = fileRecord();
    const { start, started } = scripted([(r) => r.end('declined', { reason: 'declined' }), succeed]);
    await runPlan(record, [peer('si'), server], start, new AbortController().signal).done;
    expect(started).toEqual(['si']);
    expect(record.state).toBe('declined');
  });

  it('the last step failing ends the file failed with its reason', async () => {
    const record = fileRecord();
    const { start } = scripted([fail('no SOCKS5'), fail('the upload to up.x failed: the server answered 413 Payload Too Large')]);
    await runPlan(record, [peer('si'), server], start, new AbortController().signal).done;
    expect(record.snapshot()).toMatchObject({ state: 'failed', reason: 'the upload to up.x failed: the server answered 413 Payload Too Large' });
  });

  it('a user cancel ends it cancelled, with no fallback', async () => {
    const record = fileRecord();
    const { start, started, cancels } = scripted([hang, succeed]);
    const handle = runPlan(record, [peer('jingle'), server], start, new AbortController().signal);
    handle.cancelByUser();
    await handle.done;
    expect(cancels).toEqual([0]);
    expect(started).toEqual(['jingle']);
    expect(record.state).toBe('cancelled');
  });

  it('the peer went offline during peer-to-peer: its other peer steps are skipped, the upload runs', async () => {
    const record = fileRecord();
    let aborted = false;
    const { start, started } = scripted([(_r, signal) => { signal.addEventListener('abort', () => { aborted = true; }); }, succeed]);
    const handle = runPlan(record, [peer('jingle'), peer('si', 'bob@x/b'), server], start, new AbortController().signal);
    expect(handle.peerStepTo('bob@x/a')).not.toBeNull();
    expect(handle.peerStepTo('bob@x/other')).toBeNull();
    handle.failStep('bob@x/a went offline');
    await handle.done;
    expect(aborted).toBe(true);
    expect(started).toEqual(['jingle', 'http-upload']);
    expect(record.state).toBe('done');
    expect(handle.peerStepTo('bob@x/a')).toBeNull();
  });

  it('a shutdown (the service aborts) ends the running step and the file failed, without a fallback', async () => {
    const record = fileRecord();
    const stop = new AbortController();
    const { start, started } = scripted([hang, succeed]);
    const handle = runPlan(record, [peer('jingle'), server], start, stop.signal);
    stop.abort();
    await handle.done;
    expect(started).toEqual(['jingle']);
    expect(record.snapshot()).toMatchObject({ state: 'failed', reason: 'Ferry is shutting down' });
  });

  it('progress restarts from 0 for the next step (bytes come from the wire of the step that runs)', async () => {
    const record = fileRecord();
    const seen: number[] = [];
    record.onUpdated((s) => seen.push(s.bytes));
    const { start } = scripted([fail('x'), succeed]);
    await runPlan(record, [peer('si'), server], start, new AbortController().signal).done;
    expect(seen).toContain(40);
    expect(seen.indexOf(0, seen.indexOf(40))).toBeGreaterThan(seen.indexOf(40));
    expect(record.bytes).toBe(100);
  });
});
