import { connect, type Socket } from 'node:net';
import { XmlDocumentFramer } from '../../core/lan/iqom-xml.js';
import type { LanLink, LanLinks, LanSendResult } from '../../core/lan/lan-link.js';

// One TCP connection per LAN terminal (host:port of its Payment Interface app), opened on first use
// and again after it breaks. Commands go one at a time. After a timeout or a break the socket is
// destroyed, so a late answer can never be read as the answer to the next command.

export interface IqomSocketTimings {
  readonly connectTimeoutMs: number;
  /** The cardholder's time included: a payment waits this long for its answer. */
  readonly responseTimeoutMs: number;
}

export class IqomSocketLink implements LanLink {
  private socket: Socket | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly host: string;
  private readonly port: number;

  constructor(
    address: string,
    private readonly timings: IqomSocketTimings,
  ) {
    const match = /^(.+):([0-9]{1,5})$/.exec(address);
    this.host = match?.[1] ?? address;
    this.port = Number(match?.[2] ?? '51042');
  }

  send(xml: string): Promise<LanSendResult> {
    const next = this.queue.then(() => this.exchange(xml));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): Promise<Socket | string> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve) => {
      const socket = connect({ host: this.host, port: this.port });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(`no connection to ${this.host}:${this.port} within ${this.timings.connectTimeoutMs} ms`);
      }, this.timings.connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        socket.on('error', () => socket.destroy());
        this.socket = socket;
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        resolve(`${this.host}:${this.port}: ${error.message}`);
      });
    });
  }

  private async exchange(xml: string): Promise<LanSendResult> {
    const opened = await this.open();
    if (typeof opened === 'string') return { kind: 'not_sent', reason: opened };
    const socket = opened;
    return new Promise<LanSendResult>((resolve) => {
      const framer = new XmlDocumentFramer();
      let settled = false;
      const finish = (result: LanSendResult, keepSocket: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
        if (!keepSocket) this.close();
        resolve(result);
      };
      const onData = (chunk: Buffer) => {
        try {
          const [document] = framer.push(chunk);
          if (document !== undefined) finish({ kind: 'answer', xml: document }, true);
        } catch (error) {
          finish({ kind: 'lost', reason: error instanceof Error ? error.message : String(error) }, false);
        }
      };
      const onClose = () => finish({ kind: 'lost', reason: 'the connection closed before the answer' }, false);
      const timer = setTimeout(() => finish({ kind: 'lost', reason: `no answer within ${this.timings.responseTimeoutMs} ms` }, false), this.timings.responseTimeoutMs);
      socket.on('data', onData);
      socket.once('close', onClose);
      socket.write(xml, 'utf8', (error) => {
        // A write that fails may still have put bytes on the wire: the outcome is unknown.
        if (error) finish({ kind: 'lost', reason: `write failed: ${error.message}` }, false);
      });
    });
  }
}

/** One link per address, kept for the life of the edge. */
export function iqomSocketLinks(timings: IqomSocketTimings): LanLinks & { closeAll(): void } {
  const links = new Map<string, IqomSocketLink>();
  const get = (address: string): LanLink => {
    let link = links.get(address);
    if (!link) {
      link = new IqomSocketLink(address, timings);
      links.set(address, link);
    }
    return link;
  };
  return Object.assign(get, {
    closeAll: () => {
      for (const link of links.values()) link.close();
    },
  });
}
