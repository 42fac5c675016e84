import 'reflect-metadata';
import { ChildStart, LoopMeter, RssMeter, startBaselineHere, startGatewayHere } from './processes';

/**
 * A benchmark child process: starts the gateway or the baselines as its parent asks over IPC,
 * reports its URL, its peak RSS and its event-loop delay, and stops on request.
 */
const meter = new RssMeter();
const loop = new LoopMeter();
let server: { url: string; stop(): Promise<void> } | null = null;

process.on('message', (m: { type: string; start?: ChildStart; reset?: boolean }) => {
  const send = (message: object) => process.send!(message);
  if (m.type === 'start' && m.start) {
    const s = m.start;
    (s.kind === 'gateway' ? startGatewayHere(s.env) : startBaselineHere(s.raw, s.setup)).then(
      (started) => {
        server = started;
        meter.read(true);
        loop.read(true);
        send({ type: 'ready', value: started.url });
      },
      (err: Error) => send({ type: 'error', error: err.stack ?? err.message }),
    );
  } else if (m.type === 'rss') {
    send({ type: 'rss', value: meter.read(m.reset) });
  } else if (m.type === 'loop') {
    send({ type: 'loop', value: loop.read(m.reset) });
  } else if (m.type === 'stop') {
    meter.stop();
    (server ? server.stop() : Promise.resolve()).finally(() => process.exit(0));
  }
});
