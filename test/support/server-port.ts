import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/** Waits until something listens on the local port (`open`), or nothing does any more. */
export async function waitForPort(
  port: number,
  open: boolean,
  name: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (listening === open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} on ${port} did not ${open ? 'start' : 'stop'} listening`);
}

/** SIGKILL (no shutdown, no final save), then waits until its port is closed. */
export async function killServer(child: ChildProcess | undefined, port: number, name: string): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  await waitForPort(port, false, name);
}
