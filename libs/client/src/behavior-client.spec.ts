import { attrFilters } from './attr-filters';
import { createBehaviorClient } from './behavior-client';

function recordingFetch(body: unknown, status = 200) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, requests };
}

describe('createBehaviorClient', () => {
  it('sends the API key as a bearer token to the base URL, without a doubled slash', async () => {
    const { fetch, requests } = recordingFetch({ accepted: 1, duplicates: 0, rejected: 0, results: [] });
    const client = createBehaviorClient({ baseUrl: 'http://svc.test/', apiKey: 'sk_1', fetch });
    const { data } = await client.POST('/api/ai-behavior/signals/batch', {
      body: { signals: [{ schemaId: 'content.view', userId: 'u1', attributes: { contentId: 'c1' } }] },
    });
    expect(data?.accepted).toBe(1);
    expect(requests[0].url).toBe('http://svc.test/api/ai-behavior/signals/batch');
    expect(requests[0].headers.get('authorization')).toBe('Bearer sk_1');
    expect(await requests[0].json()).toEqual({
      signals: [{ schemaId: 'content.view', userId: 'u1', attributes: { contentId: 'c1' } }],
    });
  });

  it('sends attribute filters as the flat attr.<name>[op] parameters the service reads', async () => {
    const { fetch, requests } = recordingFetch({ items: [], nextCursor: null });
    const client = createBehaviorClient({ baseUrl: 'http://svc.test', apiKey: 'sk_1', fetch });
    await client.GET('/api/ai-behavior/users/{userId}/signals', {
      params: {
        path: { userId: 'u 1' },
        query: { limit: 10, filters: attrFilters({ country: 'DE', amount: { gte: 10, lt: 100 } }) },
      },
    });
    const url = new URL(requests[0].url);
    expect(url.pathname).toBe('/api/ai-behavior/users/u%201/signals');
    expect([...url.searchParams]).toEqual([
      ['limit', '10'],
      ['attr.country', 'DE'],
      ['attr.amount[gte]', '10'],
      ['attr.amount[lt]', '100'],
    ]);
  });

  it('types an error body as the error schema', async () => {
    const { fetch } = recordingFetch(
      { statusCode: 404, error: 'Not Found', message: 'Signal not found', code: 'signal_not_found' },
      404,
    );
    const client = createBehaviorClient({ baseUrl: 'http://svc.test', apiKey: 'sk_1', fetch });
    const { data, error, response } = await client.GET('/api/ai-behavior/signals/{id}', {
      params: { path: { id: '01890a5d-ac96-774b-bcce-b302099a8057' } },
    });
    expect(response.status).toBe(404);
    expect(data).toBeUndefined();
    expect(error?.code).toBe('signal_not_found');
  });

  it('sends no authorization header without a key (public routes)', async () => {
    const { fetch, requests } = recordingFetch({ status: 'ok' });
    await createBehaviorClient({ baseUrl: 'http://svc.test', fetch }).GET('/api/ai-behavior/health');
    expect(requests[0].headers.has('authorization')).toBe(false);
  });
});

describe('attrFilters', () => {
  it('turns names and ranges into attr.* keys, skipping absent bounds', () => {
    expect(attrFilters({ flag: true, label: 'x', n: { gte: 1, lte: undefined } })).toEqual({
      'attr.flag': true,
      'attr.label': 'x',
      'attr.n[gte]': 1,
    });
  });
});
