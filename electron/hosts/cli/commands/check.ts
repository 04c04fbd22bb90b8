import type { ServerInfo, SessionSnapshot } from '../../../../shared/model/session';
import type { CommandSpec } from '../command';
import { withDeadline } from '../deadline';
import { EXIT } from '../exitCodes';
import { numberOption } from '../options';
import { CliSession, loginArgsFrom } from '../session';

/** Default bound for logging in and asking the server, in seconds. */
export const DEFAULT_CHECK_TIMEOUT_S = 30;

function describe(snapshot: SessionSnapshot, server: ServerInfo): string[] {
  const identities = server.identities.map((i) => `${i.category}/${i.type}${i.name ? ` "${i.name}"` : ''}`).join(', ');
  return [
    `Logged in as ${snapshot.jid ?? '?'} (${snapshot.isSecure ? 'encrypted' : 'NOT encrypted'})`,
    `Server ${server.domain}: ${identities || 'no identity'}`,
    `Features (${server.features.length}):`,
    ...server.features.map((feature) => `  ${feature}`),
    `SOCKS5 proxies, XEP-0065 (${server.proxies.length}):`,
    ...server.proxies.map((proxy) => `  ${proxy.jid}  ${proxy.host}:${proxy.port}`),
    `Upload services, XEP-0363 (${server.uploadServices.length}):`,
    ...server.uploadServices.map((s) => `  ${s.jid}  max ${s.maxFileSize === null ? 'unknown' : `${s.maxFileSize} bytes`}`),
  ];
}

/** `ferry check`: log in, print what the server offers for file transfer, log out. */
export const CHECK_COMMAND: CommandSpec = {
  name: 'check',
  summary: "log in, print the server's identity, features, proxies and upload services",
  options: [],
  async run(context) {
    const login = loginArgsFrom(context);
    const seconds = numberOption(context.args, 'timeout') ?? DEFAULT_CHECK_TIMEOUT_S;
    const session = CliSession.open(context);
    try {
      const { snapshot, server } = await withDeadline(seconds * 1000, 'check', async () => {
        const snapshot = await session.login(login);
        return { snapshot, server: await session.call('disco.server', undefined) };
      });
      const object = {
        event: 'check', jid: snapshot.jid, isSecure: snapshot.isSecure, domain: server.domain,
        identities: server.identities, features: server.features, proxies: server.proxies,
        uploadServices: server.uploadServices, items: server.items.map((item) => item.jid),
      };
      context.output.result(object, () => describe(snapshot, server));
      return EXIT.ok;
    } finally {
      await session.dispose();
    }
  },
};
