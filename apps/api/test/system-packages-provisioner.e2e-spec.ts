import {
  CHROMIUM,
  hostRunner,
  ProvisioningError,
  provisionSystemTools,
  REDIS_SERVER,
  type SystemRunner,
} from '../../../test/support/system-packages.provisioner';

// The test setup's provisioning, over a runner that plays a machine: which commands exist,
// whether we are root, what apt-get does. (The real machine keeps its packages: others test on it.)
interface Call {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
}

function machine(options: { installed: string[]; root?: boolean; aptInstalls?: boolean }) {
  const installed = new Set(options.installed);
  const calls: Call[] = [];
  const logs: string[] = [];
  const runner: SystemRunner = {
    find: (command) => (installed.has(command) ? `/usr/bin/${command}` : undefined),
    isRoot: () => options.root ?? true,
    run: (command, args, env) => {
      calls.push({ command, args, env });
      if (command === 'apt-get' && args[0] === 'install' && options.aptInstalls !== false) {
        for (const name of args.filter((a) => !a.startsWith('-') && a !== 'install')) installed.add(name);
      }
    },
    log: (message) => logs.push(message),
  };
  return { runner, calls, logs };
}

const refusal = (fn: () => unknown): ProvisioningError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProvisioningError) return error;
    throw error;
  }
  throw new Error('expected a ProvisioningError');
};

describe('provisionSystemTools', () => {
  it('does nothing when every tool is there, and says where each is', () => {
    const m = machine({ installed: ['redis-server', 'chromium', 'apt-get'] });
    const found = provisionSystemTools([REDIS_SERVER, CHROMIUM], m.runner);
    expect(found).toEqual(
      new Map([
        ['redis-server', '/usr/bin/redis-server'],
        ['chromium', '/usr/bin/chromium'],
      ]),
    );
    expect(m.calls).toEqual([]);
    expect(m.logs).toEqual([]);
  });

  it('as root with apt-get: updates once, installs every missing package non-interactively in one go', () => {
    const m = machine({ installed: ['apt-get'] });
    const found = provisionSystemTools([REDIS_SERVER, CHROMIUM], m.runner);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    expect(m.calls).toEqual([
      { command: 'apt-get', args: ['update', '-qq'], env },
      { command: 'apt-get', args: ['install', '-y', '-qq', 'redis-server', 'chromium'], env },
    ]);
    expect(m.logs[0]).toMatch(/^test setup: installing the Debian packages redis-server chromium/);
    expect(found.get('chromium')).toBe('/usr/bin/chromium');
    expect(found.get('redis-server')).toBe('/usr/bin/redis-server');
  });

  it('installs only what is missing', () => {
    const m = machine({ installed: ['apt-get', 'redis-server'] });
    provisionSystemTools([REDIS_SERVER, CHROMIUM], m.runner);
    expect(m.calls.map((c) => c.args)).toEqual([
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium'],
    ]);
  });

  it('not root: stops with the one command to run, installing nothing', () => {
    const m = machine({ installed: ['apt-get'], root: false });
    const error = refusal(() => provisionSystemTools([REDIS_SERVER, CHROMIUM], m.runner));
    expect(error.message).toContain('redis-server and chromium not found on PATH');
    expect(error.message).toContain(
      'Install them once with:\n  sudo apt-get update && sudo apt-get install -y redis-server chromium',
    );
    expect(error.stack).toBe(error.message);
    expect(m.calls).toEqual([]);
  });

  it('no apt-get: names the packages to install with the system package manager', () => {
    const m = machine({ installed: ['chromium'] });
    const error = refusal(() => provisionSystemTools([REDIS_SERVER, CHROMIUM], m.runner));
    expect(error.message).toMatch(/^redis-server not found on PATH:\n {2}redis-server: .*REDIS_URL/);
    expect(error.message).toContain('apt-get is not available to install them');
    expect(error.message).toContain('(redis-server)');
    expect(m.calls).toEqual([]);
  });

  it('refuses when the install ran but the command is still missing', () => {
    const m = machine({ installed: ['apt-get'], aptInstalls: false });
    expect(refusal(() => provisionSystemTools([CHROMIUM], m.runner)).message).toMatch(
      /apt-get installed chromium, but chromium is still not on PATH/,
    );
  });
});

describe('the host runner', () => {
  it('finds a command with command -v and nothing for an unknown one', () => {
    expect(hostRunner.find('sh')).toMatch(/\/sh$/);
    expect(hostRunner.find('no-such-command-4711')).toBeUndefined();
  });

  it('knows whether it runs as root', () => {
    expect(hostRunner.isRoot()).toBe(process.getuid?.() === 0);
  });

  it('reports a failed command with its error output and the environment it was given', () => {
    expect(() => hostRunner.run('sh', ['-c', 'echo "broken $X" >&2; exit 3'], { X: 'mirror' })).toThrow(
      /sh -c .* failed \(exit 3\):\nbroken mirror/,
    );
  });
});
