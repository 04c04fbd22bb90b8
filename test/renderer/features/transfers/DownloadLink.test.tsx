import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi, installApi } from '../../../../renderer/api';
import { TransferCard } from '../../../../renderer/features/transfers/TransferCard';
import { createFakeBridge, useFakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

afterEach(cleanup);

const received = transfer({ state: 'done', direction: 'incoming', bytes: 2048, path: '/downloads/photo (1).jpg' });

describe('Download on a received file in the web host (issue 11, card actions by state)', () => {
  it('links a done received file to the host download URL, under its saved name', () => {
    useFakeBridge({});
    installApi(createApi({ ...createFakeBridge(), downloadUrl: (id: string) => `/download?token=T&id=${id}` }));
    render(<ul><TransferCard transfer={received} /></ul>);
    const link = screen.getByRole('link', { name: 'Download' });
    expect(link.getAttribute('href')).toBe('/download?token=T&id=t1');
    expect(link.getAttribute('download')).toBe('photo (1).jpg');
  });

  it('offers no Download where the host has no download URL, nor for a file still arriving or a sent one', () => {
    useFakeBridge({});
    render(<ul><TransferCard transfer={received} /></ul>);
    expect(screen.queryByRole('link', { name: 'Download' })).toBeNull();
    cleanup();
    installApi(createApi({ ...createFakeBridge(), downloadUrl: (id: string) => `/download?token=T&id=${id}` }));
    render(<ul><TransferCard transfer={{ ...received, state: 'transferring' }} /><TransferCard transfer={{ ...received, id: 't2' as never, direction: 'outgoing' }} /></ul>);
    expect(screen.queryByRole('link', { name: 'Download' })).toBeNull();
  });
});
