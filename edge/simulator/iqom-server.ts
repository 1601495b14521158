import { createServer, type Socket } from 'node:net';
import { XmlDocumentFramer } from '../core/lan/iqom-xml.js';
import { IqomSimulator, type IqomSimulatorOptions } from './iqom-simulator.js';

// The Payment Interface app's TCP side: port 51042 on a real terminal, 127.0.0.1 here. Each
// connection reads complete XML documents and answers them in order.

export interface RunningIqomSimulator {
  readonly simulator: IqomSimulator;
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

export async function startIqomSimulator(port: number, options: IqomSimulatorOptions): Promise<RunningIqomSimulator> {
  const simulator = new IqomSimulator(options);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const framer = new XmlDocumentFramer();
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let documents: string[];
      try {
        documents = framer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const document of documents) {
        chain = chain.then(async () => {
          const reply = await simulator.handle(document);
          if (reply.kind === 'drop') socket.destroy();
          else if (reply.kind === 'answer' && !socket.destroyed) socket.write(reply.xml, 'utf8');
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = server.address();
  const boundPort = typeof bound === 'object' && bound ? bound.port : port;
  return {
    simulator,
    port: boundPort,
    address: `127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
