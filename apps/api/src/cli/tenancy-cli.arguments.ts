import { parseArgs } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateTenantDto } from '../admin/admin.dto.js';
import { isScope, SCOPES, type Scope } from '@lssm/nest-common';

/** What `npm run cli -- …` was asked to do, decided before any configuration or database is touched. */
export type TenancyCliRequest =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'refuse'; readonly reason: string; readonly usage: string }
  | { readonly kind: 'tenants:create'; readonly id: string; readonly name: string }
  | { readonly kind: 'tenants:list' }
  | { readonly kind: 'keys:create'; readonly tenant: string; readonly scopes: Scope[] }
  | { readonly kind: 'keys:revoke'; readonly keyId: string };

type Option = 'tenant' | 'scopes' | 'name';

const COMMANDS: Record<string, { usage: string; about: string; options: readonly Option[]; args: number }> = {
  'tenants:create': {
    usage: 'tenants:create <id> [--name <name>]',
    about: 'creates a tenant (id: lowercase letters, digits, _ or -, at most 63 characters)',
    options: ['name'],
    args: 1,
  },
  'tenants:list': {
    usage: 'tenants:list',
    about: 'lists tenants, one "id<TAB>name" a line',
    options: [],
    args: 0,
  },
  'keys:create': {
    usage: `keys:create --tenant <id> --scopes <${SCOPES.join('|')}>[,...]`,
    about: 'creates an API key for a tenant and prints it once (only its hash is kept)',
    options: ['tenant', 'scopes'],
    args: 0,
  },
  'keys:revoke': {
    usage: 'keys:revoke <key-id>',
    about: 'revokes an API key by its id (a UUID)',
    options: [],
    args: 1,
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CLI_USAGE = [
  'Usage: npm run cli -- <command> [options]',
  '',
  'Commands:',
  ...Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.about}`),
  '',
  '  npm run cli -- <command> --help   shows one command; no database is needed for help.',
  'The database is DATABASE_URL, else the embedded cluster of the data directory (as for npm start).',
].join('\n');

const commandUsage = (name: string) =>
  `Usage: npm run cli -- ${COMMANDS[name].usage}\n  ${COMMANDS[name].about}`;

export function parseTenancyCliArguments(argv: readonly string[]): TenancyCliRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        scopes: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { kind: 'refuse', reason: (error as Error).message, usage: CLI_USAGE };
  }
  const { positionals, values } = parsed;
  const [command, ...args] = positionals;
  if (command === undefined || command === 'help') {
    return values.help || command === 'help'
      ? { kind: 'help', text: CLI_USAGE }
      : { kind: 'refuse', reason: 'no command given', usage: CLI_USAGE };
  }
  const spec = COMMANDS[command];
  if (!spec) {
    return {
      kind: 'refuse',
      reason: `unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`,
      usage: CLI_USAGE,
    };
  }
  const usage = commandUsage(command);
  if (values.help) return { kind: 'help', text: usage };
  const refuse = (reason: string): TenancyCliRequest => ({ kind: 'refuse', reason, usage });
  const foreign = (['tenant', 'scopes', 'name'] as const).filter(
    (o) => values[o] !== undefined && !spec.options.includes(o),
  );
  if (foreign.length > 0) return refuse(`${command} takes no ${foreign.map((o) => `--${o}`).join(', ')}`);
  if (args.length > spec.args) return refuse(`unexpected argument "${args[spec.args]}"`);

  switch (command) {
    case 'tenants:create': {
      if (!args[0]) return refuse('the tenant id is missing');
      // The admin API's rules, so a tenant made here is one the API accepts too.
      const dto = plainToInstance(CreateTenantDto, { id: args[0], name: values.name ?? args[0] });
      const errors = validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));
      if (errors.length > 0) return refuse(errors.join('; '));
      return { kind: 'tenants:create', id: dto.id, name: dto.name! };
    }
    case 'tenants:list':
      return { kind: 'tenants:list' };
    case 'keys:create': {
      if (!values.tenant) return refuse('--tenant <id> is missing');
      const scopes = (values.scopes ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (scopes.length === 0) return refuse(`--scopes is missing; valid scopes: ${SCOPES.join(', ')}`);
      const invalid = scopes.filter((s) => !isScope(s));
      if (invalid.length > 0) {
        return refuse(
          `invalid scope${invalid.length > 1 ? 's' : ''} ${invalid.map((s) => `"${s}"`).join(', ')}; valid scopes: ${SCOPES.join(', ')}`,
        );
      }
      return { kind: 'keys:create', tenant: values.tenant, scopes: scopes as Scope[] };
    }
    default: {
      if (!args[0]) return refuse('the key id is missing');
      if (!UUID.test(args[0])) return refuse(`key id "${args[0]}" is not a UUID (keys:create prints the id)`);
      return { kind: 'keys:revoke', keyId: args[0] };
    }
  }
}
