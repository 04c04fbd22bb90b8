/**
 * What a download's answer means for the bytes on disk (RFC 9110 §14: Range, Content-Range, 206, 416).
 * Pure: status and headers in, where the body starts and how long it is out, or an HttpError.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, statusError } from './httpError';

/** Where the body of an accepted answer sits in the resource. */
export interface BodyPlacement {
  status: 200 | 206;
  /** Offset of the body's first byte: the one asked for (206), or 0 (200: the server sent everything). */
  offset: number;
  /** The body's length: Content-Length (a 206's Content-Range, which must agree); null for a 200 without one. */
  length: number | null;
  /** The whole resource's size: Content-Range's total, else offset + length; null when unknown. */
  total: number | null;
}

/** "bytes 100-199/1000" or "bytes 100-199/*". */
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** Reads a 200 or 206 answer to a GET that asked for bytes from `offset` on; throws for anything else. */
export function placeBody(status: number, headers: IncomingHttpHeaders, offset: number, body = ''): BodyPlacement {
  const length = parseLength(headers['content-length']);
  if (status === 200) return { status, offset: 0, length, total: length };
  if (status !== 206) throw statusError(status, body);
  const header = headers['content-range'];
  const match = header ? CONTENT_RANGE.exec(header.trim()) : null;
  if (!match) throw rangeError(`the server sent part of the file without a valid Content-Range (${header ?? 'none'})`);
  const [start, end] = [Number(match[1]), Number(match[2])];
  const total = match[3] === '*' ? null : Number(match[3]);
  if (start !== offset) throw rangeError(`the server sent the file from byte ${start}, not from byte ${offset} as asked`);
  if (end < start || (total !== null && end >= total)) throw rangeError(`the server sent an impossible range (${header})`);
  if (length !== null && length !== end - start + 1) {
    throw rangeError(`the server's Content-Range (${header}) does not match its Content-Length (${length})`);
  }
  const bodyLength = end - start + 1;
  return { status, offset, length: bodyLength, total: total ?? offset + bodyLength };
}

function rangeError(message: string): HttpError {
  return new HttpError('range', message, { status: 206 });
}

function parseLength(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}
