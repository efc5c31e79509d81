/** The `smpp` package (SMPP 3.4 client and server) ships no types: the little of it used here. */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: any;
    response(options?: Record<string, unknown>): Pdu;
  }

  export interface Session extends EventEmitter {
    socket: import('node:net').Socket;
    send(pdu: Pdu, responseCallback?: (pdu: Pdu) => void, sendCallback?: (pdu: Pdu) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    [command: string]: any;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export const PDU: new (command: string, options?: Record<string, unknown>) => Pdu;
  export const errors: Record<string, number>;
  export function connect(options: Record<string, unknown>, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
  export function createServer(listener?: (session: Session) => void): Server;

  const smpp: {
    PDU: typeof PDU;
    errors: typeof errors;
    connect: typeof connect;
    createServer: typeof createServer;
  };
  export default smpp;
}
