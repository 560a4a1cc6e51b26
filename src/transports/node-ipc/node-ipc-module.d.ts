// The parts of @achrinza/node-ipc 10.1.11 (untyped) that parent.ts and peer.ts use; see its services/IPC.js.
declare module '@achrinza/node-ipc' {
  import type { Socket } from 'node:net';

  interface IpcConfig {
    appspace: string;
    socketRoot: string;
    id: string;
    silent: boolean;
    maxRetries: number;
    stopRetrying: boolean;
    retry: number;
  }

  interface IpcServer {
    on(event: 'connect', listener: (socket: Socket) => void): void;
    on(event: 'socket.disconnected', listener: (socket: Socket) => void): void;
    on(event: string, listener: (data: unknown, socket: Socket) => void): void;
    emit(socket: Socket, type: string, data: unknown): void;
    start(): void;
    stop(): void;
    sockets: Socket[];
  }

  interface IpcClient {
    on(event: string, listener: (data: unknown) => void): void;
    emit(type: string, data?: unknown): void;
  }

  export class IPCModule {
    config: IpcConfig;
    server: IpcServer | false;
    of: Record<string, IpcClient>;
    serve(path: string, callback?: () => void): void;
    connectTo(id: string, path: string, callback?: () => void): void;
    disconnect(id: string): void;
  }

  const singleton: IPCModule;
  export default singleton;
}
