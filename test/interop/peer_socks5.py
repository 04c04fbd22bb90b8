"""SOCKS5 (RFC 1928, CONNECT with a domain-name address) as XEP-0065 uses it, on asyncio streams.

slixmpp 1.8.3's xep_0065 cannot serve a direct streamhost and parses handshakes per TCP read, so the
interop peer uses this instead. Every step is bounded in time; the listener binds loopback only.
"""
import asyncio
import hashlib
import struct

HANDSHAKE_S = 5.0


def dst_addr(sid, requester, target):
    """XEP-0065 DST.ADDR: SHA1(SID + Requester JID + Target JID), hex, lower case, exact full JIDs."""
    return hashlib.sha1(f'{sid}{requester}{target}'.encode('utf-8')).hexdigest()


async def _read_addr(reader, atyp):
    if atyp == 1:
        return await reader.readexactly(4)
    if atyp == 4:
        return await reader.readexactly(16)
    if atyp == 3:
        (length,) = await reader.readexactly(1)
        return await reader.readexactly(length)
    raise ValueError(f'bad SOCKS5 address type {atyp}')


def _request(cmd_or_rep, addr):
    raw = addr.encode('ascii')
    return bytes([5, cmd_or_rep, 0, 3, len(raw)]) + raw + struct.pack('>H', 0)


async def connect(host, port, addr, connect_s=3.0):
    """Connects to a streamhost and asks for addr (the DST.ADDR hash). Returns (reader, writer)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), connect_s)
    try:
        async def handshake():
            writer.write(b'\x05\x01\x00')  # version 5, one method: no authentication
            if await reader.readexactly(2) != b'\x05\x00':
                raise ConnectionError('streamhost refused the no-auth method')
            writer.write(_request(1, addr))  # CONNECT
            ver, rep, _rsv, atyp = await reader.readexactly(4)
            await _read_addr(reader, atyp)
            await reader.readexactly(2)
            if ver != 5 or rep != 0:
                raise ConnectionError(f'streamhost replied {rep}')
        await asyncio.wait_for(handshake(), HANDSHAKE_S)
        return reader, writer
    except BaseException:
        writer.close()
        raise


class Listener:
    """A direct streamhost: serves a connection only when its DST.ADDR is expected, drops the rest."""

    def __init__(self):
        self.server = None
        self.port = 0
        self.expected = {}  # DST.ADDR -> Future[(reader, writer)]

    async def start(self):
        self.server = await asyncio.start_server(self._serve, '127.0.0.1', 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    def expect(self, addr):
        future = asyncio.get_running_loop().create_future()
        self.expected[addr] = future
        return future

    async def _serve(self, reader, writer):
        try:
            async def handshake():
                ver, count = await reader.readexactly(2)
                methods = await reader.readexactly(count)
                if ver != 5 or 0 not in methods:
                    raise ConnectionError('no acceptable method')
                writer.write(b'\x05\x00')
                ver, cmd, _rsv, atyp = await reader.readexactly(4)
                addr = (await _read_addr(reader, atyp)).decode('ascii', 'replace')
                await reader.readexactly(2)
                future = self.expected.get(addr)
                if ver != 5 or cmd != 1 or atyp != 3 or future is None or future.done():
                    writer.write(bytes([5, 2, 0, 1, 0, 0, 0, 0, 0, 0]))  # not allowed by ruleset
                    raise ConnectionError('unexpected DST.ADDR')
                writer.write(_request(0, addr))
                await writer.drain()
                future.set_result((reader, writer))
            await asyncio.wait_for(handshake(), HANDSHAKE_S)
        except (asyncio.TimeoutError, ConnectionError, asyncio.IncompleteReadError, ValueError, OSError):
            writer.close()

    def close(self):
        if self.server:
            self.server.close()
