/* Installs the Debian packages the test tiers need when they are missing and we may (root with
 * apt-get), so the README's test command works on a fresh machine; otherwise stops with the one
 * command to run. Everything the machine is asked goes through a runner so tests can inject one. */
import { execFileSync, spawnSync } from 'node:child_process';

export interface SystemTool {
  /** Looked up with `command -v`. */
  readonly command: string;
  readonly debianPackage: string;
  /** Why the tests need it, for the log line and the refusal. */
  readonly neededFor: string;
}

export const REDIS_SERVER: SystemTool = {
  command: 'redis-server',
  debianPackage: 'redis-server',
  neededFor: 'the integration and e2e tiers start their own Redis (or set REDIS_URL)',
};

export const CHROMIUM: SystemTool = {
  command: 'chromium',
  debianPackage: 'chromium',
  neededFor: 'the overlay editor test drives a real browser (or set CHROMIUM_PATH)',
};

export interface SystemRunner {
  /** The path `command -v <command>` prints, or undefined. */
  find(command: string): string | undefined;
  isRoot(): boolean;
  /** Runs to completion; throws with the command's error output when it fails. */
  run(command: string, args: readonly string[], env: Record<string, string>): void;
  log(message: string): void;
}

/** A refusal meant for a person: the message says everything, a stack trace would only bury it. */
export class ProvisioningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisioningError';
    this.stack = message;
  }
}

/** Returns where each tool is, installing the missing ones first when permitted. */
export function provisionSystemTools(
  tools: readonly SystemTool[],
  runner: SystemRunner = hostRunner,
): Map<string, string> {
  const found = new Map<string, string>();
  const locate = () => {
    for (const tool of tools) {
      const path = runner.find(tool.command);
      if (path) found.set(tool.command, path);
    }
    return tools.filter((tool) => !found.has(tool.command));
  };
  const missing = locate();
  if (missing.length === 0) return found;

  const packages = missing.map((tool) => tool.debianPackage).join(' ');
  const why = missing.map((tool) => `  ${tool.command}: ${tool.neededFor}`).join('\n');
  const heading = `${missing.map((tool) => tool.command).join(' and ')} not found on PATH:\n${why}\n`;
  if (!runner.find('apt-get')) {
    throw new ProvisioningError(
      `${heading}apt-get is not available to install them: install the packages (${packages}) with this system's package manager, then run the tests again.`,
    );
  }
  if (!runner.isRoot()) {
    throw new ProvisioningError(
      `${heading}Install them once with:\n  sudo apt-get update && sudo apt-get install -y ${packages}`,
    );
  }
  runner.log(
    `test setup: installing the Debian packages ${packages} (missing; apt-get update and install, a minute or two)`,
  );
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  runner.run('apt-get', ['update', '-qq'], env);
  runner.run('apt-get', ['install', '-y', '-qq', ...missing.map((tool) => tool.debianPackage)], env);
  const still = locate();
  if (still.length > 0) {
    throw new ProvisioningError(
      `apt-get installed ${packages}, but ${still.map((tool) => tool.command).join(' and ')} ${still.length > 1 ? 'are' : 'is'} still not on PATH (${process.env.PATH ?? ''}).`,
    );
  }
  runner.log(`test setup: installed ${packages}`);
  return found;
}

export const hostRunner: SystemRunner = {
  find(command) {
    try {
      return (
        execFileSync('sh', ['-c', 'command -v "$0"', command], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim() || undefined
      );
    } catch {
      return undefined;
    }
  },
  isRoot: () => process.getuid?.() === 0,
  run(command, args, env) {
    const result = spawnSync(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new ProvisioningError(
        `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr ?? ''}`,
      );
    }
  },
  log: (message) => process.stderr.write(`${message}\n`),
};
