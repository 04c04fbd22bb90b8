import type { WireError } from '../../../shared/ipc/wireError';

/** Where the CLI writes: process.stdout/stderr in real use, string sinks in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Prints for people or, with `--json`, one JSON object per line on stdout. Errors always go to stderr
 * as a sentence; in JSON mode they also go to stdout as `{"event":"error",...}`.
 */
export class Output {
  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    readonly isJson: boolean,
  ) {}

  /** One result: the object in JSON mode, the lines otherwise. */
  result(object: Record<string, unknown>, lines: () => string[]): void {
    if (this.isJson) this.stdout.write(`${JSON.stringify(object)}\n`);
    else this.stdout.write(`${lines().join('\n')}\n`);
  }

  /** A progress note: stderr for people, nothing in JSON mode. */
  note(text: string): void {
    if (!this.isJson) this.stderr.write(`${text}\n`);
  }

  /** A failure with its exit code. */
  error(error: WireError, exitCode: number): void {
    this.stderr.write(`ferry: ${error.message}\n`);
    if (this.isJson) this.stdout.write(`${JSON.stringify({ event: 'error', code: error.code, message: error.message, exitCode })}\n`);
  }
}
