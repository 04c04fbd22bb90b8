import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../../../electron/transport/http/httpError';
import { placeBody } from '../../../../../electron/transport/http/rangeResponse';

describe('placeBody', () => {
  it.each([
    ['a 200 without a range asked', 200, { 'content-length': '1000' }, 0, { status: 200, offset: 0, length: 1000, total: 1000 }],
    ['a 200 when a range was asked (the server ignored it: start over)', 200, { 'content-length': '1000' }, 400, { status: 200, offset: 0, length: 1000, total: 1000 }],
    ['a chunked 200', 200, {}, 0, { status: 200, offset: 0, length: null, total: null }],
    ['a 206 from the offset (RFC 9110 §14.4)', 206, { 'content-length': '600', 'content-range': 'bytes 400-999/1000' }, 400, { status: 206, offset: 400, length: 600, total: 1000 }],
    ['a 206 with an unknown total', 206, { 'content-length': '600', 'content-range': 'bytes 400-999/*' }, 400, { status: 206, offset: 400, length: 600, total: 1000 }],
    ['a chunked 206: the length comes from Content-Range', 206, { 'content-range': 'bytes 400-999/1000' }, 400, { status: 206, offset: 400, length: 600, total: 1000 }],
  ] as const)('places %s', (_name, status, headers, offset, expected) => {
    expect(placeBody(status, headers, offset)).toEqual(expected);
  });

  it.each([
    ['no Content-Range', {}, 400, /without a valid Content-Range \(none\)/],
    ['a Content-Range in another unit', { 'content-range': 'items 400-999/1000' }, 400, /without a valid Content-Range/],
    ['a range from another offset', { 'content-range': 'bytes 0-999/1000' }, 400, /^the server sent the file from byte 0, not from byte 400 as asked$/],
    ['a range past the total', { 'content-range': 'bytes 400-1000/1000' }, 400, /impossible range/],
    ['a Content-Length that disagrees', { 'content-range': 'bytes 400-999/1000', 'content-length': '10' }, 400, /does not match its Content-Length \(10\)/],
  ])('refuses a 206 with %s as kind "range"', (_name, headers, offset, message) => {
    let caught: unknown;
    try { placeBody(206, headers, offset); } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(HttpError);
    expect(caught).toMatchObject({ kind: 'range', status: 206 });
    expect((caught as HttpError).message).toMatch(message);
  });

  it('refuses a 416 as kind "status" with status 416', () => {
    expect(() => placeBody(416, {}, 5000)).toThrow(expect.objectContaining({ kind: 'status', status: 416, message: 'the server answered 416 Range Not Satisfiable' }));
  });
});
