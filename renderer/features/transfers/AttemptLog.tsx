import type { Attempt } from '../../../shared/model/transfer';
import { formatClock, formatTransport } from './format';

const OUTCOME_LABELS: Record<Attempt['outcome'], string> = { started: 'started', succeeded: 'succeeded', failed: 'failed' };

/**
 * Every method and transport tried, when, on what, and how it ended (USERS.md: no transfer ever fails
 * with no reason given). Collapsed unless `isOpen`.
 */
export function AttemptLog({ attempts, isOpen }: { attempts: Attempt[]; isOpen: boolean }) {
  if (attempts.length === 0) return null;
  return (
    <details className="attempt-log" open={isOpen}>
      <summary>Attempt log ({attempts.length})</summary>
      <table>
        <thead>
          <tr><th scope="col">Time</th><th scope="col">Transport</th><th scope="col">Detail</th><th scope="col">Outcome</th><th scope="col">Reason</th></tr>
        </thead>
        <tbody>
          {attempts.map((a, index) => (
            <tr key={`${a.at}-${index}`} className={`attempt attempt--${a.outcome}`}>
              <td>{formatClock(a.at)}</td>
              <td>{formatTransport(a.transport)}</td>
              <td className="attempt-detail">{a.detail}</td>
              <td>{OUTCOME_LABELS[a.outcome]}</td>
              <td>{a.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
