/** A core's raw failure reason (an errno, a stanza error, a store error) in words a person reads. */

const REASON_WORDS: Array<[RegExp, string]> = [
  [/ECONNREFUSED|connection refused/i, 'the other side could not be reached (connection refused)'],
  [/ETIMEDOUT|timed? ?out/i, 'the connection timed out'],
  [/ECONNRESET|EPIPE|closed the stream|socket hang up/i, 'the connection was cut off'],
  [/ENOTFOUND|EAI_AGAIN/i, "the server's address could not be found"],
  [/ENOSPC/i, 'the disk is full'],
  [/EACCES|EPERM/i, 'Ferry may not write to that folder'],
  [/could not understand that request|bad-request|feature-not-implemented|service-unavailable/i, "the other app does not support this way of sending files"],
  [/hash|sha-?256|checksum/i, 'the file arrived damaged (its checksum did not match)'],
  [/declined|not-acceptable|forbidden/i, 'the file was declined'],
];

/** A raw reason from the core as a sentence a person reads; the raw text stays available for Details. */
export function reasonSentence(raw: string): string {
  const match = REASON_WORDS.find(([pattern]) => pattern.test(raw));
  return match ? `Failed: ${match[1]}.` : `Failed: ${raw.replace(/\.$/, '')}.`;
}
