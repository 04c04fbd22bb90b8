/** Tiny structural validators for IPC payloads: data from the renderer is untrusted until checked once. */
export type Check<T> = (value: unknown) => value is T;

export const isString: Check<string> = (v): v is string => typeof v === 'string';
export const isBoolean: Check<boolean> = (v): v is boolean => typeof v === 'boolean';
export const isFiniteNumber: Check<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
export const isNothing: Check<undefined> = (v): v is undefined => v === undefined || v === null;

/** A string of 1..max characters with no NUL. */
export function text(max: number): Check<string> {
  return (v): v is string => typeof v === 'string' && v.length > 0 && v.length <= max && !v.includes('\0');
}

/** An integer within [min, max]. */
export function integerIn(min: number, max: number): Check<number> {
  return (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

export function oneOf<T extends string>(...values: T[]): Check<T> {
  return (v): v is T => typeof v === 'string' && (values as string[]).includes(v);
}

export function arrayOf<T>(item: Check<T>, maxLength: number): Check<T[]> {
  return (v): v is T[] => Array.isArray(v) && v.length <= maxLength && v.every(item);
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v): v is T | undefined => v === undefined || check(v);
}

type Shape = Record<string, Check<unknown>>;
type FromShape<S extends Shape> = { [K in keyof S]: S[K] extends Check<infer T> ? T : never };

/** A plain object with exactly the listed keys (unknown keys are rejected). */
export function object<S extends Shape>(shape: S): Check<FromShape<S>> {
  return (v): v is FromShape<S> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    if (Object.keys(record).some((key) => !(key in shape))) return false;
    return Object.entries(shape).every(([key, check]) => check(record[key]));
  };
}
