import { request } from 'node:http';

/** What a plain node:http request got: status, headers, the body bytes, and whether the body was complete. */
export interface HttpProbeResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** False when the connection ended before the body its headers announced (IncomingMessage.complete). */
  isComplete: boolean;
}

export interface HttpProbeOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as is (Content-Length set by node:http when a Buffer is given whole). */
  body?: Buffer;
  /** Sent as separate writes with no Content-Length, so as `Transfer-Encoding: chunked`. */
  chunks?: Buffer[];
  /** Largest body kept (the connection is dropped past it). */
  maxBodyBytes?: number;
  timeoutMs?: number;
}

/** One HTTP request over loopback, bounded in time and size; rejects only when no response arrives. */
export async function httpProbe(url: string, options: HttpProbeOptions = {}): Promise<HttpProbeResult> {
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024 * 1024;
  return await new Promise<HttpProbeResult>((resolve, reject) => {
    const headers = { ...options.headers, ...(options.body ? { 'Content-Length': String(options.body.length) } : {}) };
    const req = request(url, { method: options.method ?? 'GET', headers, timeout: options.timeoutMs ?? 20_000 }, (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) res.destroy();
        else parts.push(chunk);
      });
      res.on('error', () => undefined); // 'aborted': seen as isComplete false
      res.once('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), isComplete: res.complete }));
    });
    req.once('timeout', () => req.destroy(new Error(`no answer from ${url} in time`)));
    req.once('error', reject);
    if (options.body) req.end(options.body);
    else {
      for (const chunk of options.chunks ?? []) req.write(chunk);
      req.end();
    }
  });
}
