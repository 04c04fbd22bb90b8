import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Drives test/interop/slixmpp_peer.py, an XEP-0096 SI peer (S5B direct/proxy, IBB iq/message) built on
 * Debian's slixmpp, for Ferry ↔ slixmpp interop tests. Each stdout line of the peer is one event:
 * ready {jid} · offer {sid,name,size,…} · accepted {sid,method} · attempt {sid,error,…} ·
 * progress {sid,bytes,size} · declined {sid,name} (receiver) · done {sid,name,size,sha256,transport,path} ·
 * failed {reason}. Exit codes: 0 done, 1 failed, 3 cannot log in, 4 timeout, 5 declined.
 */
export const SLIXMPP_PYTHON = '/usr/bin/python3'; // Debian's, which has python3-slixmpp; not pyenv's
export const SLIXMPP_PEER_SCRIPT = fileURLToPath(new URL('../interop/slixmpp_peer.py', import.meta.url));

export interface PeerEvent {
  event: string;
  [field: string]: unknown;
}

export interface SlixmppPeerOptions {
  jid: string;
  password: string;
  host?: string;
  port: number;
  /** The subcommand and its options, e.g. ['receive', '--dir', dir] or ['send', '--to', jid, file]. */
  args: string[];
  /** The peer exits by itself after this many seconds (its --timeout; default 60). */
  timeoutS?: number;
  /** The peer program (default SLIXMPP_PEER_SCRIPT; jinglePeer.ts passes test/interop/jingle_peer.py). */
  script?: string;
}

export interface SlixmppPeer {
  readonly pid: number;
  /** Every event so far, in order. */
  readonly seen: readonly PeerEvent[];
  /** Every event from the start, then the rest as they come; ends when the process exits. */
  events: AsyncIterable<PeerEvent>;
  /** The first event with that name (already seen or still to come) that `match` accepts; rejects on exit or timeout. */
  waitFor(event: string, timeoutMs?: number, match?: (e: PeerEvent) => boolean): Promise<PeerEvent>;
  /** Resolves once the process has exited and all its output was read; 128 + n for signal n. */
  exitCode: Promise<number>;
  stderr(): string;
  /** SIGTERM by PID, SIGKILL after 3 s; resolves when it is gone. */
  stop(): Promise<void>;
}

export function isSlixmppInstalled(): boolean {
  return existsSync(SLIXMPP_PYTHON) && existsSync('/usr/lib/python3/dist-packages/slixmpp');
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startSlixmppPeer(options: SlixmppPeerOptions): SlixmppPeer {
  const argv = [options.script ?? SLIXMPP_PEER_SCRIPT, '--jid', options.jid, '--password', options.password,
    '--host', options.host ?? '127.0.0.1', '--port', String(options.port), '--timeout', String(options.timeoutS ?? 60), ...options.args];
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  const child = spawn(SLIXMPP_PYTHON, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
  if (child.pid === undefined) throw new Error(`cannot start ${SLIXMPP_PYTHON}`);
  const pid = child.pid;

  const seen: PeerEvent[] = [];
  let errText = '';
  let exited = false;
  const listeners = new Set<() => void>();
  const notify = (): void => { for (const listener of [...listeners]) listener(); };

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => { errText = (errText + chunk).slice(-20_000); });
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      seen.push(JSON.parse(line) as PeerEvent);
    } catch {
      seen.push({ event: 'raw', line });
    }
    notify();
  });
  const exitCode = new Promise<number>((resolve) => {
    child.once('close', (code, signal) => {
      exited = true;
      notify();
      resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0));
    });
  });

  const describe = (): string => `events: ${seen.map((e) => JSON.stringify(e)).join('\n')}\nstderr: ${errText.slice(-2000)}`;

  const waitFor = (event: string, timeoutMs = 30_000, match: (e: PeerEvent) => boolean = () => true): Promise<PeerEvent> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = seen.find((e) => e.event === event && match(e));
        if (found) finish(() => resolve(found));
        else if (exited) finish(() => reject(new Error(`slixmpp peer ${options.jid} exited before '${event}'\n${describe()}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no '${event}' from slixmpp peer ${options.jid} within ${timeoutMs} ms\n${describe()}`))), timeoutMs);
      const finish = (settle: () => void): void => { clearTimeout(timer); listeners.delete(check); settle(); };
      listeners.add(check);
      check();
    });

  const events: AsyncIterable<PeerEvent> = {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; ; i++) {
        while (i >= seen.length && !exited) await new Promise<void>((wake) => { const once = (): void => { listeners.delete(once); wake(); }; listeners.add(once); });
        if (i >= seen.length) return;
        yield seen[i];
      }
    },
  };

  const stop = async (): Promise<void> => {
    if (exited) return;
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
    await exitCode;
    clearTimeout(timer);
  };

  return { pid, seen, events, waitFor, exitCode, stderr: () => errText, stop };
}
