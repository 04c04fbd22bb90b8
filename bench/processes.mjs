// Runs Ferry CLI (or the slixmpp peer) processes for the benchmark, reads their JSON lines with the time
// each arrived, and samples their peak RSS (VmHWM) from /proc while they run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
export const FERRY = join(ROOT, 'bin', 'ferry.cjs');
export const SLIXMPP_PEER = join(ROOT, 'test', 'interop', 'slixmpp_peer.py');

function peakRssMiB(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds a process has used so far (clock ticks of /proc/PID/stat, 100 per second). */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Starts a process; returns { events: [{at, cpu, ...json}] (cpu: its CPU seconds when the line came), waitFor(event), exit: Promise<code>, peakRss(), stop() }. */
export function startProcess(command, args, { timeoutMs = 300_000 } = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const events = [];
  const waiters = [];
  let stderr = '';
  let peak = 0;
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  createInterface({ input: child.stdout }).on('line', (line) => {
    let event;
    try { event = JSON.parse(line); } catch { return; }
    event.at = Date.now();
    event.cpu = cpuSeconds(child.pid);
    events.push(event);
    for (const w of [...waiters]) w();
  });
  const sampler = setInterval(() => { peak = Math.max(peak, peakRssMiB(child.pid)); }, 100);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = new Promise((resolve) => child.once('exit', (code) => {
    clearInterval(sampler);
    clearTimeout(killer);
    for (const w of [...waiters]) w();
    resolve(code);
  }));
  return {
    pid: child.pid,
    events,
    exit,
    stderr: () => stderr,
    peakRss: () => peak,
    /** Resolves with the first event named `name` (bounded by the process' life). */
    waitFor(name) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => e.event === name);
          if (found) { resolve(found); return true; }
          if (child.exitCode !== null) { reject(new Error(`${command} exited ${child.exitCode} before "${name}": ${stderr.slice(-800)}`)); return true; }
          return false;
        };
        if (check()) return;
        const waiter = () => { if (check()) waiters.splice(waiters.indexOf(waiter), 1); };
        waiters.push(waiter);
      });
    },
    stop() { if (child.exitCode === null) child.kill('SIGTERM'); },
  };
}

/** Common Ferry CLI login options for a local Prosody account. */
let benchDataDir = null;
/**
 * The bench's own data folder (`--data-dir`), one per bench run, removed when it exits: without it every Ferry
 * process would keep its history in the user's real one ($HOME/.local/share/ferry), growing from run to run.
 */
function dataDir() {
  if (!benchDataDir) {
    benchDataDir = mkdtempSync(join(tmpdir(), 'ferry-bench-data-'));
    process.once('exit', () => rmSync(benchDataDir, { recursive: true, force: true }));
  }
  return benchDataDir;
}

export function ferryLogin(server, user) {
  return ['--jid', `${user}@localhost`, '--password', `${user}-pw`, '--service', server.service, '--allow-plaintext', '--resource', 'bench',
    '--data-dir', dataDir(), '--json'];
}

/** Slixmpp peer login options. */
export function slixmppLogin(server, user) {
  return [SLIXMPP_PEER, '--jid', `${user}@localhost/bench`, '--password', `${user}-pw`, '--host', '127.0.0.1', '--port', String(server.ports.c2s)];
}
