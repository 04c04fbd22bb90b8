import { describe, expect, it } from 'vitest';
import { planSend, type PlanInput } from '../../../../../electron/transfer/methods/sendPlan';
import type { ServerMethod, TransferMethod } from '../../../../../electron/transfer/methods/types';

const NS_JINGLE_FT = 'urn:xmpp:jingle:apps:file-transfer:5';
const NS_SI_FT = 'http://jabber.org/protocol/si/profile/file-transfer';

function peerMethod(name: 'si' | 'jingle', priority: number, feature: string): TransferMethod {
  return {
    name, priority, features: [feature], canSend: (f) => f.has(feature), describe: () => `advertises ${feature}`,
    send: () => { throw new Error('not used'); }, register: () => () => undefined,
  };
}
const upload: ServerMethod = { name: 'http-upload', priority: 20, service: async () => null, send: () => { throw new Error('not used'); } };
const kontalk: ServerMethod = { name: 'kontalk', priority: 10, service: async () => null, send: () => { throw new Error('not used'); } };
const PEER_METHODS = [peerMethod('si', 10, NS_SI_FT), peerMethod('jingle', 20, NS_JINGLE_FT)];
const UPLOAD = { jid: 'upload.localhost', maxFileSize: 1000 };

function input(over: Partial<PlanInput>): PlanInput {
  return {
    peerMethods: PEER_METHODS, serverOptions: [{ method: upload, service: UPLOAD }], candidates: [{ jid: 'bob@x/dino', features: [NS_JINGLE_FT] }],
    bareJid: 'bob@x', isExplicitResource: false, choice: 'auto', fileSize: 10, ...over,
  };
}
const names = (plan: ReturnType<typeof planSend>) => plan.steps.map((s) => s.method.name);

describe('planSend (DESIGN "Methods": peer-to-peer first, the server\'s upload as the fallback)', () => {
  it('an online Jingle peer gets Jingle, then HTTP upload (XEP-0363) as the fallback', () => {
    const plan = planSend(input({}));
    expect(names(plan)).toEqual(['jingle', 'http-upload']);
    expect(plan.steps[1]).toMatchObject({ kind: 'server', to: 'bob@x', service: UPLOAD });
  });

  it('an offline peer gets the upload alone, and the log says the peer is offline', () => {
    const plan = planSend(input({ candidates: new Error('bob@x is offline: file transfer needs an online contact') }));
    expect(names(plan)).toEqual(['http-upload']);
    expect(plan.notes.join()).toContain('offline');
  });

  it('a file over the upload limit goes peer-to-peer only, and the note gives the limit in bytes', () => {
    const plan = planSend(input({ fileSize: 5000 }));
    expect(names(plan)).toEqual(['jingle']);
    expect(plan.notes.join()).toContain('over the upload limit of upload.localhost');
    expect(plan.notes.join()).toContain('(1000 bytes)');
  });

  it('offline and over the limit: refused before anything is uploaded, with both reasons', () => {
    expect(() => planSend(input({ candidates: new Error('bob@x is offline'), fileSize: 5000 }))).toThrow(/offline.*upload limit.*1000 bytes/);
  });

  it('a peer online with no advertised method: upload first, SI tried after it (unannounced SI clients)', () => {
    const plan = planSend(input({ candidates: [{ jid: 'bob@x/old', features: [] }] }));
    expect(names(plan)).toEqual(['http-upload', 'si']);
    expect(plan.steps[1]!.why).toContain('anyway');
  });

  it('--method http-upload: the upload alone, even for an online Jingle peer', () => {
    expect(names(planSend(input({ choice: 'http-upload' })))).toEqual(['http-upload']);
  });

  it('--method http-upload without a service on the server fails saying so', () => {
    expect(() => planSend(input({ choice: 'http-upload', serverOptions: [{ method: upload, service: null }] })))
      .toThrow('the server offers no http-upload service');
  });

  it('--method si: SI alone, no upload fallback', () => {
    expect(names(planSend(input({ choice: 'si', candidates: [{ jid: 'bob@x/a', features: [NS_SI_FT, NS_JINGLE_FT] }] })))).toEqual(['si']);
  });

  it('several server methods: by priority (HTTP upload before Kontalk), each within its own limit', () => {
    const plan = planSend(input({
      candidates: new Error('offline'), fileSize: 2000,
      serverOptions: [{ method: kontalk, service: { jid: 'kontalk.x', maxFileSize: null } }, { method: upload, service: UPLOAD }],
    }));
    expect(names(plan)).toEqual(['kontalk']);
    const both = planSend(input({ candidates: new Error('offline'), serverOptions: [{ method: kontalk, service: { jid: 'k', maxFileSize: null } }, { method: upload, service: UPLOAD }] }));
    expect(names(both)).toEqual(['http-upload', 'kontalk']);
  });
});

describe('planSend with the user\'s preferred method order (settings "methodOrder", issue #11)', () => {
  const BOTH = [{ jid: 'bob@x/a', features: [NS_SI_FT, NS_JINGLE_FT] }];
  const SERVERS = [{ method: kontalk, service: { jid: 'kontalk.x', maxFileSize: null } }, { method: upload, service: UPLOAD }];

  it('the default order gives the same plan as none, with no note about the order', () => {
    const plain = planSend(input({ candidates: BOTH, serverOptions: SERVERS }));
    const ordered = planSend(input({ candidates: BOTH, serverOptions: SERVERS, order: ['jingle', 'si', 'http-upload', 'kontalk'] }));
    expect(names(ordered)).toEqual(names(plain));
    expect(names(ordered)).toEqual(['jingle', 'http-upload', 'kontalk']);
    expect(ordered.notes.join()).not.toContain('preferred order');
  });

  it('SI before Jingle: a peer advertising both gets SI, and the reason says it is the user\'s order', () => {
    const plan = planSend(input({ candidates: BOTH, order: ['si', 'jingle', 'http-upload', 'kontalk'] }));
    expect(names(plan)).toEqual(['si', 'http-upload']);
    expect(plan.steps[0]!.why).toContain('first in your preferred order');
  });

  it('HTTP upload first: an online Jingle peer gets the upload, with peer-to-peer as its fallback, and the log says why', () => {
    const plan = planSend(input({ order: ['http-upload', 'jingle', 'si', 'kontalk'] }));
    expect(names(plan)).toEqual(['http-upload', 'jingle']);
    expect(plan.notes.join()).toContain('in your preferred order of methods: http-upload, jingle, si, kontalk');
  });

  it('Kontalk before HTTP upload reorders the server methods too', () => {
    const plan = planSend(input({ candidates: new Error('offline'), serverOptions: SERVERS, order: ['jingle', 'si', 'kontalk', 'http-upload'] }));
    expect(names(plan)).toEqual(['kontalk', 'http-upload']);
  });

  it('a peer that advertises nothing keeps its unannounced SI last, whatever the order', () => {
    const plan = planSend(input({ candidates: [{ jid: 'bob@x/old', features: [] }], order: ['si', 'jingle', 'http-upload', 'kontalk'] }));
    expect(names(plan)).toEqual(['http-upload', 'si']);
  });

  it('a forced --method ignores the order', () => {
    expect(names(planSend(input({ candidates: BOTH, choice: 'jingle', order: ['si', 'jingle', 'http-upload', 'kontalk'] })))).toEqual(['jingle']);
  });
});
