/** Creates the bench tenant (once; a second run finds it) and an API key of the given scopes. */
export async function createTenantKey(
  baseUrl: string,
  adminKey: string,
  tenant: string,
  scopes: readonly string[],
): Promise<string> {
  const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${baseUrl}/api/admin/tenants`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ id: tenant, name: tenant }),
  });
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`creating the tenant: ${created.status} ${await created.text()}`);
  }
  const key = await fetch(`${baseUrl}/api/admin/tenants/${tenant}/api-keys`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ scopes }),
  });
  if (key.status !== 201) throw new Error(`creating the API key: ${key.status} ${await key.text()}`);
  return ((await key.json()) as { key: string }).key;
}
