// The machine's own limits, measured in the same run as Ferry's figures: a raw TCP file-to-file copy
// with socat (-b 131072) and Node's crypto sha-256 over the same file.
import { spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { freePort } from '../scripts/lib/localProsody.mjs';

export const MIB = 1024 * 1024;

/** Writes `bytes` of random data to path in 4 MiB blocks (never the whole file in memory). */
export function makeRandomFile(path, bytes) {
  const block = Buffer.allocUnsafe(4 * MIB);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      randomFillSync(block);
      writeSync(fd, block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    closeSync(fd);
  }
}

/** sha-256 of a file with Node's crypto: { hex, mbPerSecond, cpuSeconds } (CPU of this process, all threads). */
export async function sha256File(path) {
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MIB })) hash.update(chunk);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { hex: hash.digest('hex'), mbPerSecond: statSync(path).size / MIB / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/**
 * Runs command under sh and resolves with the CPU seconds (user + system) it used: the shell's `times`
 * builtin prints its children's totals last, which Node cannot read for a child itself.
 */
function run(command, args) {
  const script = '"$@"; rc=$?; times >&2; exit $rc';
  const child = spawn('/bin/sh', ['-c', script, 'sh', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(childCpuSeconds(stderr)) : reject(new Error(`${command} exited ${code}: ${stderr.slice(-300)}`))));
  });
  return { child, done };
}

/** The children line of `times` ("0m0.490s 0m0.760s") → seconds. */
function childCpuSeconds(timesOutput) {
  const lines = timesOutput.trim().split('\n');
  const seconds = [...(lines.at(-1) ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`cannot read CPU times from: ${timesOutput.slice(-200)}`);
  return seconds[0] + seconds[1];
}

/** A socat TCP file-to-file copy over loopback: MB/s from connect to the last byte on disk, and both sides' CPU seconds. */
export async function socatCopy(source, target) {
  const port = await freePort();
  const receiver = run('socat', ['-u', '-b', '131072', `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr`, `OPEN:${target},creat,trunc`]);
  await waitForListening(port, 5000);
  const started = process.hrtime.bigint();
  const sender = run('socat', ['-u', '-b', '131072', `OPEN:${source}`, `TCP:127.0.0.1:${port}`]);
  const [sendCpu, receiveCpu] = await Promise.all([sender.done, receiver.done]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { mbPerSecond: statSync(source).size / MIB / seconds, seconds, cpuSeconds: sendCpu + receiveCpu };
}

/** Waits (bounded) until /proc/net/tcp shows port in LISTEN state, without connecting to it. */
async function waitForListening(port, timeoutMs) {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const table = readFileSync('/proc/net/tcp', 'utf8');
    if (table.split('\n').some((line) => line.includes(hexPort) && line.split(/\s+/)[4] === '0A')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`socat did not listen on ${port} within ${timeoutMs} ms`);
}
