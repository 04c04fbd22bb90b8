import { useEffect, useState } from 'react';

/** The current time, refreshed every intervalMs while active; frozen (no timer) otherwise. */
export function useNow(isActive: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!isActive) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [isActive, intervalMs]);
  return now;
}
