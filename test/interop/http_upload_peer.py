"""Interop test peer: XEP-0363 HTTP File Upload plus a XEP-0066 jabber:x:oob link, on slixmpp 1.8.3.

Run it with Debian's /usr/bin/python3 (python3-slixmpp, and python3-aiohttp, which slixmpp's xep_0363 PUTs
with). Two modes:
  send --to JID --file PATH   uploads PATH with slixmpp's xep_0363 to the server's upload service, then sends
                              a chat message with the URL as body and as <x xmlns='jabber:x:oob'><url/></x>
  receive --count N --out DIR waits for N messages carrying jabber:x:oob (with or without a body: a raw stanza
                              handler, since slixmpp's 'message' event wants a body) and downloads each URL
                              with urllib (http/https only, also on redirects; bounded in size and time)
stdout: one JSON object per line: ready {jid} · uploaded {url,name,size,sha256} · sent {to,url} ·
file {name,size,sha256,url,from,path} (one per received file) · failed {reason}; logs on stderr.
Exit codes: 0 done, 1 failed, 3 cannot connect/log in, 4 timeout.
"""
import asyncio
import hashlib
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

sys.dont_write_bytecode = True  # no __pycache__ next to the peer in the work tree
from peer_util import base_parser, describe, emit, free_path, main_bounded, make_online_peer_class, run_session, safe_name  # noqa: E402

NS_OOB = 'jabber:x:oob'
NS_UPLOAD = 'urn:xmpp:http:upload:0'
CHUNK = 64 * 1024
HTTP_TIMEOUT_S = 30.0



class Peer(make_online_peer_class()):
    def __init__(self, args):
        super().__init__(args, [(plugin, None) for plugin in ('xep_0030', 'xep_0128', 'xep_0066', 'xep_0363')])


async def find_upload_service(x):
    """The first item of our server's disco#items whose disco#info has the XEP-0363 feature, with its
    max-file-size. Done here rather than by xep_0363.find_upload_service: 1.8.3's get_info_from_domain hands
    coroutines to asyncio.wait, which Python 3.11 refuses (TypeError)."""
    items = await x['xep_0030'].get_items(jid=x.boundjid.domain, timeout=10)
    for jid, _node, _name in items['disco_items']['items']:
        try:
            info = await x['xep_0030'].get_info(jid=jid, timeout=10)
        except (IqError, IqTimeout):
            continue
        if NS_UPLOAD not in info['disco_info']['features']:
            continue
        max_size = float('+inf')
        for form in info['disco_info'].iterables:
            values = form['values']
            if values.get('FORM_TYPE') == [NS_UPLOAD] and values.get('max-file-size'):
                max_size = int(values['max-file-size'])
        return jid, max_size
    raise RuntimeError('no XEP-0363 upload service on the server')


async def send_file(x, args):
    path = args.file
    try:
        size = os.path.getsize(path)
        with open(path, 'rb') as fh:
            sha256 = hashlib.file_digest(fh, 'sha256').hexdigest()
        plugin = x['xep_0363']
        plugin.upload_service, plugin.max_file_size = await find_upload_service(x)
        url = await plugin.upload_file(path, size=size, content_type=args.content_type, timeout=HTTP_TIMEOUT_S)
    except Exception as e:  # noqa: BLE001 - any failure is reported, then the exit code says failed
        emit('failed', reason=f'upload: {describe(e)}')
        return 'failed'
    emit('uploaded', url=url, name=os.path.basename(path), size=size, sha256=sha256)
    message = x.make_message(mto=args.to, mbody=url, mtype='chat')
    message['oob']['url'] = url
    message.send()
    emit('sent', to=args.to, url=url)
    return 'done'


class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ('http', 'https'):
            raise urllib.error.URLError(f'redirect to a non-HTTP URL: {newurl[:200]}')
        return super().redirect_request(req, fp, code, msg, headers, newurl)


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), HttpOnlyRedirects())


def download(url, directory, max_bytes):
    """Blocking (runs in a worker thread): GET url into a new file in directory; returns (path, size, sha256)."""
    if urllib.parse.urlsplit(url).scheme not in ('http', 'https'):
        raise ValueError(f'not an http(s) URL: {url[:200]}')
    name = safe_name(urllib.parse.unquote(os.path.basename(urllib.parse.urlsplit(url).path)))
    path = free_path(directory, name)
    part = f'{path}.part'
    digest, size = hashlib.sha256(), 0
    try:
        with OPENER.open(url, timeout=HTTP_TIMEOUT_S) as response, open(part, 'wb') as out:
            announced = response.headers.get('Content-Length')
            if announced is not None and int(announced) > max_bytes:
                raise ValueError(f'{announced} bytes announced, more than {max_bytes}')
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ValueError(f'more than {max_bytes} bytes')
                digest.update(chunk)
                out.write(chunk)
            if announced is not None and int(announced) != size:
                raise ValueError(f'got {size} of the {announced} bytes announced')
        os.replace(part, path)
    except BaseException:
        if os.path.exists(part):
            os.remove(part)
        raise
    return path, size, digest.hexdigest()


class Receiver:
    """Collects jabber:x:oob messages and downloads each link, one at a time, until count files are in."""

    def __init__(self, x, args):
        self.x, self.args = x, args
        self.queue = asyncio.Queue()
        x.register_handler(Callback('OOB link', MatchXPath(f'{{{x.default_ns}}}message/{{{NS_OOB}}}x'), self.on_link))

    def on_link(self, message):
        if message['type'] == 'error':
            return
        for x in message.xml.findall(f'{{{NS_OOB}}}x'):
            url = x.findtext(f'{{{NS_OOB}}}url')
            if url and url.strip():
                self.queue.put_nowait((str(message['from']), url.strip()))

    async def wait(self):
        loop = asyncio.get_running_loop()
        for _ in range(self.args.count):
            sender, url = await self.queue.get()
            try:
                path, size, sha256 = await loop.run_in_executor(None, download, url, self.args.out, self.args.max_bytes)
            except Exception as e:  # noqa: BLE001
                emit('failed', reason=f'download {url[:200]}: {describe(e)}')
                return 'failed'
            emit('file', name=os.path.basename(path), size=size, sha256=sha256, url=url, **{'from': sender}, path=os.path.abspath(path))
        return 'done'


async def run(args):
    x = Peer(args)
    rx = Receiver(x, args) if args.command == 'receive' else None
    return await run_session(x, args, rx, lambda: send_file(x, args))


def parse_args(argv):
    p, sub = base_parser(__doc__)
    r = sub.add_parser('receive')
    r.add_argument('--count', type=int, default=1)
    r.add_argument('--out', required=True, help='directory for the downloaded files')
    r.add_argument('--max-bytes', type=int, default=256 * 1024 * 1024, help='largest download accepted')
    s = sub.add_parser('send')
    s.add_argument('--to', required=True, help='JID of the receiver')
    s.add_argument('--file', required=True)
    s.add_argument('--content-type', help='default: guessed from the name (slixmpp), else application/octet-stream')
    return p.parse_args(argv)


def main():
    main_bounded(parse_args, run)


if __name__ == '__main__':
    main()
